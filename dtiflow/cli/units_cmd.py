"""`dtiflow units import FILE` / `dtiflow units list` / `dtiflow units log`: the units register.

Importing the register is an administrative act (services.register): `--as` a person holding
`administrator` for the province; without `--as`, only the first import into an empty database
(the bootstrap). The server's shell may also act as ops: `dtiflow admin units import`.
"""

from __future__ import annotations

import argparse

from dtiflow.cli.store_wiring import add_json, build_services, show
from rubrics.units_loader import DEFAULT_REGISTER, load_units_register
from services.register import import_register, register_log


def register(sub: argparse._SubParsersAction) -> None:
    units = sub.add_parser("units", help="the units register (departments, districts, communes, their people)")
    usub = units.add_subparsers(dest="units_command", metavar="ACTION", parser_class=type(units))
    usub.required = True
    imp = usub.add_parser("import", help="import the register file (YAML): shows the changes, then applies them")
    add_import_options(imp)
    imp.add_argument("--as", dest="actor", default=None, metavar="PERSON",
                     help="the administrator acting (needed once the database has a register)")
    imp.set_defaults(handler=_import)
    ls = usub.add_parser("list", help="list the units in the database")
    ls.add_argument("--kind", default=None, help="only this kind (department, office, public_service_unit, district, commune, special_zone)")
    add_json(ls)
    ls.set_defaults(handler=_list)
    log = usub.add_parser("log", help="the register's audit log (every import: who, when, what changed)")
    log.add_argument("--as", dest="actor", required=True, metavar="PERSON", help="the administrator reading it")
    add_json(log)
    log.set_defaults(handler=_log)


def add_import_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("file", nargs="?", default=str(DEFAULT_REGISTER),
                        help="register file (default: the shipped Bình Thuận register)")
    parser.add_argument("--dry-run", action="store_true", help="show what would change, change nothing")
    parser.add_argument("--confirm", action="store_true",
                        help="apply changes of an existing person's e-mail or new roles for them (shown first)")
    parser.add_argument("--force", action="store_true",
                        help="remove units enrolled in a cycle that is still running (needs --reason)")
    parser.add_argument("--reason", default=None, help="why (recorded in the audit; required with --force)")
    add_json(parser)


def run_import(args: argparse.Namespace, *, actor_id: str | None = None, ops: str | None = None) -> int:
    register_file = load_units_register(args.file)  # every bad row: file:line, unit, field
    result = import_register(build_services(), register_file, actor_id=actor_id, ops=ops, confirm=args.confirm,
                             force=args.force, reason=args.reason, dry_run=args.dry_run)
    show(args, result, _text)
    return 0


def _text(r: dict) -> str:
    counts = ", ".join(f"{k}: {v}" for k, v in r["by_kind"].items())
    if r["unchanged"]:
        head = f"Danh mục {r['file']} không khác danh mục đang dùng: không có gì thay đổi"
    elif r["applied"]:
        head = (f"Đã nhập {r['units']} đơn vị ({counts}) và {r['people']} người từ {r['file']} "
                f"— người thực hiện: {r['actor']} ({r['role']})")
    else:
        head = f"Chạy thử: chưa thay đổi gì. Danh mục {r['file']} sẽ thay đổi:"
    lines = [head, *(f"  {line}" for line in r["changes"])]
    # After a merger: which units ended (an end date appeared) and which began (a new code).
    if r.get("ended"):
        lines.append(f"Đơn vị đã kết thúc ({len(r['ended'])}): {', '.join(r['ended'])}")
    if r.get("began") and len(r["began"]) < r["units"]:
        lines.append(f"Đơn vị mới ({len(r['began'])}): {', '.join(r['began'])}")
    return "\n".join(lines)


def _import(args: argparse.Namespace) -> int:
    return run_import(args, actor_id=args.actor)


def _list(args: argparse.Namespace) -> int:
    services = build_services()
    with services.uow() as uow:
        rows = uow.units.list(kinds=[args.kind] if args.kind else None)
        out = [{"code": u.code, "name": u.name, "kind": u.kind, "parent": u.parent_code,
                "focal": u.focal_person_id, "head": u.head_person_id, "valid_from": u.valid_from and u.valid_from.isoformat(),
                "valid_until": u.valid_until and u.valid_until.isoformat()} for u in rows]
    show(args, out, lambda rs: "\n".join(f"{r['code']:<16} {r['kind']:<20} {r['name']}" for r in rs))
    return 0


def log_text(rows: list[dict]) -> str:
    lines = []
    for e in rows:
        d = e["details"]
        what = (f"+{len(d.get('units_added', []))}/-{len(d.get('units_removed', []))} đơn vị, "
                f"+{len(d.get('people_added', []))}/-{len(d.get('people_removed', []))} người, "
                f"+{len(d.get('grants_added', []))}/-{len(d.get('grants_revoked', []))} quyền")
        why = f" — lý do: {e['reason']}" if e["reason"] else ""
        lines.append(f"{e['at']}  {e['actor']} ({e['role']})  {e['event']} {d.get('file', '')}: {what}{why}")
    return "\n".join(lines) or "Chưa có lần nhập danh mục nào"


def _log(args: argparse.Namespace) -> int:
    show(args, register_log(build_services(), actor_id=args.actor), log_text)
    return 0
