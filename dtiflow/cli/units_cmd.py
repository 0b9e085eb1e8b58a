"""`dtiflow units import FILE` / `dtiflow units list`: the units register."""

from __future__ import annotations

import argparse

from dtiflow.cli.store_wiring import add_json, build_services, show
from rubrics.units_loader import DEFAULT_REGISTER, load_units_register
from services.register import import_register


def register(sub: argparse._SubParsersAction) -> None:
    units = sub.add_parser("units", help="the units register (departments, districts, communes, their people)")
    usub = units.add_subparsers(dest="units_command", metavar="ACTION", parser_class=type(units))
    usub.required = True
    imp = usub.add_parser("import", help="import (or update) units and people from a register file (YAML)")
    imp.add_argument("file", nargs="?", default=str(DEFAULT_REGISTER),
                     help="register file (default: the shipped Bình Thuận register)")
    add_json(imp)
    imp.set_defaults(handler=_import)
    ls = usub.add_parser("list", help="list the units in the database")
    ls.add_argument("--kind", default=None, help="only this kind (department, office, public_service_unit, district, commune, special_zone)")
    add_json(ls)
    ls.set_defaults(handler=_list)


def _import(args: argparse.Namespace) -> int:
    register_file = load_units_register(args.file)  # every bad row: file:line, unit, field
    result = import_register(build_services(), register_file)
    show(args, result, _imported_text)
    return 0


def _imported_text(r: dict) -> str:
    text = (f"Đã nhập {r['units']} đơn vị ({', '.join(f'{k}: {v}' for k, v in r['by_kind'].items())}) "
            f"và {r['people']} người từ {r['file']}")
    # After a merger: which units ended (an end date appeared) and which began (a new code).
    if r.get("ended"):
        text += f"\nĐơn vị đã kết thúc ({len(r['ended'])}): {', '.join(r['ended'])}"
    if r.get("began") and len(r["began"]) < r["units"]:
        text += f"\nĐơn vị mới ({len(r['began'])}): {', '.join(r['began'])}"
    return text


def _list(args: argparse.Namespace) -> int:
    services = build_services()
    with services.uow() as uow:
        rows = uow.units.list(kinds=[args.kind] if args.kind else None)
        out = [{"code": u.code, "name": u.name, "kind": u.kind, "parent": u.parent_code,
                "focal": u.focal_person_id, "head": u.head_person_id, "valid_from": u.valid_from and u.valid_from.isoformat(),
                "valid_until": u.valid_until and u.valid_until.isoformat()} for u in rows]
    show(args, out, lambda rs: "\n".join(f"{r['code']:<16} {r['kind']:<20} {r['name']}" for r in rs))
    return 0
