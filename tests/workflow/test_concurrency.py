"""Two people recording an event on one case at the same moment, on PostgreSQL: one wins, one is told."""

from __future__ import annotations

import threading
from typing import Any

import pytest
from sqlalchemy import text

from models.db import get_engine, session_scope
from tests.support import TESTER, D, organ_with_staff, receive
from workflow.case_json import history
from workflow.errors import Conflict
from workflow.service import advance, get_case

pytestmark = pytest.mark.usefixtures("pg_db")


def wait_until_blocked_on_a_lock(app_name: str) -> None:
    """Poll pg_stat_activity until the other session waits for a row lock (no sleeps on a guess)."""
    q = text("SELECT count(*) FROM pg_stat_activity WHERE application_name = :a AND wait_event_type = 'Lock'")
    with get_engine().connect() as c:
        for _ in range(2000):
            if c.execute(q, {"a": app_name}).scalar():
                return
            c.execute(text("SELECT pg_sleep(0.005)"))
    raise AssertionError("the second writer never reached the row lock")


def test_two_concurrent_events_on_one_case_one_wins_the_other_gets_a_conflict() -> None:
    organ_with_staff()
    receive(D(2026, 4, 1), ref="RACE")
    outcome: dict[str, Any] = {}

    def second_writer() -> None:
        try:
            with session_scope() as s:
                s.execute(text("SET application_name = 'second-writer'"))
                advance(s, "RACE", "answer", {"on": "2026-04-03", "outcome": "unable_not_held"}, actor=TESTER)
            outcome["second"] = "committed"
        except Conflict as e:
            outcome["second"] = e

    with session_scope() as first:
        advance(first, "RACE", "answer", {"on": "2026-04-02", "outcome": "disclosed"}, actor=TESTER)
        # the first writer holds the row; the second loads version 1 and blocks on its update
        t = threading.Thread(target=second_writer)
        t.start()
        wait_until_blocked_on_a_lock("second-writer")
    t.join(timeout=30)

    assert isinstance(outcome["second"], Conflict)
    assert "case RACE" in str(outcome["second"])
    with session_scope() as s:
        row = get_case(s, "RACE")
        assert row.id is not None
        events = [h.event for h in history(s, row.id)]
    assert (row.outcome, row.version, events) == ("disclosed", 2, ["receive", "answer"])


def test_after_a_conflict_the_loser_can_reload_and_record_its_event() -> None:
    organ_with_staff()
    receive(D(2026, 4, 1), ref="RETRY")
    with session_scope() as s:
        advance(s, "RETRY", "extend", {"on": "2026-04-02", "days": 5, "approver": "east-head"}, actor=TESTER)
    with session_scope() as s, pytest.raises(Conflict):
        advance(
            s,
            "RETRY",
            "answer",
            {"on": "2026-04-03", "outcome": "disclosed"},
            actor=TESTER,
            expected_version=1,
        )
    with session_scope() as s:
        row = advance(
            s,
            "RETRY",
            "answer",
            {"on": "2026-04-03", "outcome": "disclosed"},
            actor=TESTER,
            expected_version=2,
        )
    assert (row.version, row.extension_days, row.outcome) == (3, 5, "disclosed")
