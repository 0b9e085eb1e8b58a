"""`dtiflow demo`: the main job on the embedded default — a whole year in simulated time.

Bình Thuận 2019 (Decision 1867, letter 697), a district's commune cycle and the DTI 2023 variant
(Decision 265), through the real Prefect flows (a local, ephemeral Prefect), a fresh SQLite
database and a real SMTP server on loopback that stores what it receives. Seeded: two runs print
the same account. `--timelines` prints this year's timeline of every shipped regime instead.
See docs/demo.md.
"""

from __future__ import annotations

import argparse
import datetime as dt
import time
from pathlib import Path

from dtiflow.cli.args import parse_int, parse_year
from dtiflow.cli.errors import UserError

DEFAULT_OUT = Path("var") / "demo"


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("demo", help="a whole evaluation year in simulated time (docs/demo.md)")
    p.add_argument("--out", default=str(DEFAULT_OUT), help="output folder (default var/demo; emptied each run, "
                   "except its Prefect home)")
    p.add_argument("--seed", type=parse_int, default=None, help="the scenario's seed (default 2019)")
    p.add_argument("--timelines", action="store_true", help="only print this year's timeline of every regime")
    p.add_argument("--year", type=parse_year, help="with --timelines: the year to show (default: this year)")
    p.add_argument("--json", action="store_true",
                   help="with --timelines: the timelines as JSON; otherwise one JSON object per line of the account")
    p.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    if args.year is not None and not args.timelines:
        raise UserError("--year goes with --timelines (the year's demo plays 2019 and 2023, as letter 697 "
                        "and Decision 265 set them)")
    if args.timelines:
        from dtiflow.cli.demo_timelines import print_timelines

        return print_timelines(args.year, as_json=args.json)
    from dtiflow.demo.prefect_env import local_prefect

    out = Path(args.out)
    try:  # the one input that can be wrong: the output folder
        out.mkdir(parents=True, exist_ok=True)
        (out / ".write-test").touch()
        (out / ".write-test").unlink()
    except OSError as exc:
        raise UserError(f"--out {out}: cannot write there ({exc.strerror or exc})") from None
    started = time.perf_counter()
    with local_prefect(out / "prefect"):
        return _year(out, args.seed, started, args.json)


def _year(out: Path, seed: int | None, started: float, as_json: bool = False) -> int:
    from dtiflow.demo.account import Account
    from dtiflow.demo.scenario import DEFAULT_SEED, demo_year, hanoi_year

    account = Account(json_lines=as_json)
    plans = demo_year(DEFAULT_SEED if seed is None else seed)
    account.say("dtiflow demo — một năm đánh giá, xếp hạng trên đồng hồ mô phỏng (luồng Prefect thật, "
                "SQLite, máy chủ SMTP trên 127.0.0.1)")
    account.say(f"Kịch bản: hạt giống {DEFAULT_SEED if seed is None else seed}; "
                + "; ".join(f"{p.label}: {len(p.units)} đơn vị" for p in plans))
    flow_runs = _play(out, plans, account)
    # The post-reform province in its own database (one province a database), with its own seed:
    # the Bình Thuận years above stay exactly as they were.
    hanoi = hanoi_year()
    account.say("\nHà Nội 2026, sau sắp xếp (chính quyền địa phương hai cấp; Quyết định 5279/QĐ-UBND): "
                + "; ".join(f"{p.label}: {len(p.units)} đơn vị" for p in hanoi))
    flow_runs += _play(out / "hanoi-2026", hanoi, account, register="hanoi")
    account.say(f"\n{flow_runs} lượt chạy luồng Prefect; thời gian chạy {time.perf_counter() - started:.0f} s")
    return 0


def _play(out: Path, plans, account, register: str | None = None) -> int:
    from dtiflow.demo.report import final_report
    from dtiflow.demo.world import demo_world
    from dtiflow.demo.year import YearRun

    start = min(p.notice_at for p in plans) - dt.timedelta(hours=1)
    with demo_world(out, start, register=register) as world:
        run = YearRun(world.app, plans, account)
        run.run()
        final_report(world.app, plans, account, out, world.maildir)
    return run.outcomes.flow_runs
