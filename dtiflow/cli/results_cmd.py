"""`dtiflow results export CYCLE --xlsx -o FILE --as PERSON`: a cycle's results as a workbook in
the form the decisions publish them (docs/workbooks.md), thin over `services.results_view`."""

from __future__ import annotations

import argparse
from pathlib import Path

from dtiflow.cli.errors import UserError
from dtiflow.cli.output import write_file
from dtiflow.cli.store_wiring import add_actor, build_services, show


def register(sub: argparse._SubParsersAction) -> None:
    results = sub.add_parser("results", help="a cycle's results: export them as the decisions publish them")
    rsub = results.add_subparsers(dest="results_command", metavar="ACTION", parser_class=type(results))
    rsub.required = True
    ex = rsub.add_parser("export", help="write the results workbook (.xlsx): one sheet per group, every "
                                        "criterion's points, the units not evaluated, the audit log's state")
    ex.add_argument("cycle", metavar="CYCLE")
    ex.add_argument("--xlsx", action="store_true", required=True, help="as an Excel workbook (the only format yet)")
    ex.add_argument("-o", "--output", required=True, metavar="FILE.xlsx")
    add_actor(ex, key=False)
    ex.set_defaults(handler=_export)


def _export(args: argparse.Namespace) -> int:
    from services.results_view import results_workbook

    out = Path(args.output)
    if out.suffix.lower() != ".xlsx":
        raise UserError(f"-o {out}: tệp kết quả phải có đuôi .xlsx")
    data = results_workbook(build_services(), actor_id=args.actor, cycle_id=args.cycle)
    write_file(out, data)
    show(args, {"cycle": args.cycle, "file": str(out), "bytes": len(data)},
         lambda r: f"Đã ghi kết quả của kỳ {r['cycle']} vào {r['file']}")
    return 0
