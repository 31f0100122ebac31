"""The history never contradicts itself after a later-recorded, earlier-dated event (issue 12 §7).

The sweep writes what it sees on the day it runs: `became_overdue` once a reply deadline has passed
with the case still open. An event recorded afterwards but dated earlier (a reply recorded late, a
consultation begun in time, after a sealed year was reopened or not) can refute that entry. The
history is append-only, so the entry is not deleted: it is re-judged as the recompute re-judges the
sweep's own lapses, i.e. undone in the replay plan with the reason, and shown as void.

March 2026 has no holidays: a case received on Monday 03-02 is due an answer on Monday 03-30.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from admin.timeline import timeline
from models.db import read_session, session_scope
from reports.closing import close_year, reopen_year
from tests.support import D, organ_with_staff, receive, step
from tests.workflow.sweep_support import case, on_day, sweep
from workflow.access import actor_for
from workflow.case_json import case_detail, history
from workflow.replay import plan_of, replay
from workflow.service import get_case

pytestmark = pytest.mark.usefixtures("any_db")

RECEIVED, REPLY_DUE, MARKED, SWEPT = D(2026, 3, 2), D(2026, 3, 30), D(2026, 3, 31), D(2026, 4, 2)


def shown(ref: str) -> dict[str, Any]:
    with read_session() as s:
        return case_detail(s, get_case(s, ref))


def marks(ref: str) -> list[dict[str, Any]]:
    return [e for e in shown(ref)["events"] if e["event"] == "became_overdue"]


def assert_equals_its_replay(ref: str) -> None:
    with read_session() as s:
        row = get_case(s, ref)
        assert row.id is not None
        again = replay(row, history(s, row.id))
    assert again.model_dump() == row.model_dump()


def overdue_case(ref: str) -> None:
    """Received 03-02, still open when the sweep of 04-02 marks it overdue as of 03-31."""
    with on_day(RECEIVED):
        receive(RECEIVED, ref=ref, assignee="east-worker")
    with on_day(SWEPT):
        assert sweep(SWEPT).became_overdue == [ref]
    assert [(m["on"], m.get("undone")) for m in marks(ref)] == [(MARKED.isoformat(), None)]


def test_an_answer_recorded_later_but_dated_before_the_overdue_mark_voids_the_mark() -> None:
    organ_with_staff()
    overdue_case("IN-TIME")
    with on_day(SWEPT):
        step("IN-TIME", "answer", on=D(2026, 3, 27), outcome="disclosed")
    [mark] = marks("IN-TIME")
    assert mark["undone"] is True and "2026-03-27" in mark["void"]  # why, for a person
    assert (case("IN-TIME").late, shown("IN-TIME")["overdue"]) == (False, False)
    with read_session() as s:
        row = get_case(s, "IN-TIME")
        assert row.id is not None
        plan = plan_of(history(s, row.id))
    assert list(plan.voided) == [mark_seq("IN-TIME")]
    assert_equals_its_replay("IN-TIME")


def test_after_a_year_is_reopened_an_answer_dated_before_the_mark_voids_it() -> None:
    organ_with_staff()
    received, due, swept = D(2025, 12, 1), D(2025, 12, 29), D(2026, 1, 5)
    with on_day(received):
        receive(received, ref="REOPENED", assignee="east-worker")
    with on_day(swept):
        assert sweep(swept).became_overdue == ["REOPENED"]
        with session_scope() as s:
            close_year(s, "east", 2025, actor=actor_for(s, "east-head"))
        with session_scope() as s:
            reopen_year(s, "east", 2025, reason="a reply recorded late", actor=actor_for(s, "east-head"))
        step("REOPENED", "answer", on=due, outcome="disclosed")
    [mark] = marks("REOPENED")
    assert mark["undone"] is True and mark["void"]
    assert case("REOPENED").late is False
    assert_equals_its_replay("REOPENED")


def test_a_consultation_dated_before_the_mark_voids_it_the_clock_was_stopped() -> None:
    organ_with_staff()
    overdue_case("PAUSED")
    with on_day(SWEPT):
        step("PAUSED", "consult", on=D(2026, 3, 26), party="third_party")
    [mark] = marks("PAUSED")
    assert mark["undone"] is True
    assert_equals_its_replay("PAUSED")


def test_a_late_answer_dated_on_or_after_the_mark_leaves_it_standing() -> None:
    organ_with_staff()
    overdue_case("LATE")
    with on_day(SWEPT):
        step("LATE", "answer", on=MARKED, outcome="disclosed")
    [mark] = marks("LATE")
    assert "undone" not in mark and "void" not in mark
    assert case("LATE").late is True
    assert [e["event"] for e in shown("LATE")["events"]] == ["receive", "became_overdue", "answer"]


def test_the_admin_timeline_shows_a_voided_mark_as_void_not_as_a_fact() -> None:
    organ_with_staff()
    overdue_case("SHOWN")
    with on_day(SWEPT):
        step("SHOWN", "answer", on=D(2026, 3, 27), outcome="disclosed")
    with read_session() as s:
        row = get_case(s, "SHOWN")
        assert row.id is not None
        entries, problem = timeline(history(s, row.id))
    [mark] = [e for e in entries if e.event == "became_overdue"]
    assert problem is None and mark.void is not None and "2026-03-27" in mark.void


def test_the_sweep_does_not_mark_a_case_again_once_its_mark_is_void() -> None:
    organ_with_staff()
    overdue_case("ONCE")
    with on_day(SWEPT):
        step("ONCE", "consult", on=D(2026, 3, 26), party="third_party")
    with on_day(D(2026, 4, 3)):
        sweep(D(2026, 4, 3))
    assert len(marks("ONCE")) == 1


def mark_seq(ref: str) -> int:
    with read_session() as s:
        row = get_case(s, ref)
        assert row.id is not None
        return next(h.seq for h in history(s, row.id) if h.event == "became_overdue")


def test_an_event_dated_before_a_lapse_the_sweep_fired_is_refused_so_it_cannot_refute_it() -> None:
    """The sweep's other entries are its lapses, real events: the machine refuses an event dated
    before the case's last one, so no later-recorded event can contradict them (one clear refusal)."""
    from workflow.errors import RuleViolation

    organ_with_staff()
    with on_day(D(2026, 4, 8)):
        receive(D(2026, 4, 1), ref="LAPSED", assignee="east-worker")
        step("LAPSED", "consult", on=D(2026, 4, 8), party="third_party")  # ends 04-29
    with on_day(D(2026, 4, 30)):
        assert sweep(D(2026, 4, 30)).lapsed == ["LAPSED lapse_consultation"]
        with pytest.raises(RuleViolation):
            step("LAPSED", "answer", on=D(2026, 4, 20), outcome="disclosed")
    assert [e["event"] for e in shown("LAPSED")["events"]] == ["receive", "consult", "lapse_consultation"]


