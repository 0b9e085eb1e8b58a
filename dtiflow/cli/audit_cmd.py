"""`dtiflow audit CYCLE`: the append-only audit log of a cycle (who, role, when, what, from, to, why)."""

from __future__ import annotations

import argparse

from dtiflow.cli.store_wiring import add_actor, build_services, show
from services import queries


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("audit", help="the audit log of a cycle")
    p.add_argument("cycle")
    add_actor(p, key=False)
    p.set_defaults(handler=_audit)


def _line(e: dict) -> str:
    move = f" {e['from']} -> {e['to']}" if e["from"] or e["to"] else ""
    why = f" — lý do: {e['reason']}" if e["reason"] else ""
    unit = f" [{e['unit_code']}]" if e["unit_code"] else ""
    return f"{e['at']}  {e['actor']} ({e['role']})  {e['event']}{unit}{move}{why}"


def _audit(args: argparse.Namespace) -> int:
    show(args, queries.audit_log(build_services(), actor_id=args.actor, cycle_id=args.cycle),
         lambda rows: "\n".join(_line(e) for e in rows))
    return 0
