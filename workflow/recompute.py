"""Recomputing open cases' deadlines after the calendar changed (a year's arrangement imported)."""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass, field

from sqlalchemy import or_
from sqlmodel import Session, col, select

from models.cases import Case
from workflow import calendar as wcal
from workflow import clock, reminders
from workflow.calendar_store import Arrangement, install_arrangement, read_calendar, seed_from_package
from workflow.codes import OPEN_STATES
from workflow.errors import OgiError
from workflow.replay import DERIVED_COLUMNS, replay
from workflow.service import annotate
from workflow.views import history

log = logging.getLogger(__name__)

_DEADLINES = ("reply_due", "correction_notice_due", "correction_until", "consultation_due", "fee_due")


@dataclass
class RecomputeResult:
    checked: int = 0
    changed: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)


def affected(session: Session, first_day: dt.date) -> list[Case]:
    """Open cases with a deadline on or after `first_day`, and every provisional case."""
    late_deadline = or_(*(col(getattr(Case, c)) >= first_day for c in _DEADLINES))
    q = select(Case).where(col(Case.state).in_(OPEN_STATES), late_deadline | col(Case.provisional))
    return list(session.exec(q.order_by(col(Case.id))))


def recompute(session: Session, first_day: dt.date, *, actor: str = "system") -> RecomputeResult:
    """Replay each affected case on the current default calendar; record every change in its history."""
    out = RecomputeResult()
    for row in affected(session, first_day):
        assert row.id is not None
        out.checked += 1
        session.expunge(row)
        try:
            fresh = replay(row, history(session, row.id))
        except OgiError as e:  # the new calendar makes the recorded history invalid: a person must look
            log.warning("case %s: deadlines not recomputed: %s", row.ref, e)
            out.failed.append(f"{row.ref}: {e}")
            continue
        changes = {
            c: [_iso(getattr(row, c)), _iso(getattr(fresh, c))]
            for c in DERIVED_COLUMNS
            if getattr(row, c) != getattr(fresh, c)
        }
        if not changes:
            continue
        for c in changes:
            setattr(row, c, getattr(fresh, c))
        annotate(session, row, "deadlines_recomputed", clock.today(), {"changes": changes}, actor=actor)
        # the reminders follow the new dates: stale pending ones cancelled, new ones keyed afresh
        reminders.refresh(session, row, clock.today())
        out.changed.append(row.ref)
    return out


def import_arrangement(session: Session, arrangement: Arrangement, *, actor: str) -> RecomputeResult:
    """Store a year's arrangement and recompute what it changes, in the caller's transaction.

    The new calendar becomes the default at once, so the recomputation uses what was just written;
    the caller resets the default after the transaction (it reloads from what was committed).
    """
    install_arrangement(session, arrangement, actor=actor)
    return calendar_changed(session, arrangement.year, actor=actor)


def seed_calendar(session: Session) -> list[int]:
    """Add the package's official years the database lacks; recompute what they change."""
    years = seed_from_package(session)
    if years:
        calendar_changed(session, years[0], actor="system")
    return years


def calendar_changed(session: Session, first_year: int, *, actor: str) -> RecomputeResult:
    wcal.use_calendar(wcal.WorkCalendar(read_calendar(session)))
    return recompute(session, dt.date(first_year, 1, 1), actor=actor)


def _iso(v: object) -> object:
    return v.isoformat() if isinstance(v, dt.date) else v
