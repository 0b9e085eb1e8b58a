"""`dtiflow ops`: setting up what runs dtiflow (docs/operations.md).

    dtiflow ops prefect-setup [--heartbeat SECONDS] [--submitting SECONDS] [--json]

Run once after `prefect deploy --all` (and again after an upgrade: it replaces, never
duplicates): creates the `dtiflow-pool` process work pool if missing and the two automations
that mark a run CRASHED when its worker died, so that the next tick is not blocked
(dtiflow/prefect_setup.py). Reads PREFECT_API_URL like every Prefect command.
"""

from __future__ import annotations

import argparse

from dtiflow.cli.errors import UserError


def _positive_int(minimum: int):
    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"'{text}' không phải số giây nguyên") from None
        if value < minimum:
            raise argparse.ArgumentTypeError(f"'{text}' phải từ {minimum} giây trở lên")
        return value
    return parse


def register(subparsers: argparse._SubParsersAction) -> None:
    ops = subparsers.add_parser("ops", help="set up what runs dtiflow (Prefect work pool and automations)",
                                description=__doc__.splitlines()[0])
    sub = ops.add_subparsers(dest="ops_command", metavar="ACTION", parser_class=type(ops))
    sub.required = True
    setup = sub.add_parser("prefect-setup", help="the work pool and the automations that free the tick when a worker dies")
    setup.add_argument("--heartbeat", type=_positive_int(30), default=None, metavar="SECONDS",
                       help="the flow-run heartbeat set in prefect.yaml (default 30; Prefect's minimum is 30); "
                            "a run silent for 3 heartbeats is marked Crashed")
    setup.add_argument("--submitting", type=_positive_int(30), default=None, metavar="SECONDS",
                       help="a run still Submitting this long is marked Crashed (default 180)")
    setup.add_argument("--json", action="store_true", help="print the result as JSON")
    setup.set_defaults(handler=_prefect_setup)


def _prefect_setup(args: argparse.Namespace) -> int:
    import asyncio

    from dtiflow import prefect_setup

    heartbeat = args.heartbeat or prefect_setup.HEARTBEAT_SECONDS
    submitting = args.submitting or prefect_setup.SUBMITTING_SECONDS
    try:
        report = asyncio.run(prefect_setup.setup(heartbeat, submitting))
    except Exception as exc:  # httpx/Prefect errors: the API is not there or refused
        from prefect.settings import PREFECT_API_URL

        raise UserError(f"không cài được lên máy chủ Prefect {PREFECT_API_URL.value() or '(chưa đặt PREFECT_API_URL)'}: "
                        f"{str(exc).splitlines()[0] if str(exc) else type(exc).__name__}") from None
    if args.json:
        from dtiflow.cli.output import emit_json

        emit_json(report.as_dict())
        return 0
    print(f"Work pool {prefect_setup.POOL}: {'đã tạo' if report.pool_created else 'đã có'}.")
    for name, automation_id in report.automations.items():
        print(f"Automation '{name}': {automation_id}")
    if report.replaced:
        print(f"(đã thay {report.replaced} automation cùng tên)")
    return 0
