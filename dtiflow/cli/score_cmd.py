"""`dtiflow score --rubric ID SHEET_FILE [--json]`: one unit's sheet, scored criterion by criterion.

SHEET_FILE is a YAML sheet or a filled workbook template (.xlsx, docs/workbooks.md).

The table shows the three scores the paper sheets have side by side: what the unit claimed
(self_points), what the rules compute from its figures, and what the council verified (a
`verified:` block in the sheet file), with the Vietnamese reason for each computed score.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from domain.rubric import Rubric
from domain.scoring import ScoredSheet, score_sheet
from domain.scoring_text import num
from dtiflow.cli.errors import UserError
from dtiflow.cli.output import emit_json
from dtiflow.cli.workbook_cmd import is_workbook, load_workbook_sheet
from rubrics.rubric_loader import load_rubric
from rubrics.sheet_folder import check_group_and_rubric
from rubrics.sheet_loader import load_sheet_file


def register(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser("score", help="score one sheet file against a rubric",
                              description=__doc__.splitlines()[0])
    p.add_argument("--rubric", required=True, metavar="ID", help="the rubric id, e.g. tayninh-2015-it.department")
    p.add_argument("sheet", type=Path, metavar="SHEET_FILE")
    p.add_argument("--json", action="store_true", help="print JSON instead of a table")
    p.set_defaults(handler=_score)


def _score(args: argparse.Namespace) -> int:
    rubric = load_rubric(args.rubric)

    def rubric_for(rubric_id: str) -> Rubric:
        if rubric_id != rubric.id:
            raise UserError(f"lệnh chấm theo phiếu {rubric.id} nhưng tệp ghi rubric '{rubric_id}'")
        return rubric

    if args.sheet.is_dir():
        raise UserError(f"{args.sheet}: đây là một thư mục, không phải tệp phiếu (cả thư mục phiếu: dtiflow rank)")
    if not args.sheet.exists():
        raise UserError(f"{args.sheet}: không có tệp phiếu này")
    if is_workbook(args.sheet):  # a filled template (.xlsx): the same answers and checks
        loaded = load_workbook_sheet(args.sheet, expect_rubric=rubric.id, load=rubric_for)
    else:
        loaded = load_sheet_file(args.sheet, rubric_for)
    regime = regime_of_rubric(rubric.id)
    if regime is not None:  # the rule `rank` applies: the group must be scored by this rubric
        check_group_and_rubric(loaded, regime)
    scored = score_sheet(rubric, loaded.sheet, loaded.verified)
    if args.json:
        emit_json(as_json(scored))  # never NaN or Infinity: every number was checked finite
    else:
        print(as_table(rubric, scored))
    return 0


def regime_of_rubric(rubric_id: str):
    """The shipped regime that scores one of its groups by `rubric_id` (None for a rubric file
    of no regime)."""
    from rubrics.regime_loader import list_regimes, load_regime

    for regime_id in list_regimes():
        regime = load_regime(regime_id)
        if any(g.rubric_id == rubric_id for g in regime.groups):
            return regime
    return None


def as_json(s: ScoredSheet) -> dict:
    return {
        "rubric": s.rubric_id,
        "unit": s.unit,
        "group": s.group,
        "total": s.total,
        "max": s.max,
        "self_total": s.self_total,
        "verified_total": s.verified_total,
        "criteria": [
            {"id": c.criterion_id, "points": c.points, "max": c.max, "explanation": c.explanation,
             "self_points": c.self_points, "verified_points": c.verified_points}
            for c in s.criteria
        ],
        "sections": [{"id": x.section_id, "points": x.points, "max": x.max} for x in s.sections],
    }


def _n(x: float | None) -> str:
    return "—" if x is None else num(x)


def as_table(rubric: Rubric, s: ScoredSheet) -> str:
    head = ("Mã", "Tối đa", "Tự chấm", "Tính", "Thẩm định", "Giải thích")
    rows = [(c.criterion_id, _n(c.max), _n(c.self_points), _n(c.points), _n(c.verified_points),
             ("≠ " if c.differs() else "") + c.explanation) for c in s.criteria]
    widths = [max(len(r[i]) for r in [head, *rows]) for i in range(5)]

    def line(r: tuple[str, ...]) -> str:
        return "  ".join(v.ljust(widths[i]) if i == 0 else v.rjust(widths[i]) for i, v in enumerate(r[:5])) + "  " + r[5]

    out = [f"Phiếu chấm {rubric.id}: {rubric.title}", f"Đơn vị: {s.unit} (nhóm {s.group})", ""]
    out += [line(head), *(line(r) for r in rows), ""]
    out.append("Mục")
    for x in s.sections:
        indent = "  " if x.parent else ""
        out.append(f"  {indent}{x.section_id} {x.title}: {num(x.points)}" + (f"/{num(x.max)}" if x.max is not None else ""))
    total = f"Tổng điểm tính theo số liệu: {num(s.total)}" + (f"/{num(s.max)}" if s.max is not None else "")
    out += ["", total]
    if s.self_total is not None:
        out.append(f"Tổng điểm tự đánh giá: {num(s.self_total)}")
    if s.verified_total is not None:
        out.append(f"Tổng điểm thẩm định: {num(s.verified_total)}")
    diffs = s.differences()
    if diffs:
        out.append(f"Chênh lệch (≠) ở {len(diffs)} tiêu chí: {', '.join(c.criterion_id for c in diffs)}")
    if not rubric.complete:
        out.append("Lưu ý: phiếu này thay cho phụ lục chi tiết chưa được nạp (xem dtiflow rubric show).")
    return "\n".join(out)
