"""Closing a year seals the organ's report; reopening is audited; the next close is a new version."""

from __future__ import annotations

import json
from typing import Any

import pytest
from sqlmodel import Session

from models.db import read_session, session_scope
from models.reports import ReportSnapshot
from reports.closing import close_year, reopen_year, snapshot
from reports.inputs import load_inputs, save_inputs
from tests.reports.helpers import cell, report
from tests.support import TESTER, Beside, D, organ_with_staff, receive, step
from workflow.access import Actor, actor_for
from workflow.appeals import file_appeal
from workflow.errors import InvalidInput, PermissionDenied, RuleViolation, YearClosed
from workflow.importer import Importer
from workflow.service import advance


def close(year: int, organ: str = "east", as_user: str | None = "east-head") -> int:
    with session_scope() as s:
        return close_year(s, organ, year, actor=actor_for(s, as_user) if as_user else TESTER).version


def reopen(
    year: int, reason: str = "a late correction", organ: str = "east", as_user: str = "east-head"
) -> None:
    with session_scope() as s:
        reopen_year(s, organ, year, reason=reason, actor=actor_for(s, as_user))


def line(ref: str, organ: str, received: str, *events: dict[str, Any]) -> str:
    return json.dumps(
        {
            "ref": ref,
            "organ": organ,
            "applicant_type": "natural_person",
            "applicant": "赵六",
            "channel": "online",
            "received_on": received,
            "events": list(events),
        }
    )


def imports(*lines: str) -> None:
    with session_scope() as s:
        Importer(s, actor=TESTER).run(lines)


@pytest.fixture
def two_organs(any_db: str) -> None:
    organ_with_staff("east")
    organ_with_staff("west")
    receive(D(2024, 12, 16), ref="E-OPEN")
    receive(D(2024, 3, 4), ref="E-DONE")
    step("E-DONE", "answer", on=D(2024, 3, 20), outcome="disclosed")
    receive(D(2024, 12, 16), organ="west", ref="W-OPEN")


@pytest.mark.usefixtures("two_organs")
def test_a_sealed_year_refuses_events_imports_appeals_and_inputs_dated_in_it_for_that_organ_only() -> None:
    before = report("east", 2024)
    assert close(2024) == 1
    with session_scope() as s, pytest.raises(YearClosed, match="2024 is closed for organ east"):
        advance(s, "E-OPEN", "answer", {"on": "2024-12-30", "outcome": "disclosed"}, actor=TESTER)
    with pytest.raises(InvalidInput, match=r"line 1: .*2024 is closed for organ east"):
        imports(
            line("E-LATE", "east", "2024-11-04", {"event": "answer", "on": "2024-11-20", "outcome": "other"})
        )
    with session_scope() as s, pytest.raises(YearClosed, match="appeal_filed on 2024-12-20"):
        file_appeal(s, "E-DONE", kind="reconsideration", filed_on=D(2024, 12, 20), actor=TESTER)
    with session_scope() as s, pytest.raises(YearClosed, match="report inputs of 2024"):
        save_inputs(s, "east", 2024, {"section2": {"licensing": 3}}, actor=TESTER)
    # 2025 of the same organ, and 2024 of another organ, are open
    step("E-OPEN", "answer", on=D(2025, 1, 6), outcome="disclosed")
    step("W-OPEN", "answer", on=D(2024, 12, 30), outcome="disclosed")
    imports(line("W-LATE", "west", "2024-11-04", {"event": "answer", "on": "2024-11-20", "outcome": "other"}))
    after = report("east", 2024)
    assert after["section3"] == before["section3"] and after["sealed"]["version"] == 1
    assert after["sealed"]["content_hash_ok"] and after["sealed"]["sealed_by"] == "east-head"
    assert report("east", 2025)["section3"]["carried_in"] == before["section3"]["carried_out"]
    assert close(2025) == 1


@pytest.mark.usefixtures("two_organs")
def test_a_year_that_has_not_ended_cannot_be_closed() -> None:
    with pytest.raises(RuleViolation, match="cannot close 2026 for organ east: the year has not ended"):
        close(2026)
    with pytest.raises(RuleViolation, match="has not ended"):
        close(2031)


@pytest.mark.usefixtures("two_organs")
def test_closing_and_reopening_need_a_supervisor_of_the_organ() -> None:
    with pytest.raises(PermissionDenied, match="east-worker \\(caseworker\\) may not close 2024"):
        close(2024, as_user="east-worker")
    with pytest.raises(PermissionDenied, match="west-head may not close 2024"):
        close(2024, as_user="west-head")
    close(2024)
    with pytest.raises(PermissionDenied, match="may not reopen 2024"):
        reopen(2024, as_user="east-worker")
    with pytest.raises(PermissionDenied):
        reopen(2024, as_user="west-head")
    with pytest.raises(InvalidInput, match="needs a reason"):
        reopen(2024, reason="  ")
    with pytest.raises(RuleViolation, match=r"already closed .*version 1"):
        close(2024)


