"""Sealed years: once a year is closed for an organ, nothing dated in it may change (DESIGN §6)."""

from __future__ import annotations

import datetime as dt

from sqlmodel import Session, col, select

from models.reports import ReportSnapshot
from workflow.errors import YearClosed


def closed_years(session: Session, organ_id: int) -> set[int]:
    """Years whose latest seal is still in force (reopening marks a seal; it never deletes one)."""
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
