"""Helpers the deadline tests share: a controlled clock, sweeping on a day, reading the outbox."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from contextlib import contextmanager

import time_machine
from sqlmodel import col, select

from models.cases import Case
from models.db import read_session, session_scope
from models.outbox import OutboxMessage
from tests.support import TESTER
from workflow import calendar as wcal
from workflow import clock
from workflow import sweep as deadlines
from workflow.case_json import history
from workflow.importer import Importer
from workflow.service import get_case
from workflow.sweep import SweepResult

SHANGHAI = dt.timezone(dt.timedelta(hours=8))


def morning(day: dt.date) -> dt.datetime:
    """09:00 in Asia/Shanghai on `day`: the office's business date is `day`."""
    return dt.datetime.combine(day, dt.time(9), SHANGHAI)


@contextmanager
def on_day(day: dt.date) -> Iterator[time_machine.Coordinates]:
    """The clock frozen at the office's morning of `day` (move it with `.move_to(morning(d))`)."""
    with time_machine.travel(morning(day), tick=False) as t:
        yield t


def sweep(day: dt.date) -> SweepResult:
    with session_scope() as s:
        return deadlines.sweep(s, today=day)


def messages(ref: str | None = None, *, status: str | None = None) -> list[OutboxMessage]:
    with read_session() as s:
        q = select(OutboxMessage).order_by(col(OutboxMessage.id))
        if ref is not None:
            q = q.where(OutboxMessage.case_id == get_case(s, ref).id)
        if status is not None:
            q = q.where(OutboxMessage.status == status)
        return list(s.exec(q))


def case(ref: str) -> Case:
    with read_session() as s:
        return get_case(s, ref)


def events(ref: str) -> list[tuple[str, dt.date, str]]:
    with read_session() as s:
        row = get_case(s, ref)
        assert row.id is not None
        return [(h.event, h.effective_on, h.actor) for h in history(s, row.id)]


def received_for_reply_due_in(workdays: int) -> dt.date:
    """A receipt date whose 20-WD reply falls `workdays` working days from today (0 = today)."""
    cal = wcal.default_calendar()
    today = clock.today()
    target = cal.add_workdays(today, workdays) if workdays else today
    d = target - dt.timedelta(days=60)
    while not (cal.is_workday(d) and cal.add_workdays(d, 20) >= target):
        d += dt.timedelta(days=1)
    return d


def due_soon(*refs: str) -> None:
    """Imported cases of east-worker whose reply is due on the next working day, imported as of ten
    days ago: nothing was due then, so the import queued nothing and the reminders must come from
    the sweep. (An import on the day queues what is already due: tests/test_import.py.)"""
    received = received_for_reply_due_in(1).isoformat()
    lines = [
        json.dumps(
            {"ref": ref, "organ": "east", "applicant_type": "natural_person", "applicant": "丙",
             "channel": "online", "received_on": received, "assignee": "east-worker", "events": []}
        )
        for ref in refs
    ]  # fmt: skip
    with session_scope() as s:
        Importer(s, actor=TESTER, today=clock.today() - dt.timedelta(days=10)).run(lines)
    assert all(messages(ref) == [] for ref in refs)
