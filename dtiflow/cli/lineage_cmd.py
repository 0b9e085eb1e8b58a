"""`dtiflow lineage-average --regime ID [--lineage FILE] SHEETS_DIR [--json]`: last year's results
of the former units, averaged main index by main index into the units that replaced them (the
Ministry's rule for DTI 2024 after Resolution 202/2025/QH15; docs/national.md).

SHEETS_DIR holds one sheet per former unit, as `dtiflow rank` reads it (the `unit` field is the
former unit's name as the lineage file writes it). A unit of the lineage whose former units all
lack a sheet is listed as without results; one with some of them missing is refused.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from dtiflow.cli.errors import UserError
from dtiflow.cli.output import emit_json
from rubrics.lineage_loader import LINEAGE_DIR, load_lineage_file
from rubrics.regime_loader import UnknownRegime, load_regime
from rubrics.sheet_folder import load_folder
from rubrics.sheet_loader import default_rubric_for
from rubrics.source import DataFileError
from services.errors import ServiceError
from services.lineage_average import average_folder

DEFAULT_LINEAGE = LINEAGE_DIR / "vn-provinces-2025.yaml"


def register(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser("lineage-average", help="carry last year's results over to merged units (mean of main indices)",
                              description=__doc__.splitlines()[0])
    p.add_argument("--regime", required=True, metavar="ID", help="the regime of the sheets, e.g. mst-2025-dti")
    p.add_argument("--lineage", type=Path, default=DEFAULT_LINEAGE, metavar="FILE",
                   help="which former units form which unit (default: the 34 provinces of Resolution 202/2025/QH15)")
    p.add_argument("folder", type=Path, metavar="SHEETS_DIR")
    p.add_argument("--json", action="store_true", help="print JSON rows instead of a table")
    p.set_defaults(handler=_run)


def _run(args: argparse.Namespace) -> int:
    try:
        regime = load_regime(args.regime)
    except UnknownRegime as exc:
        raise UserError(str(exc)) from None
    if not args.folder.is_dir():
        raise UserError(f"{args.folder}: không có thư mục phiếu đánh giá này")
    if not args.lineage.is_file():
        raise UserError(f"--lineage {args.lineage}: không có tệp này")
    try:
        lineage = load_lineage_file(args.lineage)
    except DataFileError as exc:
        raise UserError(str(exc)) from None
    rubric_for = default_rubric_for()
    folder = load_folder(args.folder, regime, rubric_for=rubric_for)
    try:
        merged, without = average_folder(regime, folder, lineage, rubric_for)
    except ServiceError as exc:
        raise UserError(str(exc)) from None
    def num(x: float) -> str:  # DTI values are published with four decimals (0,8241)
        return f"{x:.4f}".rstrip("0").rstrip(".").replace(".", ",")

    if args.json:
        emit_json({"lineage": lineage.id, "results": [
            {"unit": m.unit, "from": list(m.predecessors), "merged": m.merged,
             "indices": dict(m.indices), "total": m.total} for m in merged],
            "without_results": list(without)})
        return 0
    print(f"{regime.title} ({regime.id}): kết quả năm trước theo đơn vị sau sắp xếp")
    print(f"Căn cứ sắp xếp: {lineage.source}")
    print("Quy tắc: mỗi chỉ số chính = trung bình cộng chỉ số đó của các đơn vị trước sắp xếp; tổng = tổng các chỉ số chính.")
    for m in merged:
        parts = ", ".join(f"{k}: {num(v)}" for k, v in m.indices.items())
        origin = f" (từ {', '.join(m.predecessors)})" if m.merged else ""
        print(f"  {m.unit}{origin}: tổng {num(m.total)} — {parts}")
    if without:
        print(f"Chưa có kết quả: {', '.join(without)}")
    return 0
