"""`dtiflow worker`: run a Prefect process worker for dtiflow's deployments.

    dtiflow worker [--pool dtiflow-pool] [--name NAME] [--limit N]

Use it instead of `prefect worker start` under systemd: it stops on the first SIGTERM
(dtiflow/worker.py says why). Reads PREFECT_API_URL and the DTIFLOW_* settings from the
environment; the flow runs it starts inherit them.
"""

from __future__ import annotations

import argparse


def _count(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' không phải số nguyên") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"'{text}' phải từ 1 trở lên")
    return value


def register(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser("worker", help="a Prefect process worker that stops on the first SIGTERM",
                              description=__doc__.splitlines()[0])
    p.add_argument("--pool", default="dtiflow-pool", help="the work pool (default dtiflow-pool)")
    p.add_argument("--name", default=None, help="the worker's name in Prefect (default: generated)")
    p.add_argument("--limit", type=_count, default=None, help="at most this many flow runs at once")
    p.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    import asyncio

    from dtiflow.worker import run_worker

    return asyncio.run(run_worker(args.pool, args.name, args.limit, printer=lambda m: print(m, flush=True)))
