"""Working-day arithmetic: our precomputed index vs `holidays` and numpy, in one run.

    .venv/bin/python benchmarks/bench_calendar.py

Every contender is first checked for exactness against our calendar on the same inputs
(`holidays` is given our corrections so it can be exact; numpy's usual Monday–Friday mask
cannot express make-up Saturdays, so its wrong answers are counted and printed instead).
Inputs are varied (seeded random dates over 2015–2027), no caches: each call does the work.
Figures are the best of several repeats, per call.
"""

from __future__ import annotations

import datetime as dt
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import holidays  # noqa: E402
import numpy as np  # noqa: E402

from rubrics.calendar_loader import load_calendar  # noqa: E402

ONE = dt.timedelta(days=1)
REPEATS = 5


def per_call(fn, inputs, repeats=REPEATS) -> float:
    """Best-of-`repeats` seconds per call of fn(*args) over `inputs`."""
    best = float("inf")
    for _ in range(repeats):
        t0 = time.perf_counter()
        for args in inputs:
            fn(*args)
        best = min(best, (time.perf_counter() - t0) / len(inputs))
    return best


def corrected_holidays(cal, days):
    """`holidays`' own VN object, patched with our overrides so its answers are exact."""
    h = holidays.country_holidays("VN", years=range(cal.first_year - 1, cal.last_year + 2))
    fixed = []
    for d in days:
        ours, theirs = cal.is_working_day(d), h.is_working_day(d)
        if ours == theirs:
            continue
        fixed.append(d)
        if d.weekday() >= 5:
            h.weekend_workdays.add(d) if ours else h.weekend_workdays.discard(d)
        elif ours:
            h.pop(d)
        else:
            h[d] = cal.day_info(d).name
    return h, fixed


