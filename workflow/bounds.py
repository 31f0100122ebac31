"""The bounds of every date and number a user gives, derived from the calendar's span.

Each door parses a date or a count and checks it here, where it is parsed, so a mistyped year
(2300-01-01, 1989-12-31) or an absurd period (1,000,000 days) is refused as one line naming the
input instead of failing deep in the deadline arithmetic.
"""

from __future__ import annotations

import datetime as dt

from codes.labels import FieldName
from workflow.calendar import FIRST_DAY, LAST_DAY, CalendarRangeError
from workflow.errors import InvalidInput

FIRST_YEAR, LAST_YEAR = FIRST_DAY.year, LAST_DAY.year
# no count of (working) days can reach past the calendar: a larger one is a typing mistake
MAX_DAYS = (LAST_DAY - FIRST_DAY).days + 1
# row ids are 32-bit integers in both databases (a larger one would fail in the driver)
MAX_ID = 2**31 - 1
YEAR = FieldName.named("year")


def check_date(d: dt.date, what: str | None = None) -> dt.date:
    """The date itself when the calendar covers it; CalendarRangeError (one line) otherwise."""
    if not FIRST_DAY <= d <= LAST_DAY:
        where = f"{what}: " if what else ""
        raise CalendarRangeError(
            "{where}{d} is outside the supported dates {FIRST_DAY} to {LAST_DAY}",
            where=where,
            d=d,
            FIRST_DAY=FIRST_DAY,
            LAST_DAY=LAST_DAY,
        )
    return d


def check_year(year: int, what: object = YEAR) -> int:
    """A year within the supported range; ``what`` names the field (by its label: 年度, "year")."""
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise InvalidInput(
            "{what}: {year} is outside the supported years {FIRST_YEAR}–{LAST_YEAR}",
            what=what,
            year=year,
            FIRST_YEAR=FIRST_YEAR,
            LAST_YEAR=LAST_YEAR,
        )
    return year


def check_count(n: int, what: object, *, low: int = 0, high: int = MAX_DAYS) -> int:
    """A count of days (or anything else bounded) given by a user; ``what`` names it (an option as
    typed, or a ``codes.labels.FieldName``)."""
    if not low <= n <= high:
        raise InvalidInput("{what}: {n} is outside {low}–{high}", what=what, n=n, low=low, high=high)
    return n


def as_id(key: str | int) -> int | None:
    """The row id a key typed for a case or appeal may be: digits within the id range; anything else
    names no row (and must not reach the driver, which would overflow)."""
    text = str(key)
    if not text.isascii() or not text.isdigit() or len(text) > len(str(MAX_ID)) or int(text) > MAX_ID:
        return None
    return int(text)
