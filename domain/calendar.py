"""Working days of Vietnamese state agencies, answered from a precomputed index.

A working day is Monday–Friday, minus public holidays, compensatory days (a holiday on a
weekly rest day moves to the next working day) and weekdays given off in official swaps,
plus the Saturdays worked in those swaps (docs/calendar.md).

The base is the `holidays` package; official notices it lacks or gets wrong come in as
`CalendarOverride`s (loaded from rubrics/calendar/vn.yaml), and an override always wins.
All arithmetic runs on arrays built once: a cumulative working-day count per day and the
list of working days, so every query is O(1) (no day-by-day loop).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING, Iterable, Mapping, Sequence

if TYPE_CHECKING:
    import holidays

from domain.errors import InvalidInput
from domain.instants import format_date_vi, weekday_vi

KINDS = (
    "working_day",
    "weekend",
    "public_holiday",
    "compensatory_day",
    "swap_day_off",
    "swap_working_day",
)
WORKING_KINDS = frozenset({"working_day", "swap_working_day"})
CONFIDENCES = ("official", "estimated")
# Kinds that only make sense on a weekly rest day, and those only on Monday–Friday.
_WEEKEND_ONLY = frozenset({"weekend", "swap_working_day"})
_WEEKDAY_ONLY = frozenset({"working_day", "compensatory_day", "swap_day_off"})

# Decision 188/1999/QĐ-TTg: state agencies work a 40-hour week, Saturday and Sunday off.
WEEK_SOURCE = "Quyết định 188/1999/QĐ-TTg (tuần làm việc 40 giờ)"


def _law(year: int) -> tuple[str, str]:
    """(holidays article, compensatory-day article) in force in `year`.

    Labour Code 2012 Art. 115 until 2020; Labour Code 2019 (in force 1/1/2021) Art. 112 for
    the holidays and Art. 111(3) for the compensatory day.
    """
    if year <= 2020:
        return "Bộ luật Lao động 2012, Điều 115 khoản 1", "Bộ luật Lao động 2012, Điều 115 khoản 3"
    return "Bộ luật Lao động 2019, Điều 112 khoản 1", "Bộ luật Lao động 2019, Điều 111 khoản 3"


class CalendarRangeError(InvalidInput):
    """A date outside the years the calendar covers (it never guesses beyond them)."""


@dataclass(frozen=True)
class DayInfo:
    date: dt.date
    working: bool
    kind: str
    name: str
    source: str
    estimated: bool


@dataclass(frozen=True)
class CalendarOverride:
    date: dt.date
    kind: str
    name: str
    source: str
    confidence: str


def override_problem(o: CalendarOverride) -> str | None:
    """What is wrong with one override entry, or None (the loader reports it with file:line)."""
    if o.kind not in KINDS:
        return f"unknown kind '{o.kind}' (known: {', '.join(KINDS)})"
    if o.confidence not in CONFIDENCES:
        return f"confidence must be one of {', '.join(CONFIDENCES)}; got '{o.confidence}'"
    weekend = o.date.weekday() >= 5
    if o.kind in _WEEKEND_ONLY and not weekend:
        return f"kind '{o.kind}' needs a Saturday or Sunday, but {format_date_vi(o.date)} is a {weekday_vi(o.date)}"
    if o.kind in _WEEKDAY_ONLY and weekend:
        return f"kind '{o.kind}' needs a weekday, but {format_date_vi(o.date)} is a {weekday_vi(o.date)}"
    if not o.name.strip() or not o.source.strip():
        return "name and source must be non-empty"
    return None


# The swaps the package knows, as data: {year: (off_month, off_day, worked_month, worked_day
# [, worked_year])} — a weekday given off and the Saturday worked for it (the Government's
# notices; their numbers are in rubrics/calendar/vn.yaml).
# (read inside `_swap_pairs`: importing `holidays` loads every country, about half a second)
# The Lunar New Year's own day, looked up by the package's exact English name (a stable key,
# never shown): the five Tết days the Government arranges around it (Labour Code 2019 Art.
# 112(1)(b); 2012 Art. 115(1)(b)) are public holidays even when moved off a weekend.
_LUNAR_NEW_YEAR = "Lunar New Year"
_TET_WINDOW = (-2, 5)  # from "29 Tết" to "mùng 6": where the package places the Tết days
SWAP_SOURCE = "Hoán đổi ngày làm việc theo thông báo của Chính phủ"


def _swap_pairs(first_year: int, last_year: int) -> dict[dt.date, dt.date]:
    """{weekday given off: Saturday worked for it} from the package's structured swap table."""
    from holidays.countries.vietnam import VietnamStaticHolidays

    pairs: dict[dt.date, dt.date] = {}
    for year, entries in VietnamStaticHolidays.special_public_holidays.items():
        for entry in (entries if isinstance(entries[0], tuple) else (entries,)):
            off_m, off_d, work_m, work_d, *work_year = entry
            off, worked = dt.date(year, off_m, off_d), dt.date(work_year[0] if work_year else year, work_m, work_d)
            if first_year <= off.year <= last_year or first_year <= worked.year <= last_year:
                pairs[off] = worked
    return pairs


