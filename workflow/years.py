"""Sealed years: once a year is closed for an organ, nothing dated in it may change (DESIGN §6)."""

from __future__ import annotations

import datetime as dt

from sqlmodel import Session, col, select

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
    q = select(ReportSnapshot.year).where(
        ReportSnapshot.organ_id == organ_id, col(ReportSnapshot.reopened_at).is_(None)
    )
    return set(session.exec(q))


def require_open(closed: set[int], on: dt.date, *, what: str, organ_code: str) -> None:
    if on.year in closed:
        raise YearClosed(
            f"{what} dated {on}: {on.year} is closed for organ {organ_code} "
            f"(a supervisor can reopen it with `ogi year reopen {on.year} --organ {organ_code}`)"
        )
