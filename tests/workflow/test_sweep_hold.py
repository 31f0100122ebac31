"""A poison case in the sweep (issue 12 §6): skipped, held back for an hour, logged once; on
SQLite and PostgreSQL (the hold is written in the sweep's own transaction after a savepoint's
rollback, which each database does its own way)."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import text

from models.db import get_engine, read_session
from models.sweep import SweepHold
from tests.support import D, organ_with_staff, receive, step
from tests.workflow.sweep_support import case, messages, morning, on_day, sweep
from workflow import sweep as deadlines

pytestmark = pytest.mark.usefixtures("any_db")

RECEIVED = D(2026, 3, 2)
REPLY_DUE = D(2026, 3, 30)


def test_a_poison_case_is_logged_and_skipped_and_the_others_are_still_reminded() -> None:
    _poisoned()
    with on_day(REPLY_DUE):
        result = sweep(REPLY_DUE)
    assert [s.split(":")[0] for s in result.skipped] == ["BAD"]
    assert [(m.kind, m.offset_days) for m in messages("GOOD") if m.kind == "reply_due"] == [("reply_due", 0)]
    assert case("BAD").state == "consulting" and messages("BAD", status="pending") == []


def _poisoned() -> None:
    """GOOD is due a reminder; BAD's row is corrupted so that the lapse the sweep fires is refused
    by the rules on every run (its consultation "ended" before it began)."""
    organ_with_staff()
    with on_day(D(2026, 3, 10)):
        receive(RECEIVED, ref="GOOD", assignee="east-worker")
        receive(RECEIVED, ref="BAD", assignee="east-worker")
        step("BAD", "consult", on=D(2026, 3, 10), party="organ")
    with get_engine().begin() as c:
        c.execute(text("UPDATE \"case\" SET consultation_due = '2026-03-05' WHERE ref = 'BAD'"))


def _skip_lines(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [r.getMessage() for r in caplog.records if "case BAD skipped" in r.getMessage()]


def test_a_poison_case_is_held_for_an_hour_and_logged_once(caplog: pytest.LogCaptureFixture) -> None:
    _poisoned()
    with on_day(REPLY_DUE) as t:
        first = sweep(REPLY_DUE)
        t.move_to(morning(REPLY_DUE) + dt.timedelta(minutes=59))
        second = sweep(REPLY_DUE)
    assert ([s.split(":")[0] for s in first.skipped], first.held) == (["BAD"], [])
    assert (second.skipped, second.held, second.summary()["held"]) == ([], ["BAD"], ["BAD"])
    assert len(_skip_lines(caplog)) == 1
    with read_session() as s:
        [hold] = s.exec(deadlines.select(SweepHold)).all()
    assert hold.case_id == case("BAD").id and hold.until == morning(REPLY_DUE) + deadlines.HOLD
    assert hold.error.startswith(
        "case BAD: lapse_consultation dated 2026-03-05 precedes"
    )  # why, for a person
    assert [(m.kind, m.offset_days) for m in messages("GOOD") if m.kind == "reply_due"] == [("reply_due", 0)]


def test_a_held_case_is_swept_again_after_the_hour(caplog: pytest.LogCaptureFixture) -> None:
    _poisoned()
    with on_day(REPLY_DUE) as t:
        sweep(REPLY_DUE)
        t.move_to(morning(REPLY_DUE) + deadlines.HOLD)
        again = sweep(REPLY_DUE)
    assert ([s.split(":")[0] for s in again.skipped], again.held) == (["BAD"], [])
    assert len(_skip_lines(caplog)) == 2  # once an hour, not once a sweep
