"""The case page shows why a case is flagged for a supervisor, and a supervisor acknowledges it there."""

from __future__ import annotations

from sqlalchemy import delete
from sqlmodel import col

from models.calendar import CalendarDay, CalendarYear
from models.db import session_scope
from tests.admin.conftest import logged_in
from tests.support import D, receive, step
from workflow import calendar as wcal
from workflow.recompute import seed_calendar
from workflow.service import get_case


def flagged_case(ref: str) -> str:
    """Without 2026's notice a caseworker lapses a correction the day after its weekends-only end
    (2026-05-05); the notice (May Day 1–5 May) puts the end on 2026-05-08: the lapse is refuted."""
    with session_scope() as s:
        s.execute(delete(CalendarDay).where(col(CalendarDay.year) >= 2026))
        s.execute(delete(CalendarYear).where(col(CalendarYear.year) >= 2026))
    wcal.reset_default_calendar()
    receive(D(2026, 4, 27), organ="east", ref=ref)
    assert step(
        ref, "request_correction", on=D(2026, 4, 28), items=["申请内容的描述"], days=5
    ).correction_until == D(2026, 5, 5)
    step(ref, "lapse_correction", on=D(2026, 5, 6))
    with session_scope() as s:
        seed_calendar(s)
    wcal.reset_default_calendar()
    with session_scope() as s:
        reason = get_case(s, ref).attention
    assert reason is not None and "2026-05-08" in reason
    return reason


def version_of(ref: str) -> str:
    with session_scope() as s:
        return str(get_case(s, ref).version)


def test_a_stale_page_cannot_acknowledge_a_flag(office: str) -> None:
    flagged_case("E-ATT3")
    stale = int(version_of("E-ATT3")) - 1
    refused = logged_in("east-head").post("/cases/E-ATT3/acknowledge", {"version": str(stale)})
    assert refused.status_code == 409
    with session_scope() as s:
        assert get_case(s, "E-ATT3").attention is not None


def test_the_case_page_shows_the_flag_and_its_reason_and_a_supervisor_acknowledges_it(office: str) -> None:
    reason = flagged_case("E-ATT")
    worker = logged_in("east-worker").get("/cases/E-ATT").text
    assert 'id="attention"' in worker and reason in worker
    assert "/cases/E-ATT/acknowledge" not in worker  # a supervisor's review, not the caseworker's
    head = logged_in("east-head")
    assert "/cases/E-ATT/acknowledge" in head.get("/cases/E-ATT").text
    done = head.post("/cases/E-ATT/acknowledge", {"note": "已核查", "version": version_of("E-ATT")})
    assert done.status_code == 303
    page = head.get("/cases/E-ATT").text
    assert 'id="attention"' not in page and "主管已核查提示" in page


def test_a_caseworker_cannot_acknowledge_a_flag_by_posting_the_form(office: str) -> None:
    flagged_case("E-ATT2")
    refused = logged_in("east-worker").post("/cases/E-ATT2/acknowledge", {"version": version_of("E-ATT2")})
    assert refused.status_code == 403
    with session_scope() as s:
        assert get_case(s, "E-ATT2").attention is not None