def _tet_days(plain: "holidays.HolidayBase", years: range) -> set[dt.date]:
    import holidays

    out: set[dt.date] = set()
    for year in years:
        lny = [d for d in plain.get_named(_LUNAR_NEW_YEAR, lookup="exact") if d.year == year]
        if len(lny) != 1:  # an upstream rename must fail loudly, never reclassify days silently
            raise RuntimeError(f"holidays {holidays.__version__}: no single '{_LUNAR_NEW_YEAR}' in {year}")
        out |= {lny[0] + dt.timedelta(days=k) for k in range(_TET_WINDOW[0], _TET_WINDOW[1] + 1)}
    return out


def holiday_base_days(first_year: int, last_year: int) -> dict[dt.date, DayInfo]:
    """Every day that `holidays` says breaks the plain week, as DayInfo (not yet overridden).

    `holidays` is imported here, not at the top: importing it loads every country (about half a
    second), and a loader that has these days already (rubrics.holiday_cache keeps them per
    `holidays` version) never needs it.

    What a day IS comes from the package's structure, never from its display labels: the
    holidays themselves (`observed=False`), the days the observed rule adds (`observed=True`
    minus those: compensatory days, Art. 111(3), except the Tết days moved off a weekend), and
    the swap table. The Vietnamese label is kept only as the day's display name.
    """
    years = range(first_year, last_year + 1)
    import holidays

    plain = holidays.country_holidays("VN", years=years, observed=False, language="en_US")
    named = holidays.country_holidays("VN", years=years, observed=True, language="vi")
    swaps = _swap_pairs(first_year, last_year)
    paid_by = {worked: off for off, worked in swaps.items()}
    tet = _tet_days(plain, years)
    out: dict[dt.date, DayInfo] = {}
    for day in sorted(named):
        if not first_year <= day.year <= last_year:
            continue
        holiday_law, comp_law = _law(day.year)
        if day in swaps:
            out[day] = DayInfo(day, False, "swap_day_off",
                               f"Nghỉ hoán đổi, làm bù thứ Bảy {format_date_vi(swaps[day])}", SWAP_SOURCE, False)
            continue
        name = named[day].replace("Nguyên Đán", "Nguyên đán")
        if day in plain or day in tet:
            out[day] = DayInfo(day, False, "public_holiday", name, holiday_law, False)
        else:
            out[day] = DayInfo(day, False, "compensatory_day", name, comp_law, False)
    for day in sorted(named.weekend_workdays | set(paid_by)):
        if first_year <= day.year <= last_year:
            paid = paid_by.get(day)
            name = f"Làm bù cho ngày {format_date_vi(paid)}" if paid else "Ngày làm bù"
            out[day] = DayInfo(day, True, "swap_working_day", name, SWAP_SOURCE, False)
    return out


def _plain(day: dt.date, estimated: bool) -> DayInfo:
    if day.weekday() >= 5:
        return DayInfo(day, False, "weekend", weekday_vi(day), WEEK_SOURCE, estimated)
    return DayInfo(day, True, "working_day", "Ngày làm việc", WEEK_SOURCE, estimated)


