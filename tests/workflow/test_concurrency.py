"""Two people recording an event on one case at the same moment, on PostgreSQL: one wins, one is told."""

from __future__ import annotations

import pytest
from sqlmodel import Session

from models.db import session_scope
from tests.support import TESTER, Beside, D, organ_with_staff, receive
from workflow.case_json import history
from workflow.errors import Conflict
from workflow.service import advance, get_case

pytestmark = pytest.mark.usefixtures("pg_db")


def test_two_concurrent_events_on_one_case_one_wins_the_other_gets_a_conflict() -> None:
    organ_with_staff()
    receive(D(2026, 4, 1), ref="RACE")

    def second_writer(s: Session) -> None:
        advance(s, "RACE", "answer", {"on": "2026-04-03", "outcome": "unable_not_held"}, actor=TESTER)

    with session_scope() as first:
        advance(first, "RACE", "answer", {"on": "2026-04-02", "outcome": "disclosed"}, actor=TESTER)
        # the first writer holds the row; the second loads version 1 and blocks on its update
        second = Beside("second-writer", second_writer).start_and_wait_until_blocked()
    second.join(timeout=30)

    assert isinstance(second.error, Conflict)
    assert "case RACE" in str(second.error)
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
