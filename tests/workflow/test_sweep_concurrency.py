"""Two sweeps at once on PostgreSQL: every reminder queued once, every lapse and mark recorded once."""

from __future__ import annotations

from collections import Counter

import pytest
from sqlmodel import Session

from models.db import session_scope
from tests.support import Beside, D, organ_with_staff, receive, step
from tests.workflow.sweep_support import case, events, messages, on_day
from workflow import sweep as deadlines

pytestmark = pytest.mark.usefixtures("pg_db")

TODAY = D(2026, 4, 30)


def test_two_overlapping_sweeps_queue_each_reminder_once_and_record_each_lapse_and_overdue_once() -> None:
    organ_with_staff()
    with on_day(D(2026, 4, 8)):
        receive(D(2026, 4, 1), ref="CONS", assignee="east-worker")
        step("CONS", "consult", on=D(2026, 4, 8), party="third_party")  # ends 04-29: lapses today
        receive(D(2026, 3, 2), ref="LATE", assignee="east-worker")  # overdue since 03-30
        receive(D(2026, 4, 1), ref="SOON", assignee="east-worker")  # reply due 04-30: today

    def second_sweep(s: Session) -> deadlines.SweepResult:
        with on_day(TODAY):
            return deadlines.sweep(s, today=TODAY)

    with on_day(TODAY), session_scope() as s:
        first = deadlines.sweep(s, today=TODAY)
        # the second read the same due cases and now waits on our rows
        beside = Beside("second-sweep", second_sweep).start_and_wait_until_blocked()
    beside.join(timeout=60)
    assert beside.error is None
    second = beside.result

    keys = Counter(m.key for m in messages())
    assert keys and max(keys.values()) == 1
    assert sorted(first.lapsed + second.lapsed) == ["CONS lapse_consultation"]
    assert sorted(first.became_overdue + second.became_overdue) == ["LATE"]
    assert [e[0] for e in events("CONS")].count("lapse_consultation") == 1
    assert [e[0] for e in events("LATE")].count("became_overdue") == 1
    assert {(m.kind, m.recipient) for m in messages("LATE")} == {
        ("overdue", "head@east.example.org"),
        ("overdue", "worker@east.example.org"),
    }
    assert [(m.kind, m.offset_days) for m in messages("SOON", status="pending")] == [("reply_due", 0)]
    assert case("CONS").state == "received"
