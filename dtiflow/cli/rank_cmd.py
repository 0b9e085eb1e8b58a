"""`dtiflow rank --regime ID [--level L] SHEETS_DIR [--json]`: classification, ranking, awards.

SHEETS_DIR holds one sheet file per unit (`*.yaml`, sub-folders too) and optionally
`not_evaluated.yaml`, the units not evaluated with the reason (docs/sheets.md). Rows come group
by group in the regime's order: ranked units by rank (ties share a rank: 1, 2, 2, 4), then the
units not ranked with the reason.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from domain.awards import NoAward
from domain.ranking import Standing
from domain.regime import Regime
from domain.scoring_text import num
from dtiflow.cli.errors import UserError
from dtiflow.cli.output import emit_json
from rubrics.regime_loader import UnknownRegime, load_regime
from rubrics.sheet_folder import load_folder
from rubrics.sheet_loader import default_rubric_for
from services.errors import ServiceError
from services.ranking import rank_folder


def register(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser("rank", help="classify, rank and award a folder of sheet files",
                              description=__doc__.splitlines()[0])
    p.add_argument("--regime", required=True, metavar="ID", help="e.g. binhthuan-2019-it")
    p.add_argument("--level", metavar="L", help="only this group or level (e.g. II, district)")
    p.add_argument("folder", type=Path, metavar="SHEETS_DIR")
    p.add_argument("--json", action="store_true", help="print JSON rows instead of a table")
    p.set_defaults(handler=_rank)


def _rank(args: argparse.Namespace) -> int:
    try:
        regime = load_regime(args.regime)
    except UnknownRegime as exc:
        raise UserError(str(exc)) from None
    group_ids = [g.id for g in regime.groups]
    if args.level is not None and args.level not in group_ids:
        raise UserError(f"--level {args.level}: {regime.id} không có nhóm hoặc cấp này (có: {', '.join(group_ids)})")
    if args.folder.is_file():
        raise UserError(f"{args.folder}: đây là một tệp, không phải thư mục phiếu đánh giá "
                        f"(một phiếu: dtiflow score --rubric ID {args.folder})")
    if not args.folder.is_dir():
        raise UserError(f"{args.folder}: không có thư mục phiếu đánh giá này")
    rubric_for = default_rubric_for()
    folder = load_folder(args.folder, regime, level=args.level, rubric_for=rubric_for)
    try:
        rows = rank_folder(regime, folder, rubric_for)
    except ServiceError as exc:
        raise UserError(str(exc)) from None
    if args.json:
        emit_json([as_json(r) for r in rows])
    else:
        print(as_table(regime, rows))
    return 0


def as_json(r: Standing) -> dict:
    row = {"unit": r.unit, "group": r.group, "total": r.total, "percent": r.percent,
           "classification": r.classification, "rank": r.rank, "award": r.award, "ranked": r.ranked}
    if not r.ranked:
        row["reason"] = r.reason
    if r.award_note:
        row["award_note"] = r.award_note
    return row


def as_table(regime: Regime, rows: list[Standing]) -> str:
    rules = regime.rules
    out = [f"{regime.title} ({regime.id})"]
    if rules is not None and not rules.ranking.stated:
        out.append(f"Lưu ý: {rules.ranking.note}")
    for group in regime.groups:
        mine = [r for r in rows if r.group == group.id]
        if not mine:
            continue
        out += ["", f"Nhóm {group.id}: {group.name}"]
        ranked = [r for r in mine if r.ranked]
        if ranked:
            head = ("Hạng", "Đơn vị", "Tổng điểm", "Tỷ lệ", "Xếp loại", "Khen thưởng")
            body = [(str(r.rank), r.unit, num(r.total), "—" if r.percent is None else f"{num(r.percent)}%",
                     r.classification or "—", r.award or "—") for r in ranked]
            widths = [max(len(x[i]) for x in [head, *body]) for i in range(len(head))]
            for x in [head, *body]:
                out.append("  " + "  ".join(v.rjust(widths[i]) if i in (0, 2, 3) else v.ljust(widths[i])
                                           for i, v in enumerate(x)).rstrip())
        policy = rules.award_policy(group.id) if rules is not None else None
        if isinstance(policy, NoAward):
            out.append(f"  Khen thưởng: {policy.note}")
        else:
            out += [f"  * {r.unit}: {r.award_note}" for r in ranked if r.award_note]
        unranked = [r for r in mine if not r.ranked]
        if unranked:
            out.append("  Không xếp hạng:")
            for r in unranked:
                score = "" if r.total is None else f" ({num(r.total)} điểm)"
                out.append(f"  - {r.unit}{score}: {r.reason}")
    return "\n".join(out)
