"""`dtiflow` — the command line for ops, the secretariat and units.

Each command family lives in its own module with a `register(subparsers)` function. Every
refusal (`domain.errors.Refusal`: what a person can put right) ends as one line on stderr and
exit status 2; anything else is a defect, written to the incident log under a reference that the
person is shown with "lỗi hệ thống" (exit status 1). Never a traceback on the person's screen.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from typing import NoReturn, Sequence

from domain.errors import Refusal
from domain.redaction import redact
from dtiflow.settings import environment_secrets

# One line per command family; each module exposes register(subparsers).
COMMAND_MODULES = (
    "dtiflow.cli.calendar_cmd",
    "dtiflow.cli.timeline_cmd",
    "dtiflow.cli.demo_cmd",
    "dtiflow.cli.rubric_cmd",
    "dtiflow.cli.schedule_cmd",
    "dtiflow.cli.serve_cmd",
    "dtiflow.cli.db_cmd",
    "dtiflow.cli.units_cmd",
    "dtiflow.cli.admin_cmd",
    "dtiflow.cli.cycle_cmd",
    "dtiflow.cli.sheet_cmd",
    "dtiflow.cli.unit_cmd",
    "dtiflow.cli.stage_cmd",
    "dtiflow.cli.audit_cmd",
    "dtiflow.cli.score_cmd",
    "dtiflow.cli.rank_cmd",
    "dtiflow.cli.lineage_cmd",
    "dtiflow.cli.results_cmd",
    "dtiflow.cli.mail_cmd",
    "dtiflow.cli.ops_cmd",
    "dtiflow.cli.worker_cmd",
    "dtiflow.cli.doctor_cmd",
)

EXIT_USAGE = 2
EXIT_DEFECT = 1


class _Parser(argparse.ArgumentParser):
    """argparse that reports a usage mistake in one line (and exit 2), naming the command."""

    def error(self, message: str) -> NoReturn:
        self.exit(EXIT_USAGE, f"{self.prog}: error: {message} (see '{self.prog} --help')\n")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="dtiflow", description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    sub.required = True
    for name in COMMAND_MODULES:
        importlib.import_module(name).register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return int(args.handler(args) or 0)
    except Refusal as exc:
        print(f"dtiflow: error: {redact(str(exc), secrets=environment_secrets())}", file=sys.stderr)
        return EXIT_USAGE
    except BrokenPipeError:
        # The reader (`| head`) went away: not an error of ours, and nothing left to say.
        sys.stdout = open(os.devnull, "w")
        return 0
    except KeyboardInterrupt:
        print("dtiflow: interrupted", file=sys.stderr)
        return 130
    except Exception as exc:  # a defect of ours: kept for us, a reference for the person
        from dtiflow.incidents import record_incident

        incident = record_incident(exc, command=str(getattr(args, "command", "?")))
        print(f"dtiflow: {incident.sentence()}", file=sys.stderr)
        return EXIT_DEFECT


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