class WorkingCalendar:
    """The working-day calendar of `first_year`..`last_year`; immutable once built."""

    def __init__(self, first_year: int, last_year: int, special: dict[dt.date, DayInfo],
                 version: str, estimated_years: frozenset[int]) -> None:
        self.version = version
        self.first_year = first_year
        self.last_year = last_year
        self._estimated_years = estimated_years
        self._special = special
        self._first = dt.date(first_year, 1, 1).toordinal()
        self._n = dt.date(last_year, 12, 31).toordinal() - self._first + 1
        working = bytearray(self._n)
        cum = [0] * (self._n + 1)  # cum[i]: working days among the first i days
        est_cum = [0] * (self._n + 1)  # same for estimated days
        dates: list[dt.date] = []
        for i in range(self._n):
            day = dt.date.fromordinal(self._first + i)
            info = special.get(day)
            ok = info.working if info else day.weekday() < 5
            est = day.year in estimated_years or bool(info and info.estimated)
            working[i] = ok
            cum[i + 1] = cum[i] + ok
            est_cum[i + 1] = est_cum[i] + est
            if ok:
                dates.append(day)
        self._working = bytes(working)
        self._cum = cum
        self._est_cum = est_cum
        self._dates = dates

    @classmethod
    def build(cls, first_year: int, last_year: int, overrides: Sequence[CalendarOverride],
              version: str, estimated_years: Iterable[int] = (),
              base_days: Mapping[dt.date, DayInfo] | None = None) -> "WorkingCalendar":
        """`base_days`: what `holiday_base_days(first_year, last_year)` returns, when the caller
        has it already (computed when None)."""
        if first_year > last_year:
            raise ValueError(f"first_year {first_year} is after last_year {last_year}")
        est_years = frozenset(estimated_years)
        special = dict(base_days) if base_days is not None else holiday_base_days(first_year, last_year)
        seen: set[dt.date] = set()
        for o in overrides:
            problem = override_problem(o)
            if problem:
                raise ValueError(f"override {o.date.isoformat()}: {problem}")
            if not first_year <= o.date.year <= last_year:
                raise ValueError(f"override {o.date.isoformat()} is outside {first_year}–{last_year}")
            if o.date in seen:
                raise ValueError(f"override {o.date.isoformat()} is given twice")
            seen.add(o.date)
            estimated = o.confidence == "estimated" or o.date.year in est_years
            special[o.date] = DayInfo(o.date, o.kind in WORKING_KINDS, o.kind, o.name, o.source, estimated)
        for day, info in special.items():
            if day.year in est_years and not info.estimated:
                special[day] = DayInfo(info.date, info.working, info.kind, info.name, info.source, True)
        return cls(first_year, last_year, special, version, est_years)

    # --- single days ---------------------------------------------------------------------
    # The hot paths below inline this check: a method call costs as much as the lookup.
    def _index(self, d: dt.date) -> int:
        i = d.toordinal() - self._first
        if not 0 <= i < self._n:
            raise self._range_error(d)
        return i

    def _range_error(self, d: dt.date) -> CalendarRangeError:
        return CalendarRangeError(
            f"ngày {format_date_vi(d)} nằm ngoài lịch làm việc ({self.first_year}–{self.last_year})")

    def is_working_day(self, d: dt.date) -> bool:
        i = d.toordinal() - self._first
        if 0 <= i < self._n:
            return self._working[i] == 1
        raise self._range_error(d)

    def day_info(self, d: dt.date) -> DayInfo:
        self._index(d)
        info = self._special.get(d)
        # A holiday on a weekly rest day keeps its own name (its day off moves, Art. 111(3)).
        return info if info is not None else _plain(d, d.year in self._estimated_years)

    def is_estimated(self, d: dt.date) -> bool:
        i = self._index(d)
        return self._est_cum[i + 1] > self._est_cum[i]

    def is_estimated_between(self, a: dt.date, b: dt.date) -> bool:
        ia, ib = self._index(a), self._index(b)
        if ib < ia:
            ia, ib = ib, ia
        return self._est_cum[ib + 1] > self._est_cum[ia]

    def is_year_estimated(self, year: int) -> bool:
        """Whether anything in `year` is only estimated (the year, or one of its entries)."""
        return self.is_estimated_between(dt.date(year, 1, 1), dt.date(year, 12, 31))

    # --- arithmetic (Civil Code 2015 Art. 147: counting starts the day after the event) ---
    def add_working_days(self, d: dt.date, n: int) -> dt.date:
        if n < 0:
            raise InvalidInput(f"số ngày làm việc phải từ 0 trở lên, không phải {n}")
        i = d.toordinal() - self._first
        if not 0 <= i < self._n:
            raise self._range_error(d)
        if n == 0:
            return d
        k = self._cum[i + 1] + n - 1
        if k >= len(self._dates):
            raise CalendarRangeError(
                f"{n} ngày làm việc sau ngày {format_date_vi(d)} nằm ngoài lịch làm việc "
                f"({self.first_year}–{self.last_year})")
        return self._dates[k]

    def count_working_days(self, a: dt.date, b: dt.date) -> int:
        first, n = self._first, self._n
        ia, ib = a.toordinal() - first, b.toordinal() - first
        if not (0 <= ia < n and 0 <= ib < n):
            raise self._range_error(a if not 0 <= ia < n else b)
        if ib < ia:
            raise InvalidInput(f"ngày {format_date_vi(b)} ở trước ngày {format_date_vi(a)}")
        return self._cum[ib + 1] - self._cum[ia + 1]

    def next_working_day(self, d: dt.date) -> dt.date:
        return self.add_working_days(d, 1)

    def roll_forward(self, d: dt.date) -> dt.date:
        """`d` if it is a working day, else the next one (Civil Code 2015 Art. 148(5))."""
        return d if self.is_working_day(d) else self.next_working_day(d)

    # --- listing ---------------------------------------------------------------------------
    def exceptions(self, year: int) -> list[DayInfo]:
        """Every day of `year` breaking the Monday–Friday pattern (weekdays off, weekends worked)."""
        self._index(dt.date(year, 1, 1))
        out = []
        for day in sorted(self._special):
            if day.year != year:
                continue
            info = self._special[day]
            if info.working == (day.weekday() >= 5):
                out.append(info)
        return out