def test_a_calendar_change_that_moves_the_deadline_past_the_mark_voids_it(tmp_path: Path) -> None:
    """The recompute re-judges the marks with the lapses: on a weekends-only 2026 the reply is due
    Friday 01-02 and the sweep marks the case overdue on 01-03; the official calendar (1–3 January
    holidays, Sunday 4 January a working day) moves the deadline to Monday 01-05."""
    from tests.workflow.test_recompute import arrangement_2026, forget_year
    from workflow import calendar as wcal
    from workflow.calendar_store import read_arrangement
    from workflow.recompute import import_arrangement

    organ_with_staff()
    forget_year(2026)
    with on_day(D(2025, 12, 5)):
        receive(D(2025, 12, 5), ref="MOVED", assignee="east-worker")
    with on_day(D(2026, 1, 4)):
        sweep(D(2026, 1, 4))
        assert [(m["on"], m["reply_due"]) for m in marks("MOVED")] == [("2026-01-03", "2026-01-02")]
        with session_scope() as s:
            import_arrangement(s, read_arrangement(arrangement_2026(tmp_path)), actor="tester")
        wcal.reset_default_calendar()
    assert case("MOVED").reply_due == D(2026, 1, 5)
    [mark] = marks("MOVED")
    assert mark["undone"] is True and mark["void"]
    assert_equals_its_replay("MOVED")