@pytest.mark.usefixtures("two_organs")
def test_reopening_is_audited_and_the_next_close_is_a_new_version_with_the_old_one_readable() -> None:
    close(2024)
    reopen(2024, reason="E-OPEN was answered on 30 December")
    with read_session() as s:
        v1 = snapshot(s, "east", 2024)
    assert v1 is not None and v1.reopened_by == "east-head" and v1.reopen_reason.startswith("E-OPEN")
    assert report("east", 2024)["sealed"] is None  # counted live again
    step(
        "E-OPEN", "answer", on=D(2024, 12, 30), outcome="partially_disclosed", reasons="涉及隐私"
    )  # the amendment
    assert close(2024) == 2
    with read_session() as s:
        old, new = snapshot(s, "east", 2024, version=1), snapshot(s, "east", 2024)
    assert old is not None and new is not None and new.version == 2
    assert old.report["section3"]["carried_out"][6] == 1 and new.report["section3"]["carried_out"][6] == 0
    assert new.report["section3"]["partially_disclosed"][6] == 1
    assert old.content_hash != new.content_hash and new.reopened_at is None
    assert cell(report("east", 2024), "carried_out") == 0


@pytest.mark.usefixtures("two_organs")
def test_a_year_cannot_be_reopened_while_the_next_one_is_sealed() -> None:
    close(2024)
    close(2025)
    with pytest.raises(RuleViolation, match=r"2025 is closed .*reopen 2025 first"):
        reopen(2024)
    reopen(2025)
    reopen(2024)
    with pytest.raises(RuleViolation, match="2024 is not closed"):
        reopen(2024)


@pytest.mark.usefixtures("two_organs")
def test_a_sealed_snapshot_whose_stored_numbers_were_altered_no_longer_matches_its_hash() -> None:
    close(2024)
    assert report("east", 2024)["sealed"]["content_hash_ok"]
    with session_scope() as s:
        seal = snapshot(s, "east", 2024)
        assert seal is not None
        seal.report = {**seal.report, "section3": {**seal.report["section3"], "new": [9] * 7}}
        s.add(seal)
    assert report("east", 2024)["sealed"]["content_hash_ok"] is False


@pytest.mark.usefixtures("two_organs")
def test_the_sealed_report_keeps_the_inputs_of_the_day_it_was_closed() -> None:
    with session_scope() as s:
        save_inputs(s, "east", 2024, {"section2": {"licensing": 12, "fees": "0.5"}}, actor=TESTER)
    close(2024)
    reopen(2024)
    with session_scope() as s:
        save_inputs(s, "east", 2024, {"section2": {"licensing": 13}}, actor=TESTER)
    with read_session() as s:
        v1 = snapshot(s, "east", 2024)
        assert load_inputs(s, "east", 2024).section2.licensing == 13  # type: ignore[union-attr]
    assert (
        v1 is not None and v1.report["section2"]["licensing"] == 12 and v1.report["section2"]["fees"] == 0.5
    )


def test_a_close_waits_for_an_event_in_flight_and_seals_it(pg_db: str) -> None:
    organ_with_staff()
    receive(D(2024, 12, 2), ref="FLIGHT")

    def closer(s: Session) -> ReportSnapshot:
        return close_year(s, "east", 2024, actor=Actor("head"))

    with session_scope() as writer:
        advance(writer, "FLIGHT", "answer", {"on": "2024-12-20", "outcome": "disclosed"}, actor=TESTER)
        # the close waits for the writer's FOR SHARE lock
        closing = Beside("closer", closer).start_and_wait_until_blocked()
    closing.join(timeout=30)
    assert closing.error is None
    assert closing.result.report["section3"]["disclosed"][6] == 1
    assert closing.result.report["section3"]["carried_out"][6] == 0


def test_an_event_waiting_on_a_close_is_refused_once_the_year_is_sealed(pg_db: str) -> None:
    organ_with_staff()
    receive(D(2024, 12, 2), ref="WAIT")

    def writer(s: Session) -> None:
        advance(s, "WAIT", "answer", {"on": "2024-12-20", "outcome": "disclosed"}, actor=TESTER)

    with session_scope() as s:
        close_year(s, "east", 2024, actor=Actor("head"))
        waiting = Beside("writer", writer).start_and_wait_until_blocked()
    waiting.join(timeout=30)
    assert isinstance(waiting.error, YearClosed)
    assert cell(report("east", 2024), "carried_out") == 1
