"""`dtiflow rubric ...`: validate and read score sheets (rubric files).

    dtiflow rubric check FILE     every error and warning (file:line: criterion X: ...); exit 2 on errors
    dtiflow rubric show ID|FILE   the sheet as a table: sections, items, maxima, kinds, evidence
    dtiflow rubric list           the shipped rubric ids

Every command takes --json. A file whose id is a shipped stand-in sheet (Decision 265's index
sheets) is also checked against the decision's index structure, since it would replace it.
"""

from __future__ import annotations

import argparse
import sys
import textwrap
from pathlib import Path

from domain.rubric import FLAG_LABELS, KIND_LABELS, Criterion, Kind, RatioMode, Rubric
from domain.scoring_text import num
from dtiflow.cli.errors import UserError
from dtiflow.cli.output import emit_json
from rubrics.rubric_checks import Problem
from rubrics.rubric_loader import check_rubric_file, list_rubrics, load_rubric, load_rubric_file
from rubrics.source import Where

EXIT_PROBLEMS = 2




def register(subparsers: argparse._SubParsersAction) -> None:
    rub = subparsers.add_parser("rubric", help="validate and show score sheets (rubrics)",
                                description=__doc__.splitlines()[0])
    sub = rub.add_subparsers(dest="rubric_command", metavar="ACTION", parser_class=type(rub))
    sub.required = True

    p = sub.add_parser("check", help="validate a rubric file and list its problems")
    p.add_argument("file", type=Path, metavar="FILE")
    p.add_argument("--json", action="store_true", help="print JSON instead of text")
    p.set_defaults(handler=_check)

    p = sub.add_parser("show", help="a rubric as a table (by shipped id, or a file)")
    p.add_argument("rubric", metavar="ID|FILE")
    p.add_argument("--json", action="store_true", help="print JSON instead of text")
    p.set_defaults(handler=_show)

    p = sub.add_parser("list", help="the shipped rubric ids")
    p.add_argument("--json", action="store_true", help="print JSON instead of text")
    p.set_defaults(handler=_list)


# --- check ------------------------------------------------------------------------------------


def _problem_json(p: Problem) -> dict:
    where = p.where
    return {
        "file": where.path if isinstance(where, Where) else str(where),
        "line": where.line if isinstance(where, Where) else None,
        "subject": p.subject,
        "severity": p.severity,
        "message": p.message,
    }


def _check(args: argparse.Namespace) -> int:
    problems = check_rubric_file(args.file)
    errors = [p for p in problems if p.is_error]
    warnings = [p for p in problems if not p.is_error]
    if args.json:
        emit_json({
            "file": str(args.file),
            "ok": not errors,
            "errors": len(errors),
            "warnings": len(warnings),
            "problems": [_problem_json(p) for p in errors + warnings],
        })
    else:
        for p in errors + warnings:
            print(p)
        verdict = "có lỗi" if errors else "hợp lệ"
        print(f"{args.file}: {verdict} ({len(errors)} lỗi, {len(warnings)} cảnh báo)")
    return EXIT_PROBLEMS if errors else 0


# --- show -------------------------------------------------------------------------------------


def _load(ref: str) -> Rubric:
    path = Path(ref)
    if path.suffix in (".yaml", ".yml") or path.exists():
        return load_rubric_file(path)
    if ref not in list_rubrics():
        raise UserError(f"no rubric '{ref}' (shipped: {', '.join(list_rubrics())}; or give a file)")
    return load_rubric(ref)


def _rule_text(c: Criterion) -> str:
    k = c.kind
    if k is Kind.RATIO:
        head = f"{c.numerator_label} / {c.denominator_label}"
        if c.ratio_mode is RatioMode.PROPORTIONAL:
            return f"{head}; theo tỷ lệ, đủ điểm từ {num(c.full_at_percent)}%"
        return f"{head}; " + ", ".join(f"≥ {num(t.at_least)}%: {num(t.points)}" for t in c.tiers)
    if k is Kind.COUNT:
        return ", ".join(f"≥ {num(t.at_least)}: {num(t.points)}" for t in c.tiers)
    if k is Kind.CHOICE:
        return "; ".join(f"{o.key} «{o.text}»: {num(o.share * 100)}%" for o in c.options)
    return ""


