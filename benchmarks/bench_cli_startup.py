"""How long the command line takes to start, against bare Python.

    .venv/bin/python benchmarks/bench_cli_startup.py [--repeat N]

Runs, each N times (default 15) in a fresh process:
  python -c pass                                  (the floor: the interpreter alone)
  dtiflow --help                                  (building the parser: no command module imported)
  dtiflow calendar is-working-day 02/01/2026      (one calendar question, the calendar file read,
                                                   `holidays`' days from the on-disk cache)
and prints the median and best wall time, the CPU time (user+system, which a busy machine does
not inflate), and each as a ratio to `python -c pass`. The target is 250 ms wall on an idle
machine; the load average is printed because on a shared machine the wall times are not.
The first run of the calendar question fills the cache (~/.cache/dtiflow); it is run once
before timing.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PY = sys.executable
DTIFLOW = [PY, "-c", "import sys; from dtiflow.cli.main import main; sys.exit(main())"]
CASES = {
    "python -c pass": [PY, "-c", "pass"],
    "dtiflow --help": DTIFLOW + ["--help"],
    "dtiflow calendar is-working-day 02/01/2026": DTIFLOW + ["calendar", "is-working-day", "02/01/2026"],
}


def run(argv: list[str]) -> tuple[float, float]:
    """(wall seconds, CPU seconds of the child)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(argv, cwd=ROOT, stdout=subprocess.DEVNULL, check=True)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=15)
    args = parser.parse_args()
    for argv in CASES.values():
        run(argv)  # warm the file cache and the holidays cache
    print(f"load average before: {' '.join(f'{x:.2f}' for x in os.getloadavg())}; {args.repeat} runs each")
    results = {}
    for name, argv in CASES.items():
        samples = [run(argv) for _ in range(args.repeat)]
        walls, cpus = [w for w, _ in samples], [c for _, c in samples]
        results[name] = (statistics.median(walls), min(walls), statistics.median(cpus))
    base_wall, _, base_cpu = results["python -c pass"]
    print(f"{'command':<44} {'median':>8} {'best':>8} {'CPU':>8} {'×wall':>7} {'×CPU':>7}")
    for name, (median, best, cpu) in results.items():
        print(f"{name:<44} {median * 1000:6.0f}ms {best * 1000:6.0f}ms {cpu * 1000:6.0f}ms "
              f"{median / base_wall:7.1f} {cpu / base_cpu if base_cpu else float('nan'):7.1f}")
    print(f"load average after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}; target: 250 ms wall, idle machine")
    return 0


if __name__ == "__main__":
    sys.exit(main())
