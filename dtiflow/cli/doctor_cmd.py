"""`dtiflow doctor [--json]`: check this installation (dtiflow/doctor.py lists the checks).

Exit status 0 when nothing failed (warnings included), 1 when a check failed: monitoring runs it
every few minutes and alerts on a non-zero exit.
"""

from __future__ import annotations

import argparse

EXIT_FAILED = 1
_MARKS = {"ok": "OK", "warn": "CHÚ Ý", "fail": "LỖI", "skip": "BỎ QUA"}


def register(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser("doctor", help="check the settings, database, mail, Prefect, calendar, outbox and last tick",
                              description=__doc__.splitlines()[0])
    p.add_argument("--json", action="store_true", help="print the checks as JSON")
    p.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from dtiflow.doctor import FAIL, run_checks

    checks = run_checks()
    failed = any(c.status == FAIL for c in checks)
    if args.json:
        from dtiflow.cli.output import emit_json

        emit_json({"ok": not failed, "checks": [c.as_dict() for c in checks]})
    else:
        width = max(len(c.name) for c in checks)
        for c in checks:
            print(f"{_MARKS[c.status]:<6} {c.name:<{width}}  {c.detail}")
    return EXIT_FAILED if failed else 0