def criterion_json(c: Criterion) -> dict:
    return {
        "id": c.id,
        "heading": c.heading or None,
        "text": c.text,
        "kind": c.kind.value,
        "max": c.max,
        "section": c.section_id,
        "fields": list(c.fields),
        "tiers": [{"at_least": t.at_least, "points": t.points} for t in c.tiers],
        "ratio_mode": c.ratio_mode.value if c.ratio_mode else None,
        "full_at_percent": c.full_at_percent,
        "numerator": c.numerator_label or None,
        "denominator": c.denominator_label or None,
        "options": [{"key": o.key, "text": o.text, "share": o.share} for o in c.options],
        "rules": [{"when": r.flag, "share": r.share, "source": r.source} for r in c.rules],
        "evidence": {"required": c.evidence.required, "text": c.evidence.text},
        "note": c.note or None,
    }


def rubric_json(r: Rubric) -> dict:
    return {
        "id": r.id,
        "title": r.title,
        "source": r.source,
        "max": r.max,
        "complete": r.complete,
        "criteria_count": r.stated_count,
        "notes": list(r.notes),
        "sections": [
            {"id": s.id, "title": s.title, "max": s.max, "parent": s.parent,
             "criteria_count": s.stated_count, "criteria": list(s.criterion_ids), "note": s.note or None}
            for s in r.sections
        ],
        "criteria": [criterion_json(c) for c in r.criteria],
    }


def _show(args: argparse.Namespace) -> int:
    r = _load(args.rubric)
    if args.json:
        emit_json(rubric_json(r))
        return 0
    out = sys.stdout.write
    out(f"{r.id}: {r.title}\n{r.source}\n")
    out(f"Điểm tối đa: {num(r.max) if r.max is not None else 'không quy định (phụ lục chưa nạp)'}\n")
    for n in r.notes:
        out(textwrap.fill(n, 100, initial_indent="  * ", subsequent_indent="    ") + "\n")
    w = max(len(x) for x in [*(s.id for s in r.sections), *(c.id for c in r.criteria), "STT"])
    out(f"\n{'STT':<{w}} {'Nội dung':<70} {'Tối đa':>7}  Loại\n")
    sections = {s.id: s for s in r.sections}
    crits = {c.id: c for c in r.criteria}
    for top in r.top_sections:
        _show_section(out, top, w)
        shown = {top.id}
        for cid in top.criterion_ids:
            c = crits[cid]
            chain = []
            sid = c.section_id
            while sid not in shown:
                chain.append(sections[sid])
                sid = sections[sid].parent
            for sub in reversed(chain):
                _show_section(out, sub, w)
                shown.add(sub.id)
            _show_criterion(out, c, w)
    return 0


def _show_section(out, s, w: int) -> None:
    mx = num(s.max) if s.max is not None else ""
    count = f"  ({s.stated_count} tiêu chí)" if s.stated_count else ""
    title = s.title.upper() if s.parent is None else s.title
    out(f"{s.id:<{w}} {_clip(title, 70):<70} {mx:>7}{count}\n")
    if s.note:
        for line in textwrap.wrap(s.note, 86):
            out(f"{'':<{w + 3}}{line}\n")


def _clip(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def _show_criterion(out, c: Criterion, w: int) -> None:
    text = f"{c.heading}: {c.text}" if c.heading else c.text
    lines = textwrap.wrap(text, 70) or [""]
    mx = num(c.max) if c.max is not None else "—"
    out(f"{c.id:<{w}} {lines[0]:<70} {mx:>7}  {KIND_LABELS[c.kind]}\n")
    for line in lines[1:]:
        out(f"{'':<{w}} {line}\n")
    extra = [_rule_text(c)]
    if c.evidence.text or c.evidence.required:
        need = "bắt buộc tài liệu chứng minh; " if c.evidence.required else ""
        extra.append(f"Ghi chú: {need}{c.evidence.text}")
    extra += [f"{FLAG_LABELS[r.flag]}: tính {num(r.share * 100)}% điểm tối đa ({r.source})" for r in c.rules]
    if c.note:
        extra.append(f"({c.note})")
    for e in filter(None, extra):
        for line in textwrap.wrap(e, 86):
            out(f"{'':<{w + 3}}{line}\n")


def _list(args: argparse.Namespace) -> int:
    ids = list_rubrics()
    if args.json:
        emit_json(ids)
    else:
        print("\n".join(ids))
    return 0
