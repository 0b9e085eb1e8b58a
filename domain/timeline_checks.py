"""Is a cycle's timeline possible? The dates a person gives (the notice, the days a Tây Ninh
cycle sets at opening, a survey's receipt) are checked against the cycle's year and against
each other before anything is stored or sent.

- A date a person gives lies within a year of the cycle's year: the evaluation of year Y is
  announced, run and approved in Y or Y+1 (Decision 1867 Art. 8; Decision 265 Art. 6), and a
  date years away is a typing slip.
- The notice cannot precede the data period it asks about (Decision 265 Art. 6: the data
  period runs to 30/11 of the year evaluated; a notice before it starts is a slip).
- The stages follow each other: notice, submission due, acceptance end, preliminary report,
  verification, approval, publication (Decision 1867 Art. 8; Decision 265 Art. 6); a later
  stage dated before an earlier one is refused.
- A cycle opened (its notice issued) after its acceptance end would send notices for a
  deadline already past; the milestones passed are named.

Pure functions of a `Timeline`: no clock (the caller passes `now`), no I/O.
"""

from __future__ import annotations

import datetime as dt
from typing import Mapping

from domain.instants import format_closing_vi, format_date_vi, local_date
from domain.regime import Role
from domain.timeline import DatedMilestone, Timeline

# The stages in the order the law puts them (each role's milestone must not precede the one
# before it).
STAGE_ORDER: tuple[Role, ...] = (Role.NOTICE, Role.SUBMISSION, Role.LOCK, Role.PRELIMINARY, Role.VERIFICATION,
                                 Role.APPROVAL, Role.PUBLICATION)
YEAR_SLACK = 1  # a person's date lies in the cycle's year, the year before or the year after


def fact_problems(facts: Mapping[str, dt.date], year: int, names: Mapping[str, str]) -> list[str]:
    """The dates a person gave that are not within a year of the cycle's year."""
    out = []
    for key, day in sorted(facts.items()):
        if abs(day.year - year) > YEAR_SLACK:
            out.append(f"{names.get(key, key)} ngày {format_date_vi(day)} không thuộc kỳ đánh giá năm {year} "
                       f"(chỉ nhận ngày trong các năm {year - YEAR_SLACK}–{year + YEAR_SLACK})")
    return out


def _first(timeline: Timeline, role: Role) -> DatedMilestone | None:
    return next((m for m in timeline.milestones if role in m.roles and m.date is not None), None)


def order_problems(timeline: Timeline) -> list[str]:
    """Stages dated out of order, and a notice before its data period starts."""
    out = []
    notice, start = _first(timeline, Role.NOTICE), _first(timeline, Role.DATA_PERIOD_START)
    if notice and start and notice.date < start.date:
        out.append(f"{notice.name} ngày {format_date_vi(notice.date)} trước khi kỳ số liệu bắt đầu "
                   f"({start.name.lower()} ngày {format_date_vi(start.date)})")
    dated = [(role, m) for role in STAGE_ORDER if (m := _first(timeline, role)) is not None]
    for (_, earlier), (_, later) in zip(dated, dated[1:]):
        if earlier.id != later.id and later.date < earlier.date:
            out.append(f"{later.name} ngày {format_date_vi(later.date)} trước {earlier.name.lower()} "
                       f"ngày {format_date_vi(earlier.date)}")
    return out


def passed_deadlines(timeline: Timeline, now: dt.datetime) -> list[str]:
    """The unit-facing deadlines (submission, acceptance end) already past at `now`."""
    seen, out = set(), []
    for m in timeline.milestones:
        if m.closes_at is not None and m.roles & {Role.SUBMISSION, Role.LOCK} and m.closes_at <= now \
                and m.id not in seen:
            seen.add(m.id)
            out.append(f"{m.name} ({format_closing_vi(m.closes_at)})")
    return out


def missing_for_notice(timeline: Timeline) -> list[DatedMilestone]:
    """The milestones a notice needs (the submission due and the acceptance end) still undated."""
    return [m for m in timeline.milestones if m.roles & {Role.SUBMISSION, Role.LOCK} and m.date is None]


def document_problems(answers, today: dt.date, data_period_end: dt.date | None) -> list[str]:
    """Documents a sheet cites that cannot be evidence: dated after the day the sheet is saved,
    or after the data period it reports on (a document issued later did not exist in that
    period; Decision 2693 Appendix I: "Cung cấp số, ngày ban hành văn bản")."""
    out = []
    for cid, a in sorted(answers.answers.items()):
        doc = a.document
        if doc is None or doc.date is None:
            continue
        if doc.date > today:
            out.append(f"tiêu chí {cid}: văn bản số {doc.number} ghi ngày {format_date_vi(doc.date)}, "
                       f"sau ngày hôm nay ({format_date_vi(today)})")
        elif data_period_end is not None and doc.date > data_period_end:
            out.append(f"tiêu chí {cid}: văn bản số {doc.number} ngày {format_date_vi(doc.date)} ban hành sau khi "
                       f"kỳ số liệu kết thúc ({format_date_vi(data_period_end)})")
    return out


def decision_date_problem(decision_date: dt.date, year: int, acceptance_end: dt.datetime | None) -> str | None:
    """An approval decision is dated after the end of acceptance (the results exist only after
    it; Decision 1867 Art. 8.3: the decision approves the verified results) and within a year
    of the cycle's year."""
    if abs(decision_date.year - year) > YEAR_SLACK:
        return (f"ngày quyết định {format_date_vi(decision_date)} không thuộc kỳ đánh giá năm {year} "
                f"(chỉ nhận ngày trong các năm {year - YEAR_SLACK}–{year + YEAR_SLACK})")
    if acceptance_end is not None:
        end_day = local_date(acceptance_end - dt.timedelta(microseconds=1))
        if decision_date < end_day:
            return (f"ngày quyết định {format_date_vi(decision_date)} trước khi hết thời hạn nhận phiếu "
                    f"({format_closing_vi(acceptance_end)})")
    return None
