"""`dtiflow sheet template` and the workbook side of `sheet import` and `score`: thin over
`services.workbooks` (docs/workbooks.md). The spreadsheet libraries load only when a workbook
is written or read, never for `dtiflow --help`."""

from __future__ import annotations

import argparse
from pathlib import Path

from dtiflow.cli.errors import UserError
from dtiflow.cli.output import write_file
from dtiflow.cli.store_wiring import add_json, build_services, show

WORKBOOK_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".xltx", ".xltm", ".xlsb", ".ods")
# Whatever its name says, a file that starts as a zip or an OLE container is read as a workbook
# (and refused there with the reason when it is not a plain .xlsx).
_MAGIC = (b"PK\x03\x04", b"\xd0\xcf\x11\xe0")


def is_workbook(path: str | Path) -> bool:
    if str(path).lower().endswith(WORKBOOK_SUFFIXES):
        return True
    try:
        with open(path, "rb") as f:
            return f.read(4) in _MAGIC
    except OSError:
        return False


def read_capped(path: str | Path) -> bytes:
    """The file's bytes, at most one byte past the guard's size limit (a 2 GB file costs 10 MB);
    only a regular file is opened (not a folder, a device, a FIFO or a file of /proc)."""
    from files.source import open_regular_file
    from files.store import FileRefused
    from workbooks.guard import MAX_BYTES

    try:
        with open_regular_file(path) as f:
            return f.read(MAX_BYTES + 1)
    except FileRefused as exc:
        raise UserError(f"{path}: {exc.message}") from None
    except OSError as exc:
        raise UserError(f"{path}: không đọc được: {exc.strerror}") from None


def register_template(ssub: argparse._SubParsersAction) -> None:
    t = ssub.add_parser("template", help="download a score-sheet template (.xlsx) generated from the rubric file")
    t.add_argument("rubric", metavar="RUBRIC", help="the rubric id, e.g. tayninh-2015-it.department")
    t.add_argument("--cycle", metavar="CYCLE", help="with --unit: the unit's sheet of this cycle, its answers filled in")
    t.add_argument("--unit", metavar="CODE", help="with --cycle: the unit's code")
    t.add_argument("--as", dest="actor", metavar="PERSON", help="with --cycle: who asks (checked against their roles)")
    t.add_argument("-o", "--output", required=True, metavar="FILE.xlsx", help="where to write the workbook")
    add_json(t)
    t.set_defaults(handler=_template)


def _template(args: argparse.Namespace) -> int:
    from services import workbooks

    if (args.cycle is None) != (args.unit is None):
        raise UserError("--cycle và --unit đi cùng nhau (mẫu của một đơn vị trong một kỳ đánh giá)")
    if not str(args.output).lower().endswith(".xlsx"):
        raise UserError(f"-o {args.output}: tệp mẫu phải có đuôi .xlsx")
    if args.cycle is not None:
        if not args.actor:
            raise UserError("--cycle cần --as PERSON (người tải mẫu của đơn vị)")
        services = build_services()
        data = workbooks.unit_template(services, actor_id=args.actor, cycle_id=args.cycle, unit_code=args.unit)
    else:
        from rubrics.rubric_loader import list_rubrics

        if args.rubric not in list_rubrics():
            raise UserError(f"không có phiếu chấm '{args.rubric}' (có: {', '.join(list_rubrics())})")
        data = workbooks.blank_template(args.rubric)
    out = Path(args.output)
    write_file(out, data)
    show(args, {"rubric": args.rubric, "cycle": args.cycle, "unit": args.unit, "file": str(out), "bytes": len(data)},
         lambda r: f"Đã ghi mẫu phiếu {r['rubric']} vào {r['file']} ({r['bytes']:,} byte)".replace(",", "."))
    return 0


def load_workbook_sheet(path: str | Path, expect_rubric: str | None = None, load=None):
    """A filled template -> `LoadedSheet` (the same result as a YAML sheet file)."""
    from services.workbooks import read_sheet_workbook

    return read_sheet_workbook(read_capped(path), str(path), load=load, expect_rubric=expect_rubric).loaded


def import_workbook(args: argparse.Namespace, evidence) -> dict:
    from services.workbooks import import_workbook as service

    return service(build_services(), actor_id=args.actor, cycle_id=args.cycle, unit_code=args.unit,
                   data=read_capped(args.file), name=str(args.file), evidence=evidence, key=args.key)
