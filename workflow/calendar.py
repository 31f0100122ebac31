"""Working-day arithmetic over the official calendar (DESIGN §4).

The calendar is data: per year, the statutory holidays and the make-up working days (调休) of
the State Council's arrangement. A year with no official data counts weekends only, and a
deadline that reaches such a year is `provisional`.

Every query is a bisection over the sorted ordinals of all working days in a fixed span, so
`add_workdays` and `workdays_between` cost O(log n) whatever the distance.
"""

from __future__ import annotations

import datetime as dt
import threading
from bisect import bisect_right
from collections.abc import Callable
from dataclasses import dataclass, field

from workflow.errors import InvalidInput

# the span the table covers; the law's dates all fall well inside it
FIRST_DAY = dt.date(1990, 1, 1)
LAST_DAY = dt.date(2199, 12, 31)


class CalendarRangeError(InvalidInput, ValueError):
    """A date outside the span the calendar covers: the user's input (a mistyped year, a period too
    long), so every door shows it as one line. Also a ValueError, so a pydantic validator that
    meets it reports the field."""


@dataclass(frozen=True)
class CalendarData:
    """What a calendar is made of: official years, their holidays and make-up working days."""

    holidays: frozenset[dt.date] = frozenset()
    workdays: frozenset[dt.date] = frozenset()  # weekend days that are working days (调休)
    official_years: frozenset[int] = frozenset()
    revision: str = field(default="", compare=False)


class WorkCalendar:
    """The working days of `CalendarData`, precomputed for O(log n) queries."""

    def __init__(self, data: CalendarData) -> None:
        self.data = data
        self._ords = _working_ordinals(data)

    def is_workday(self, d: dt.date) -> bool:
        _check(d)
        if d in self.data.workdays:
            return True
        return d.weekday() < 5 and d not in self.data.holidays

    def add_workdays(self, d: dt.date, n: int) -> dt.date:
        """The n-th working day strictly after d (d itself for n = 0)."""
        if n < 0:
            raise ValueError(f"add_workdays needs n >= 0, got {n}")
        _check(d)
        if n == 0:
            return d
        i = bisect_right(self._ords, d.toordinal()) + n - 1
        if i >= len(self._ords):
            raise CalendarRangeError(
                "{n} working days after {d} is beyond {LAST_DAY}", n=n, d=d, LAST_DAY=LAST_DAY
            )
        return dt.date.fromordinal(self._ords[i])

    def workdays_between(self, a: dt.date, b: dt.date) -> int:
        """The number of working days x with a < x <= b (0 when b <= a)."""
        _check(a)
        _check(b)
        if b <= a:
            return 0
        return bisect_right(self._ords, b.toordinal()) - bisect_right(self._ords, a.toordinal())

    def is_official(self, year: int) -> bool:
        return year in self.data.official_years

    def provisional(self, start: dt.date, end: dt.date) -> bool:
        """True when some day in [start, end] lies in a year with no official data."""
        return any(not self.is_official(y) for y in range(start.year, end.year + 1))


def _check(d: dt.date) -> None:
    if not FIRST_DAY <= d <= LAST_DAY:
        raise CalendarRangeError(
            "{d} is outside the calendar's span {FIRST_DAY}–{LAST_DAY}",
            d=d,
            FIRST_DAY=FIRST_DAY,
            LAST_DAY=LAST_DAY,
        )


def _working_ordinals(data: CalendarData) -> list[int]:
    ords = []
    first, last = FIRST_DAY.toordinal(), LAST_DAY.toordinal()
    holidays = {d.toordinal() for d in data.holidays}
    makeup = {d.toordinal() for d in data.workdays}
    # date.fromordinal(1) is a Monday, so (o - 1) % 7 is the weekday
    for o in range(first, last + 1):
        if o in makeup or ((o - 1) % 7 < 5 and o not in holidays):
            ords.append(o)
    return ords


def notice_year(d: dt.date, name: str) -> int:
    """The year whose State Council notice names the package day `d`.

    New Year's days in December (holidays and make-up working days alike) belong to the next
    year's notice: the 2007, 2008, 2012 and 2019 notices named 30/31 December or the Saturday
    before, and chinese_calendar files them under the calendar year they fall in."""
    return d.year + 1 if d.month == 12 and name == "New Year's Day" else d.year


def package_days() -> dict[dt.date, tuple[int, str, str]]:
    """Every package day: (its notice's year, kind, English name)."""
    from chinese_calendar import constants

    out = {d: (notice_year(d, str(n)), "holiday", str(n)) for d, n in constants.holidays.items()}
    out |= {d: (notice_year(d, str(n)), "workday", str(n)) for d, n in constants.workdays.items()}
    return out


def package_years(days: dict[dt.date, tuple[int, str, str]]) -> frozenset[int]:
    """The years whose notices the package holds: a year counts by days of its own notice inside it,
    never by the stray December days of the next year's notice (nor of its own in the year before)."""
    own = {year for d, (year, _, _) in days.items() if d.year == year}
    return frozenset(range(min(own), max(own) + 1))


def package_data() -> CalendarData:
    """The official arrangements shipped in the `chinese_calendar` package (the seed data)."""
    days = package_days()
    return CalendarData(
        holidays=frozenset(d for d, (_, kind, _) in days.items() if kind == "holiday"),
        workdays=frozenset(d for d, (_, kind, _) in days.items() if kind == "workday"),
        official_years=package_years(days),
        revision="package",
    )


HOLIDAY_NAMES_ZH = {
    "New Year's Day": "元旦",
    "Spring Festival": "春节",
    "Tomb-sweeping Day": "清明节",
    "Labour Day": "劳动节",
    "Dragon Boat Festival": "端午节",
    "National Day": "国庆节",
    "Mid-autumn Festival": "中秋节",
    "Anti-Fascist 70th Day": "中国人民抗日战争暨世界反法西斯战争胜利70周年纪念日",
}


# --- the default calendar ----------------------------------------------------------------------
# The database holds the official data (seeded from the package, extended by `ogi calendar import`).
# The loader is installed by workflow.calendar_store; with no database it falls back to the package.

_lock = threading.Lock()
_default: WorkCalendar | None = None


# the package's data until workflow.calendar_store installs the database's loader; the store
# imports this module, never the reverse
_loader: Callable[[], CalendarData] = package_data


def set_loader(loader: Callable[[], CalendarData]) -> None:
    global _loader, _default
    with _lock:
        _loader, _default = loader, None


def default_calendar() -> WorkCalendar:
    global _default
    cal = _default
    if cal is None:
        with _lock:
            if _default is None:
                _default = WorkCalendar(_loader())
            cal = _default
    return cal


def use_calendar(cal: WorkCalendar) -> None:
    """Make `cal` the default (a transaction that changed the calendar computes with what it wrote)."""
    global _default
    with _lock:
        _default = cal


def reset_default_calendar() -> None:
    """Forget the cached calendar; the next use loads it again (after an import)."""
    global _default
    with _lock:
        _default = None


def add_workdays(d: dt.date, n: int) -> dt.date:
    """The n-th working day strictly after d, on the default (official) calendar."""
    return default_calendar().add_workdays(d, n)


def workdays_between(a: dt.date, b: dt.date) -> int:
    """The number of working days x with a < x <= b, on the default calendar."""
    return default_calendar().workdays_between(a, b)


def is_workday(d: dt.date) -> bool:
    return default_calendar().is_workday(d)
