"""The dates of an office's register: Excel date cells and serial numbers, and the written forms
2024-03-01, 2024/3/1, 2024.3.1 and 2024年3月1日 (a time of day after the date is ignored)."""

from __future__ import annotations

import datetime as dt
import re

from workflow.bounds import check_date
from workflow.errors import Phrase

_WRITTEN = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?(?:[\sT]+[\d:.]+)?$")
_EXCEL_EPOCH = dt.date(1899, 12, 30)  # serial 1 is 1900-01-01 (Excel's 1900 leap-year bug absorbed)
_SERIALS = range(1, 2958466)  # up to 9999-12-31


class BadDate(ValueError):
    """A cell that is not a date; `problem` says why (rendered in the reader's language by the door)."""

    def __init__(self, problem: Phrase) -> None:
        super().__init__(str(problem))
        self.problem = problem


def read_date(value: object) -> dt.date:
    """The date a cell holds; BadDate when it holds none, or one outside the calendar's span."""
    if isinstance(value, dt.datetime):
        day = value.date()
    elif isinstance(value, dt.date):
        day = value
    elif isinstance(value, int | float) and not isinstance(value, bool):
        if int(value) not in _SERIALS:  # a fraction is a time of day, ignored
            raise BadDate(Phrase("{value} is not an Excel date serial", value=value))
        day = _EXCEL_EPOCH + dt.timedelta(days=int(value))
    else:
        day = _written(str(value).strip())
    try:
        return check_date(day)
    except ValueError:
        raise BadDate(Phrase("{day} is outside the years the calendar covers", day=day.isoformat())) from None


def _written(text: str) -> dt.date:
    if text.isdigit() and len(text) <= 7:  # a serial a CSV export wrote as text
        return read_date(int(text))
    m = _WRITTEN.match(text)
    if m is None:
        raise BadDate(Phrase("“{text}” is not a date (2024-03-01, 2024/3/1 or 2024年3月1日)", text=text))
    try:
        return dt.date(int(m[1]), int(m[2]), int(m[3]))
    except ValueError:
        raise BadDate(Phrase("“{text}” is not a day of the calendar", text=text)) from None
