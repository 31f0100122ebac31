"""Deadline tasks: the sweep, the daily digest, recomputing after a calendar change. Thin: the
work is in workflow/, the same functions `ogi deadlines sweep` and `ogi calendar import` call."""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

import workflow.digest
import workflow.sweep
from models.db import session_scope
from tasks.celery_app import task
from tasks.outbox import enqueue_relay
from workflow import calendar as wcal
from workflow.recompute import recompute_stored

log = logging.getLogger(__name__)


@task("ogi.deadlines.sweep")
def sweep(today: str | None = None) -> dict[str, Any]:
    """Queue the reminders due today, escalate, lapse consultations; then get them sent."""
    with session_scope() as s:
        result = workflow.sweep.sweep(s, today=dt.date.fromisoformat(today) if today else None)
    if result.queued:
        enqueue_relay()  # soon, not at the next relay tick; the periodic relay covers a failure here
    return result.summary()


@task("ogi.deadlines.digest")
def digest(today: str | None = None) -> dict[str, Any]:
    """The daily digest per person, after the day's sweep so it never repeats that sweep's reminders."""
    day = dt.date.fromisoformat(today) if today else None
    with session_scope() as s:
        swept = workflow.sweep.sweep(s, today=day)
    with session_scope() as s:
        queued = workflow.digest.queue_digests(s, today=day)
    if swept.queued or queued:
        enqueue_relay()
    return {"sweep": swept.summary(), "digests": queued}


@task("ogi.calendar.recompute")
def recompute(first: int | str) -> dict[str, Any]:
    """Recompute cases' deadlines from `first` (a year: its 1 January; or an ISO date, since a notice
    may name days of the year before) on the calendar now in the database; each change is recorded
    in the case's history and its reminders follow (stale ones cancelled)."""
    first_day = dt.date(first, 1, 1) if isinstance(first, int) else dt.date.fromisoformat(first)
    try:
        with session_scope() as s:
            result = recompute_stored(s, first_day, actor="system")
    finally:
        wcal.reset_default_calendar()  # reload what was committed
    enqueue_relay()
    return {
        "checked": result.checked,
        "changed": result.changed,
        "failed": result.failed,
        "attention": result.attention,
    }
