"""Whole-sheet checks of a parsed rubric: sums of maxima, criterion counts, stand-in replacement.

Each problem names the file, line and criterion or section, e.g.
``rubrics/sheets/x.yaml:41: section II: criteria maxima add up to 34, the decision states 35``.
Errors stop a rubric from loading; warnings are printed by `dtiflow rubric check` and do not.
"""

from __future__ import annotations

from dataclasses import dataclass

from domain.rubric import Rubric
from domain.scoring_text import num
from rubrics.source import Where

# Float noise in sums of maxima such as 7.2 + 4.8 is not a disagreement with the decision.
_EPS = 1e-9


@dataclass(frozen=True)
class Problem:
    where: Where | str
    subject: str  # "criterion I.1.1", "section II", "rubric" ...
    message: str
    severity: str = "error"  # or "warning"

    def __str__(self) -> str:
        tag = "" if self.severity == "error" else "warning: "
        subject = f"{self.subject}: " if self.subject else ""
        return f"{self.where}: {tag}{subject}{self.message}"

    @property
    def is_error(self) -> bool:
        return self.severity == "error"


def check_structure(rubric: Rubric, where: dict[str, Where], file_where: Where) -> list[Problem]:
    """Maxima add up to what the decision states; counts match where the sheet is complete.

    `where` maps section and criterion ids to their line. Decision 2693 prints each section's
    and the sheet's total ("40 điểm", "Tổng cộng: 100 điểm"); Decision 265 Art. 5 prints each
    index's points and criterion count.
    """
    out: list[Problem] = []
    crit_max = {c.id: c.max for c in rubric.criteria}
    children: dict[str | None, list[str]] = {}
    for s in rubric.sections:
        children.setdefault(s.parent, []).append(s.id)

    def section_sum(section_id: str) -> float | None:
        s = rubric.section(section_id)
        maxima = [crit_max[cid] for cid in s.criterion_ids]
        return None if any(m is None for m in maxima) else sum(maxima)

    for s in rubric.sections:
        subject = f"section {s.id}"
        at = where.get("section " + s.id, file_where)
        total = section_sum(s.id)
        if s.max is not None and total is not None and abs(total - s.max) > _EPS:
            out.append(Problem(at, subject, f"criteria maxima add up to {num(total)}, the section states {num(s.max)}"))
        if s.stated_count is not None:
            count = len(s.criterion_ids)
            if rubric.complete and count != s.stated_count:
                out.append(Problem(at, subject, f"has {count} criteria, the decision states {s.stated_count}"))
            elif not rubric.complete:
                out.append(Problem(
                    at, subject,
                    f"detailed appendix not loaded: scored as points entered within the index maximum "
                    f"(the decision states {s.stated_count} criteria)",
                    "warning",
                ))
    top = [s for s in rubric.sections if s.parent is None]
    top_maxima = [s.max if s.max is not None else section_sum(s.id) for s in top]
    if rubric.max is not None:
        if any(m is None for m in top_maxima):
            out.append(Problem(file_where, "rubric", f"states a maximum of {num(rubric.max)} but some sections have none"))
        else:
            total = sum(top_maxima)
            if abs(total - rubric.max) > _EPS:
                out.append(Problem(file_where, "rubric", f"section maxima add up to {num(total)}, the sheet states {num(rubric.max)}"))
    else:
        out.append(Problem(file_where, "rubric", "no maximum stated: percentage classification is not possible with this sheet", "warning"))
    if rubric.stated_count is not None:
        stated = [s.stated_count for s in top]
        if all(n is not None for n in stated) and sum(stated) != rubric.stated_count:
            out.append(Problem(file_where, "rubric", f"section criteria counts add up to {sum(stated)}, the sheet states {rubric.stated_count}"))
        if rubric.complete and len(rubric.criteria) != rubric.stated_count:
            out.append(Problem(file_where, "rubric", f"has {len(rubric.criteria)} criteria, the decision states {rubric.stated_count}"))
    in_sections = {cid for s in top for cid in s.criterion_ids}
    for c in rubric.criteria:
        if c.id not in in_sections:
            out.append(Problem(where.get(c.id, file_where), f"criterion {c.id}", "is in no section"))
    return out


def check_replacement(shipped: Rubric, detailed: Rubric, where: dict[str, Where], file_where: Where) -> list[Problem]:
    """A province's detailed appendix may replace a shipped stand-in sheet only if it keeps the
    index structure the decision states: the same indices (section ids), each with the stated
    maximum and the stated number of criteria, and the same total (Decision 265 Art. 5)."""
    out: list[Problem] = []
    if detailed.id != shipped.id:
        out.append(Problem(file_where, "rubric", f"id '{detailed.id}' does not match '{shipped.id}'"))
    if not detailed.complete:
        out.append(Problem(file_where, "rubric", "a replacement must be the detailed appendix (complete: true)"))
    if shipped.stated_count is not None and len(detailed.criteria) != shipped.stated_count:
        out.append(Problem(file_where, "rubric", f"has {len(detailed.criteria)} criteria, the decision states {shipped.stated_count}"))
    if detailed.max != shipped.max:
        out.append(Problem(file_where, "rubric", f"maximum {num(detailed.max or 0)} differs from the decision's {num(shipped.max or 0)}"))
    for s in shipped.top_sections:
        d = detailed.section(s.id)
        if d is None:
            out.append(Problem(file_where, f"section {s.id}", f"missing: the decision has the index '{s.title}'"))
            continue
        at = where.get("section " + s.id, file_where)
        if d.max != s.max:
            out.append(Problem(at, f"section {s.id}", f"maximum {num(d.max or 0)} differs from the decision's {num(s.max or 0)}"))
        if s.stated_count is not None and len(d.criterion_ids) != s.stated_count:
            out.append(Problem(at, f"section {s.id}", f"has {len(d.criterion_ids)} criteria, the decision states {s.stated_count}"))
    shipped_ids = {s.id for s in shipped.top_sections}
    for d in detailed.top_sections:
        if d.id not in shipped_ids:
            out.append(Problem(where.get("section " + d.id, file_where), f"section {d.id}", "is not an index of the decision"))
    return out
