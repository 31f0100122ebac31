"""Each section 三 row as one SQL predicate over a case (DESIGN §6), written once.

The counting (reports.counting) and the click-through to the cases behind a cell
(reports.cells) both use these predicates, so a cell and the list behind it cannot disagree.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import and_, or_
from sqlalchemy.sql.elements import ColumnElement
from sqlmodel import col

from codes import OUTCOMES, ROWS
from models.cases import Case

received = col(Case.received_on)
concluded = col(Case.concluded_on)


def new(start: dt.date, end: dt.date) -> ColumnElement[bool]:
    """Received in the year."""
    return received.between(start, end)


def carried_in(start: dt.date, end: dt.date) -> ColumnElement[bool]:
    """Received before the year and not concluded before 1 January."""
    return and_(received < start, or_(concluded.is_(None), concluded >= start))


def concluded_in(start: dt.date, end: dt.date) -> ColumnElement[bool]:
    """Concluded in the year (the 总计 row). A never-received case is no application: not counted."""
    return and_(received <= end, concluded.between(start, end))


def carried_out(start: dt.date, end: dt.date) -> ColumnElement[bool]:
    """Received by 31 December and not concluded by then."""
    return and_(received <= end, or_(concluded.is_(None), concluded > end))


def relevant(start: dt.date, end: dt.date) -> ColumnElement[bool]:
    """The union of the four predicates above, in a form the planner can serve from the two
    (organ, received_on) and (organ, concluded_on) indexes. Equivalent by case analysis: a case
    received by 31 December is new (received in the year), or open (carried out), or concluded
    on or after 1 January (concluded in the year, or carried out)."""
    return and_(received <= end, or_(received >= start, concluded.is_(None), concluded >= start))


def predicate(row: str, start: dt.date, end: dt.date) -> ColumnElement[bool]:
    """The predicate of one section 三 row key."""
    if row == "new":
        return new(start, end)
    if row == "carried_in":
        return carried_in(start, end)
    if row == "total":
        return concluded_in(start, end)
    if row == "carried_out":
        return carried_out(start, end)
    if row in OUTCOMES:
        return and_(concluded_in(start, end), col(Case.outcome) == row)
    raise ValueError(f"unknown section 三 row {row!r} ({', '.join(ROWS)})")
