"""Sealed years: once a year is closed for an organ, nothing dated in it may change (DESIGN §6)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from sqlmodel import Session, col, select

from codes.labels import Coded
from models.organs import Organ
from models.reports import ReportSnapshot
from workflow.errors import YearClosed


def closed_years(session: Session, organ_id: int) -> set[int]:
    """Years whose latest seal is still in force (reopening marks a seal; it never deletes one).

    Callers are about to write the organ's cases: the FOR SHARE lock on the organ row (PostgreSQL;
    SQLite serializes writers anyway) holds off a concurrent `close_year`, which takes the row FOR
    UPDATE, until this transaction ends, so no event can land between a close's count and its seal.
    """
    session.exec(select(Organ.id).where(Organ.id == organ_id).with_for_update(read=True))
    # a second statement, not a join with the lock: it reads with a snapshot taken after the lock is
    # granted, so it sees the seal of a close that held the lock (one statement would not)
    q = select(ReportSnapshot.year).where(
        ReportSnapshot.organ_id == organ_id, col(ReportSnapshot.reopened_at).is_(None)
    )
    return set(session.exec(q))


def require_open(closed: set[int], on: dt.date, *, what: str, organ_code: str | Callable[[], str]) -> None:
    """Refuse a date in a closed year. The organ's code may be given as a function, so a caller
    looks the organ up only to name it in a refusal."""
    if on.year in closed:
        organ_code = organ_code() if callable(organ_code) else organ_code
        raise YearClosed(
            "{what} on {on}: {year} is closed for organ {organ_code} (a supervisor can reopen the year)",
            what=Coded("event", what),
            on=on,
            year=on.year,
            organ_code=organ_code,
        )
