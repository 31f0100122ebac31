"""Over random histories: every date any document prints is one of the case's own dates (a deadline
it had, or the day of one of its events), and each document is dated its event's day."""

from __future__ import annotations

import datetime as dt
import itertools
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlmodel import select

from documents import service
from models.db import session_scope
from models.organs import Organ
from tests.documents.support import TESTER, D, dates_in, office, receive, step, text_of
from workflow.calendar import default_calendar
from workflow.case_json import history
from workflow.machine import CaseRecord
from workflow.replay import derived, steps
from workflow.service import get_case, new_flow

pytestmark = [pytest.mark.slow, pytest.mark.usefixtures("sqlite_db")]
_refs = itertools.count(1)


def case_dates(ref: str) -> set[dt.date]:
    """Every date the case had, after any of its events, and every event's own day."""
    with session_scope() as s:
        entries = history(s, get_case(s, ref).id or 0)
    out: set[dt.date] = set()
    flow = new_flow(CaseRecord())
    for h, before in steps(flow, entries):
        out |= {h.effective_on} | {
            v for v in [*before.values(), *derived(flow.row).values()] if isinstance(v, dt.date)
        }
    return out


def build(ref: str, received: dt.date, plan: dict[str, Any]) -> None:
    cal = default_calendar()
    receive(received, ref=ref, request="道路维修预算")
    on = received
    if plan["correction"]:
        on = cal.add_workdays(on, plan["gap"])
        step(ref, "request_correction", on=on, items=["请写明年度"], days=plan["days"])
        on = cal.add_workdays(on, 2)
        step(ref, "receive_correction", on=on)
    if plan["consult"]:
        on = cal.add_workdays(on, 1)
        step(ref, "consult", on=on, party="third_party")
        on = cal.add_workdays(on, plan["gap"])
        step(ref, "receive_opinion", on=on)
    if plan["extend"]:
        on = cal.add_workdays(on, 1)
        step(ref, "extend", on=on, days=plan["days"], approver="east-head")
    if plan["fee"]:
        on = cal.add_workdays(on, 1)
        step(ref, "notify_fee", on=on, amount="30", days=plan["days"])
        on = cal.add_workdays(on, min(plan["gap"], plan["days"]))  # paid within the period
        step(ref, "receive_payment", on=on)
    step(
        ref,
        "answer",
        on=cal.add_workdays(on, plan["gap"]),
        outcome="withheld_internal_affairs",
        reasons="内部事务",
    )


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    received=st.dates(D(2025, 11, 1), D(2026, 6, 30)),  # every event before the real today
    plan=st.fixed_dictionaries(
        {
            "correction": st.booleans(),
            "consult": st.booleans(),
            "extend": st.booleans(),
            "fee": st.booleans(),
            "gap": st.integers(1, 6),
            "days": st.integers(3, 15),
        }
    ),
)
def test_every_date_any_document_prints_is_the_cases_own(received: dt.date, plan: dict[str, Any]) -> None:
    with session_scope() as s:
        known = s.exec(select(Organ).where(Organ.code == "east")).first() is not None
    if not known:  # the database lives as long as the test, across its examples
        office()
    ref = f"R-{next(_refs)}"
    build(ref, received, plan)
    own = case_dates(ref)
    with session_scope() as s:
        kinds = service.offers(s, get_case(s, ref))
    assert "reply" in kinds and "receipt" in kinds
    for kind in kinds:
        with session_scope() as s:
            issued = service.issue(s, ref, kind, actor=TESTER)
        printed = dates_in(text_of(issued.content))
        assert issued.document.issued_on in printed and printed <= own, (kind, printed - own)