def main() -> int:
    cal = load_calendar()
    first, last = dt.date(cal.first_year, 1, 1), dt.date(cal.last_year, 12, 31)
    days = [first + ONE * i for i in range((last - first).days + 1)]
    off = [np.datetime64(d) for d in days if not cal.is_working_day(d)]
    weekday_off = [np.datetime64(d) for d in days if d.weekday() < 5 and not cal.is_working_day(d)]
    exact_np = np.busdaycalendar(weekmask="1111111", holidays=off)
    usual_np = np.busdaycalendar(weekmask="1111100", holidays=weekday_off)
    h, fixed = corrected_holidays(cal, days)

    rng = random.Random(2026)
    margin = 400  # keep every answer inside the covered years
    starts = [rng.choice(days[:-margin]) for _ in range(4000)]
    starts64 = [np.datetime64(d) for d in starts]

    # --- exactness --------------------------------------------------------------------------
    def np_add(d64, n, c):  # n-th working day strictly after d (roll back first, see docs)
        return np.busday_offset(d64, n, roll="backward", busdaycal=c).astype(object)

    def np_count(a64, b64, c):  # working days in (a, b]
        return int(np.busday_count(a64 + 1, b64 + 1, busdaycal=c))

    all_starts = days[:-margin]
    wrong = {}
    for label, n in (("add 15", 15), ("add 120", 120)):
        ours = [cal.add_working_days(d, n) for d in all_starts]
        assert [np_add(np.datetime64(d), n, exact_np) for d in all_starts] == ours, "exact numpy disagrees"
        assert all(h.get_nth_working_day(d, n) == o for d, o in zip(all_starts[::25], ours[::25])), "holidays disagrees"
        wrong[label] = sum(np_add(np.datetime64(d), n, usual_np) != o for d, o in zip(all_starts, ours))
    ours_year = [cal.count_working_days(d, d + ONE * 365) for d in all_starts]
    assert [np_count(np.datetime64(d), np.datetime64(d + ONE * 365), exact_np) for d in all_starts] == ours_year
    assert all(h.get_working_days_count(d + ONE, d + ONE * 365) == o
               for d, o in zip(all_starts[::97], ours_year[::97])), "holidays disagrees"
    wrong["count a year"] = sum(np_count(np.datetime64(d), np.datetime64(d + ONE * 365), usual_np) != o
                                for d, o in zip(all_starts, ours_year))
    wrong["is working day"] = sum(bool(np.is_busday(np.datetime64(d), busdaycal=usual_np)) != cal.is_working_day(d)
                                  for d in days)

    # --- speed ------------------------------------------------------------------------------
    add_in = [(d, 15) for d in starts]
    add_in64 = [(d, 15) for d in starts64]
    year_in = [(d, d + ONE * 365) for d in starts]
    year_in_h = [(d + ONE, d + ONE * 365) for d in starts[:300]]
    year_in64 = [(d + 1, d + 366) for d in starts64]
    day_in = [(d,) for d in starts]
    day_in64 = [(d,) for d in starts64]

    rows = []
    t_ours = per_call(cal.add_working_days, add_in)
    t_h = per_call(h.get_nth_working_day, add_in[:1000])
    t_np = per_call(lambda d, n: np.busday_offset(d, n, roll="backward", busdaycal=exact_np), add_in64)
    t_npu = per_call(lambda d, n: np.busday_offset(d, n, roll="backward", busdaycal=usual_np), add_in64)
    rows.append(("add 15 working days", t_ours, t_h, t_np, t_npu, 50))

    t_ours_c = per_call(cal.count_working_days, year_in)
    t_h_c = per_call(h.get_working_days_count, year_in_h, repeats=3)
    t_np_c = per_call(lambda a, b: np.busday_count(a, b, busdaycal=exact_np), year_in64)
    t_npu_c = per_call(lambda a, b: np.busday_count(a, b, busdaycal=usual_np), year_in64)
    rows.append(("count over a year", t_ours_c, t_h_c, t_np_c, t_npu_c, 500))

    t_ours_d = per_call(cal.is_working_day, day_in)
    t_h_d = per_call(h.is_working_day, day_in)
    t_np_d = per_call(lambda d: np.is_busday(d, busdaycal=exact_np), day_in64)
    t_npu_d = per_call(lambda d: np.is_busday(d, busdaycal=usual_np), day_in64)
    rows.append(("is working day", t_ours_d, t_h_d, t_np_d, t_npu_d, None))

    us = 1e6
    print(f"Working-day calendar {cal.first_year}–{cal.last_year} (version {cal.version}); "
          f"holidays {holidays.__version__}, numpy {np.__version__}, Python {sys.version.split()[0]}")
    print(f"{len(starts)} varied start dates; per-call best of {REPEATS}; exact = same answers as our calendar\n")
    head = f"{'operation':<22}{'ours µs':>9}{'holidays µs':>13}{'numpy 7-day µs':>16}{'numpy Mon–Fri µs':>18}" \
           f"{'× holidays':>12}{'× numpy':>10}"
    print(head)
    print("-" * len(head))
    results = []
    for name, o, hh, n7, n5, target_h in rows:
        print(f"{name:<22}{o * us:>9.3f}{hh * us:>13.2f}{n7 * us:>16.2f}{n5 * us:>18.2f}{hh / o:>11.0f}×{n7 / o:>9.1f}×")
        if target_h:
            results.append((f"{name}: ≥{target_h}× faster than holidays", hh / o, target_h))
            results.append((f"{name}: ≥5× faster than exact numpy (scalar)", n7 / o, 5))

    print("\nExactness: our index, holidays (with our corrections) and numpy's 7-day mask agree on every checked answer.")
    print(f"holidays {holidays.__version__} alone differs from the official calendar on {len(fixed)} days: "
          + ", ".join(d.strftime("%d/%m/%Y") for d in fixed))
    print(f"numpy with the usual Monday–Friday mask (weekday days off as holidays; cannot express make-up Saturdays), "
          f"over {len(all_starts)} start days 2015–2027:")
    for label, n_wrong in wrong.items():
        total = len(days) if label == "is working day" else len(all_starts)
        print(f"  {label:<16} wrong {n_wrong:>5} of {total} ({100 * n_wrong / total:.1f}%)")

    print("\nTargets:")
    ok_all = True
    for label, ratio, target in results:
        ok = ratio >= target
        ok_all &= ok
        print(f"  {label:<55} {ratio:>8.1f}×  {'met' if ok else 'NOT MET'}")
    return 0 if ok_all else 1


if __name__ == "__main__":
    sys.exit(main())
