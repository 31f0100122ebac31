"""The service layer on a real database: one transaction per event, compare-and-set, history, rules."""

from __future__ import annotations

import pytest
from sqlalchemy import text
from sqlmodel import func, select

from models.cases import CaseEvent
from models.db import session_scope
from models.reports import ReportSnapshot
from tests.support import TESTER, D, organ_with_staff, receive, step
from workflow.access import Actor
from workflow.case_json import case_detail, history
from workflow.errors import Conflict, NotFound, PermissionDenied, RuleViolation, YearClosed
from workflow.replay import derived, replay
from workflow.service import advance, get_case, reassign

pytestmark = pytest.mark.usefixtures("any_db")


def stored(ref: str) -> tuple[dict[str, object], int]:
    with session_scope() as s:
        row = get_case(s, ref)
        n = s.exec(select(func.count()).select_from(CaseEvent).where(CaseEvent.case_id == row.id)).one()
        return {**derived(row), "version": row.version}, n


def test_each_event_appends_one_history_row_numbered_by_the_new_version() -> None:
    organ_with_staff()
    receive(D(2026, 4, 1), ref="S-1")
    step("S-1", "consult", on=D(2026, 4, 8), party="third_party")
    step("S-1", "receive_opinion", on=D(2026, 4, 20))
    with session_scope() as s:
        row = get_case(s, "S-1")
        assert row.id is not None
        rows = history(s, row.id)
    assert [(h.seq, h.event, h.effective_on) for h in rows] == [
        (1, "receive", D(2026, 4, 1)),
        (2, "consult", D(2026, 4, 8)),
        (3, "receive_opinion", D(2026, 4, 20)),
    ]
    assert row.version == 3 and row.reply_due == D(2026, 5, 14)
    assert rows[1].params == {"party": "third_party"} and rows[1].actor == "tester"


def test_a_stored_case_equals_the_replay_of_its_history() -> None:
    organ_with_staff()
    receive(D(2026, 3, 2), ref="S-2")
    step(
        "S-2", "request_correction", on=D(2026, 3, 5), items=["申请内容的描述"]
    )  # the default period is stored with the event
    step("S-2", "receive_correction", on=D(2026, 3, 16))
    step("S-2", "extend", on=D(2026, 4, 1), days=10, approver="east-head")
    step("S-2", "answer", on=D(2026, 4, 20), outcome="unable_still_unclear")
    with session_scope() as s:
        row = get_case(s, "S-2")
        assert row.id is not None
        again = replay(row, history(s, row.id))
    assert derived(again) == derived(row) and again.version == row.version
    assert history_params("S-2")[1] == {"days": 15, "items": ["申请内容的描述"]}


def history_params(ref: str) -> list[dict[str, object]]:
    with session_scope() as s:
        row = get_case(s, ref)
        assert row.id is not None
        return [h.params for h in history(s, row.id)]


def test_a_refused_event_leaves_the_case_and_its_history_untouched() -> None:
    organ_with_staff()
    receive(D(2026, 4, 1), ref="S-3")
    before = stored("S-3")
    with pytest.raises(RuleViolation, match="case S-3: extend: at most 20"):
        step("S-3", "extend", on=D(2026, 4, 2), days=21, approver="east-head")
    assert stored("S-3") == before


def test_a_stale_version_is_refused_and_nothing_changes() -> None:
    organ_with_staff()
    receive(D(2026, 4, 1), ref="S-4")
    step("S-4", "consult", on=D(2026, 4, 2), party="organ")
    before = stored("S-4")
    with session_scope() as s, pytest.raises(Conflict, match="changed since you loaded it"):
        advance(s, "S-4", "receive_opinion", {"on": "2026-04-03"}, actor=TESTER, expected_version=1)
    assert stored("S-4") == before


def test_a_live_extension_needs_a_supervisor_of_the_cases_organ() -> None:
    organ_with_staff("east")
    organ_with_staff("west")
    receive(D(2026, 4, 1), ref="S-5")
    with pytest.raises(PermissionDenied, match="is a caseworker, not a supervisor"):
        step("S-5", "extend", on=D(2026, 4, 2), days=5, approver="east-worker")
    with pytest.raises(PermissionDenied, match="supervisor of another organ"):
        step("S-5", "extend", on=D(2026, 4, 2), days=5, approver="west-head")
    with pytest.raises(RuleViolation, match="is not a user"):
        step("S-5", "extend", on=D(2026, 4, 2), days=5, approver="王主任")
    assert step("S-5", "extend", on=D(2026, 4, 2), days=5, approver="east-head").extension_days == 5


def test_a_named_user_may_not_touch_another_organs_cases() -> None:
    organ_with_staff("east")
    organ_with_staff("west")
    receive(D(2026, 4, 1), ref="S-6")
    with session_scope() as s:
        from workflow.directory import get_user

        west = Actor("west-worker", get_user(s, "west-worker"))
        with pytest.raises(PermissionDenied, match="another organ"):
            advance(s, "S-6", "answer", {"on": "2026-04-02", "outcome": "disclosed"}, actor=west)


def test_events_dated_in_a_closed_year_are_refused_for_that_organ_only() -> None:
    organ_with_staff("east")
    organ_with_staff("west")
    receive(D(2024, 12, 20), ref="S-7")
    with session_scope() as s:
        east = get_case(s, "S-7").organ_id
        s.add(ReportSnapshot(organ_id=east, year=2024, version=1, report={}, content_hash="x", sealed_by="t"))
    with pytest.raises(YearClosed, match="2024 is closed for organ east"):
        step("S-7", "answer", on=D(2024, 12, 30), outcome="disclosed")
    with pytest.raises(YearClosed):
        receive(D(2024, 11, 4), ref="S-8")
    receive(D(2024, 11, 4), ref="S-9", organ="west")
    assert step("S-7", "answer", on=D(2025, 1, 6), outcome="disclosed").state == "answered"


