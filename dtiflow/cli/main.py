"""`dtiflow` — the command line for ops, the secretariat and units.

Each command family lives in its own module with a `register(subparsers)` function. Every
refusal (`domain.errors.Refusal`: what a person can put right) ends as one line on stderr and
exit status 2; anything else is a defect, written to the incident log under a reference that the
person is shown with "lỗi hệ thống" (exit status 1). Never a traceback on the person's screen.

Lazy registration (why `dtiflow --help` starts in a fraction of a second): `COMMANDS` below
names every command with its module and its one-line help. Building the parser imports only
the module of the command being run; every other command is a placeholder carrying its help
line, so `dtiflow --help` imports no command module at all, and `dtiflow calendar ...` never
imports SQLAlchemy, Alembic or the services. A command module may import what it needs at
its top: it is imported only when that command runs (or for `build_parser(everything=True)`).

To add a command NAME: write a module `NAME_cmd` in the dtiflow.cli package with `register(subparsers)` that
calls `subparsers.add_parser("NAME", help=HELP, ...)`, and add one `Command("NAME",
"dtiflow.cli.NAME_cmd", HELP)` row to `COMMANDS` with the same HELP
(`tests/unit/cli/test_lazy_cli.py` checks that each row matches what its module registers,
and that building the parser imports neither SQLAlchemy, Alembic nor Prefect).
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from dataclasses import dataclass
from typing import NoReturn, Sequence

from domain.errors import Refusal


@dataclass(frozen=True)
class Command:
    name: str    # the word typed after `dtiflow`
    module: str  # imported only when this command runs; exposes register(subparsers)
    help: str    # the line `dtiflow --help` shows (the same text the module registers)


COMMANDS: tuple[Command, ...] = (
    Command("calendar", "dtiflow.cli.calendar_cmd", "working days of state agencies (Vietnam)"),
    Command("timeline", "dtiflow.cli.timeline_cmd", "the dated milestones of a regime for one year"),
    Command("demo", "dtiflow.cli.demo_cmd", "a whole evaluation year in simulated time (docs/demo.md)"),
    Command("rubric", "dtiflow.cli.rubric_cmd", "validate and show score sheets (rubrics)"),
    Command("schedule", "dtiflow.cli.schedule_cmd", "Prefect schedules from the working-day calendar"),
    Command("serve", "dtiflow.cli.serve_cmd",
            "the embedded mode: tick and send mail in one process (no Prefect server)"),
    Command("db", "dtiflow.cli.db_cmd", "the database schema (Alembic migrations) and its mode"),
    Command("units", "dtiflow.cli.units_cmd",
            "the units register (departments, districts, communes, their people)"),
    Command("admin", "dtiflow.cli.admin_cmd", "the server's shell acting as ops (audited as such)"),
    Command("cycle", "dtiflow.cli.cycle_cmd", "open a cycle, see its status, run its time-driven moves"),
    Command("sheet", "dtiflow.cli.sheet_cmd",
            "a unit's sheet: import a draft, submit it, answer an explanation request"),
    Command("unit", "dtiflow.cli.unit_cmd", "one unit's terms in a cycle"),
    Command("stage", "dtiflow.cli.stage_cmd",
            "move a cycle through its stages (lock, score, verify, approve, publish, reopen)"),
    Command("audit", "dtiflow.cli.audit_cmd", "the audit log of a cycle; 'audit verify CYCLE' checks its hash chain"),
    Command("score", "dtiflow.cli.score_cmd", "score one sheet file against a rubric"),
    Command("rank", "dtiflow.cli.rank_cmd", "classify, rank and award a folder of sheet files"),
    Command("lineage-average", "dtiflow.cli.lineage_cmd",
            "carry last year's results over to merged units (mean of main indices)"),
    Command("results", "dtiflow.cli.results_cmd", "a cycle's results: export them as the decisions publish them"),
    Command("mail", "dtiflow.cli.mail_cmd", "the e-mail outbox and its relay"),
    Command("ops", "dtiflow.cli.ops_cmd", "set up what runs dtiflow (Prefect work pool and automations)"),
    Command("worker", "dtiflow.cli.worker_cmd", "a Prefect process worker that stops on the first SIGTERM"),
    Command("doctor", "dtiflow.cli.doctor_cmd",
            "check the settings, database, mail, Prefect, calendar, outbox and last tick"),
)

EXIT_USAGE = 2
EXIT_DEFECT = 1


class _Parser(argparse.ArgumentParser):
    """argparse that reports a usage mistake in one line (and exit 2), naming the command."""

    def error(self, message: str) -> NoReturn:
        self.exit(EXIT_USAGE, f"{self.prog}: error: {message} (see '{self.prog} --help')\n")


def _command_word(argv: Sequence[str]) -> str | None:
    """The command being run: the first word that is not an option (the top level has none
    taking a value, so this is exact)."""
    return next((a for a in argv if not a.startswith("-")), None)


def build_parser(argv: Sequence[str] | None = None, *, everything: bool = False) -> argparse.ArgumentParser:
    """The parser for `argv`: the named command's module fully registered, the others as
    placeholders (their help line only). `everything=True` registers every module (tests that
    walk all commands)."""
    wanted = _command_word(sys.argv[1:] if argv is None else argv)
    parser = _Parser(prog="dtiflow", description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    sub.required = True
    for command in COMMANDS:
        if everything or command.name == wanted:
            importlib.import_module(command.module).register(sub)
        else:
            sub.add_parser(command.name, help=command.help, add_help=False)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else list(argv)
    parser = build_parser(argv)
    args = parser.parse_args(argv)
    try:
        return int(args.handler(args) or 0)
    except Refusal as exc:
        from domain.redaction import redact
        from dtiflow.settings import environment_secrets

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
