"""`dtiflow demo --timelines`: this year's timeline of every shipped regime, with the calendar
facts behind it. Dates that only the cycle itself can supply (the day a notice is issued, a
survey received) are filled with example dates and said to be examples.
"""

from __future__ import annotations

import datetime as dt

from domain.instants import local_date
from domain.timeline import compute_timeline
from dtiflow.clock import SystemClock
from dtiflow.cli.output import emit_json
from dtiflow.cli.timeline_cmd import render_text, timeline_json
from rubrics.calendar_loader import load_calendar
from rubrics.regime_loader import list_regimes, load_regime

# Example facts per regime, shown as such: the month a province usually acts in.
_EXAMPLE_FACTS = {
    "binhthuan-2019-it": {"notice": (8, 7)},  # letter 697 was dated 7/8/2019
    "binhthuan-2023-dti": {"notice": (11, 2)},
    "mic-2017-egov": {"survey_received": (10, 5)},  # Decision 2392 Art. 4: in the fourth quarter
    # Decision 5279 leaves every date to the year's plan: example dates of such a plan.
    "hanoi-2025-dti": {"notice": (10, 27), "self_assessment_due": (11, 30), "appraisal_due": (12, 10)},
    "tayninh-2015-it": {"notice": (8, 3), "data_period_start": (1, 1), "data_period_end": (8, 31),
                        "submission_due": (9, 15), "verification_due": (10, 30), "approval_due": (11, 30)},
}


def print_timelines(year: int | None, as_json: bool = False) -> int:
    calendar = load_calendar()
    year = year or local_date(SystemClock().now()).year
    if not calendar.first_year <= year <= calendar.last_year:
        year = calendar.last_year
    if as_json:
        out = []
        for regime_id in list_regimes():
            regime = load_regime(regime_id)
            examples = {k: dt.date(year, m, d) for k, (m, d) in _EXAMPLE_FACTS.get(regime_id, {}).items()}
            groups = sorted({g for m in regime.milestones for g in m.by_group})
            for group in [None, *groups]:
                timeline = compute_timeline(regime, year, group, examples, calendar, calendar.version)
                out.append({**timeline_json(timeline), "example_facts": {k: v.isoformat() for k, v in examples.items()}})
        emit_json({"year": year, "calendar_version": calendar.version, "timelines": out})
        return 0
    print(f"dtiflow — các mốc thời gian năm {year} của từng bộ tiêu chí "
          f"(lịch ngày làm việc phiên bản {calendar.version})\n")
    for regime_id in list_regimes():
        regime = load_regime(regime_id)
        if regime.years is not None and not regime.years.covers(year):
            print("=" * 100)
            print(f"{regime.title} ({regime.id}): áp dụng cho các năm {regime.years.text()}, không áp dụng năm {year}\n")
            continue
        examples = {k: dt.date(year, m, d) for k, (m, d) in _EXAMPLE_FACTS.get(regime_id, {}).items()}
        groups = sorted({g for m in regime.milestones for g in m.by_group}) or [None]
        for group in ([None] + [g for g in groups if g] if groups != [None] else [None]):
            timeline = compute_timeline(regime, year, group, examples, calendar, calendar.version)
            print("=" * 100)
            print(render_text(regime, timeline, calendar))
            if examples:
                shown = ", ".join(f"{k} = {v:%d/%m/%Y}" for k, v in examples.items())
                print(f"\n  (Ngày ví dụ cho phần do kỳ đánh giá tự cung cấp: {shown})")
            print()
    return 0