def test_a_ref_is_generated_per_organ_and_year_when_not_given() -> None:
    organ_with_staff()
    a = receive(D(2026, 4, 1))
    b = receive(D(2026, 4, 2))
    c = receive(D(2025, 4, 2))
    assert (a.ref, b.ref, c.ref) == ("EAST-2026-00001", "EAST-2026-00002", "EAST-2025-00001")


def test_a_duplicate_ref_is_refused_without_saying_whose_case_holds_it() -> None:
    organ_with_staff()
    organ_with_staff("west")
    receive(D(2026, 4, 1), ref="S-10")
    receive(D(2026, 4, 1), organ="west", ref="W-10")
    with pytest.raises(RuleViolation) as ours:
        receive(D(2026, 4, 2), ref="S-10")
    with pytest.raises(RuleViolation) as theirs:
        receive(D(2026, 4, 2), ref="W-10")
    assert "cannot be used" in str(ours.value)
    assert str(ours.value).replace("S-10", "{}") == str(theirs.value).replace("W-10", "{}")


def test_an_unknown_case_is_named_in_the_error() -> None:
    with session_scope() as s, pytest.raises(NotFound, match="unknown case 'NOPE'"):
        get_case(s, "NOPE")


def test_reassigning_is_recorded_and_bumps_the_version() -> None:
    organ_with_staff()
    receive(D(2026, 4, 1), ref="S-11", assignee="east-worker")
    with session_scope() as s:
        row = reassign(s, "S-11", None, actor=TESTER)
    assert row.assignee_id is None and row.version == 2
    assert history_params("S-11")[-1] == {"from": "east-worker", "to": None}


def test_an_assignee_must_work_for_the_cases_organ() -> None:
    organ_with_staff("east")
    organ_with_staff("west")
    with pytest.raises(RuleViolation, match="does not work for organ east"):
        receive(D(2026, 4, 1), assignee="west-worker")


def test_case_json_has_every_field_of_design_section_8() -> None:
    organ_with_staff()
    receive(D(2026, 4, 1), ref="S-12")
    with session_scope() as s:
        out = case_detail(s, get_case(s, "S-12"))
    keys = {
        "id",
        "ref",
        "organ",
        "applicant_type",
        "channel",
        "state",
        "outcome",
        "received_on",
        "clock_start",
        "reply_due",
        "concluded_on",
        "late",
        "extension_days",
        "paused_workdays",
        "correction_notice_due",
        "correction_until",
        "consultation_due",
        "fee_due",
        "provisional",
        "events",
    }
    assert keys <= set(out)
    assert out["events"] == [
        {
            "event": "receive",
            "on": "2026-04-01",
            "actor": "tester",
            "recorded_at": out["events"][0]["recorded_at"],
        }
    ]


def test_the_history_is_append_only_in_the_database() -> None:
    organ_with_staff()
    receive(D(2026, 4, 1), ref="S-13")
    for sql in ("UPDATE case_event SET actor = 'forger'", "DELETE FROM case_event"):
        with pytest.raises(Exception, match="append-only"), session_scope() as s:
            s.execute(text(sql))
    assert history_params("S-13") == [{}]


def test_filing_and_deciding_an_appeal_is_in_the_history_and_bumps_the_version() -> None:
    from workflow.appeals import decide_appeal, file_appeal

    organ_with_staff()
    row = receive(D(2026, 3, 2))
    step(row.ref, "answer", on=D(2026, 3, 20), outcome="disclosed")
    with session_scope() as s:
        appeal = file_appeal(
            s, row.ref, kind="reconsideration", filed_on=D(2026, 4, 1), actor=TESTER, expected_version=2
        )
        assert appeal.id is not None
    with session_scope() as s:
        decide_appeal(
            s, appeal.id, result="upheld", decided_on=D(2026, 5, 6), actor=TESTER, expected_version=3
        )
    with session_scope() as s:
        case = get_case(s, row.ref)
        events = history(s, case.id or 0)
        assert case.version == 4
        assert [(e.seq, e.event, e.effective_on, e.actor, e.params) for e in events[2:]] == [
            (
                3,
                "appeal_filed",
                D(2026, 4, 1),
                TESTER.name,
                {"appeal_id": appeal.id, "kind": "reconsideration"},
            ),
            (4, "appeal_decided", D(2026, 5, 6), TESTER.name, {"appeal_id": appeal.id, "result": "upheld"}),
        ]
        # the replay skips annotations: the derived fields are what the events made them
        assert derived(replay(case, events)) == derived(case)


def test_an_appeal_filed_from_a_stale_page_is_refused_and_records_nothing() -> None:
    from workflow.appeals import file_appeal

    organ_with_staff()
    row = receive(D(2026, 3, 2))
    step(row.ref, "answer", on=D(2026, 3, 20), outcome="disclosed")
    with pytest.raises(Conflict), session_scope() as s:
        file_appeal(
            s, row.ref, kind="reconsideration", filed_on=D(2026, 4, 1), actor=TESTER, expected_version=1
        )
    with session_scope() as s:
        assert [e.event for e in history(s, get_case(s, row.ref).id or 0)] == ["receive", "answer"]
