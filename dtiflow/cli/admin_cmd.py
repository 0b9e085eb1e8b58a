"""`dtiflow admin ...`: what the server's shell does as ops, without a person of the register.

Whoever runs a shell on the server already holds the database; these commands say so instead
of pretending otherwise: the audit records the actor `ops:<operating-system user>` in the role
`ops` (docs/security.md). Use them to install or repair the register when no administrator can
act (none yet, or the only one was removed).
"""

from __future__ import annotations

import argparse
import getpass

from dtiflow.cli.store_wiring import add_json, build_services, show
from dtiflow.cli.units_cmd import add_import_options, log_text, run_import
from services.register import register_log


def register(sub: argparse._SubParsersAction) -> None:
    admin = sub.add_parser("admin", help="the server's shell acting as ops (audited as such)")
    asub = admin.add_subparsers(dest="admin_command", metavar="AREA", parser_class=type(admin))
    asub.required = True
    units = asub.add_parser("units", help="the units register, as ops")
    usub = units.add_subparsers(dest="admin_units_command", metavar="ACTION", parser_class=type(admin))
    usub.required = True
    imp = usub.add_parser("import", help="import the register file as ops (shows the changes first)")
    add_import_options(imp)
    imp.set_defaults(handler=lambda args: run_import(args, ops=operator()))
    log = usub.add_parser("log", help="the register's audit log")
    add_json(log)
    log.set_defaults(handler=_log)


def _log(args: argparse.Namespace) -> int:
    show(args, register_log(build_services(), ops=operator()), log_text)
    return 0


def operator() -> str:
    """The operating-system user running the shell (what the audit can honestly name)."""
    try:
        return getpass.getuser()
    except (KeyError, OSError):  # no passwd entry (a container): still the shell
        return "unknown"
