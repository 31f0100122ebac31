"""Decisions taken against a provisional deadline, once the official calendar arrives (issue 10 item 2).

With no official data for a year, deadlines reaching it count weekends only (DESIGN §4). When the
year's notice is imported:
- a lapse the system fired on a deadline is re-derived (re-dated, or undone while its day is to come);
- a fact judged against a provisional date is re-judged: `late` follows; a recorded decision the
  official calendar refutes is kept as recorded and the case is flagged for a supervisor, with the
  reason, until a supervisor acknowledges it (or a later recompute finds the history valid again).
A case is never left provisional and failing.
"""

from __future__ import annotations

import datetime as dt
import itertools
import json
import os
import random
from typing import Any

import pytest
import time_machine
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from sqlalchemy import delete
from sqlmodel import col, select

from config.settings import get_settings
from models.calendar import CalendarDay, CalendarYear
from models.cases import Case
from models.db import session_scope
from models.outbox import OutboxMessage
from tests import cli_support as cli
from tests.support import TESTER, D, organ_with_staff, receive, step
from workflow import calendar as wcal
from workflow.access import SYSTEM, Actor
from workflow.calendar_store import parse_arrangement
from workflow.case_json import CaseFilter, case_detail, history, list_cases
from workflow.digest import queue_digests
from workflow.directory import get_user
from workflow.errors import PermissionDenied, RuleViolation
from workflow.importer import Importer
from workflow.recompute import ACKNOWLEDGED, acknowledge, import_arrangement
from workflow.replay import derived, replay
from workflow.service import get_case
from workflow.sweep import sweep

# the field case's illustration (not the published 2027 arrangement)
NOTICE_2027 = """\
year: 2027
source: 假想的2027年部分节假日安排（测试用）
holidays:
  - {name: 元旦, from: 2027-01-01, to: 2027-01-03}
  - {name: 春节, from: 2027-02-06, to: 2027-02-13}
workdays:
  - 2027-02-20
"""
# a notice whose make-up Saturday 2027-01-30 brings reply deadlines earlier than weekends-only
EARLY_2027 = """\
year: 2027
source: 测试通知（调休提前）
holidays:
  - {name: 春节, from: 2027-02-08, to: 2027-02-12}
workdays:
  - 2027-01-30
"""


def at(day: dt.date, hour: int = 10) -> time_machine.travel:
    return time_machine.travel(dt.datetime.combine(day, dt.time(hour - 8), dt.UTC), tick=False)


def import_text(text: str) -> Any:
    try:
        with session_scope() as s:
            return import_arrangement(s, parse_arrangement(text, "test"), actor="tester")
    finally:
        wcal.reset_default_calendar()


def case(ref: str) -> Case:
    with session_scope() as s:
        return get_case(s, ref)


def detail(ref: str) -> dict[str, Any]:
    with session_scope() as s:
        return case_detail(s, get_case(s, ref))


def assert_equals_its_replay(ref: str) -> None:
    with session_scope() as s:
        row = get_case(s, ref)
        again = replay(row, history(s, row.id or 0))
    assert derived(again) == derived(row)


# --- the field case (06-provisional-deadlines) ------------------------------------------------------
def test_a_consultation_the_sweep_lapsed_on_a_provisional_date_is_re_dated_to_the_official_due_date(
    any_db: str,
) -> None:
    organ_with_staff()
    with at(D(2027, 1, 25)):
        receive(D(2027, 1, 25), ref="A", assignee="east-worker")
        receive(D(2027, 1, 25), ref="C", assignee="east-worker")
    with at(D(2027, 1, 26)):
        step("A", "consult", on=D(2027, 1, 26), party="third_party")
    with at(D(2027, 2, 17)):
        step("C", "consult", on=D(2027, 2, 17), party="organ")
    with session_scope() as s, at(D(2027, 2, 19)):
        assert sweep(s).lapsed == ["A lapse_consultation"]
    assert (case("A").last_event_on, case("A").provisional) == (D(2027, 2, 16), True)  # weekends only
    with at(D(2027, 2, 25)):
        result = import_text(NOTICE_2027)
    assert result.failed == [] and result.attention == [] and {"A", "C"} <= set(result.changed)
    a = case("A")
    # 15 official working days after 2027-01-26 end on 2027-02-22 (Spring Festival, Saturday 02-20 worked)
    assert (a.state, a.paused_workdays, a.reply_due) == ("received", 15, D(2027, 3, 19))
    assert (a.provisional, a.attention, a.last_event_on) == (False, None, D(2027, 2, 22))
    lapse = next(e for e in detail("A")["events"] if e["event"] == "lapse_consultation")
    assert (lapse["on"], lapse["rederived_on"]) == ("2027-02-16", "2027-02-22")  # history kept, re-dated
    assert_equals_its_replay("A")
    c = case("C")  # a consultation still running: recomputed (the control)
    assert (c.consultation_due, c.reply_due, c.provisional) == (D(2027, 3, 9), D(2027, 2, 26), False)


def test_an_answer_judged_late_against_a_provisional_date_is_re_judged_on_the_official_calendar(
    any_db: str,
) -> None:
    organ_with_staff()
    with at(D(2027, 2, 24)):
        receive(D(2027, 1, 25), ref="B")
        b = step("B", "answer", on=D(2027, 2, 24), outcome="disclosed")
    assert (b.reply_due, b.late, b.provisional) == (D(2027, 2, 22), True, True)  # the verdict is marked
    with at(D(2027, 2, 25)):
        result = import_text(NOTICE_2027)
    assert "B" in result.changed
    b = case("B")
    assert (b.state, b.reply_due, b.late, b.provisional, b.attention) == (
        "answered",
        D(2027, 2, 26),
        False,
        False,
        None,
    )
    assert_equals_its_replay("B")


def test_a_lapse_whose_official_day_is_still_to_come_is_undone_and_the_sweep_lapses_it_on_that_day(
    any_db: str,
) -> None:
    organ_with_staff()
    with at(D(2027, 1, 25)):
        receive(D(2027, 1, 25), ref="U", assignee="east-worker")
    with at(D(2027, 1, 26)):
        step("U", "consult", on=D(2027, 1, 26), party="third_party")
    with session_scope() as s, at(D(2027, 2, 17)):
        assert sweep(s).lapsed == ["U lapse_consultation"]  # provisional due 2027-02-16
    with at(D(2027, 2, 18)):
        import_text(NOTICE_2027)  # the official due day, 2027-02-22, is still to come
    u = case("U")
    assert (u.state, u.consultation_due, u.paused_from, u.attention) == (
        "consulting",
        D(2027, 2, 22),
        D(2027, 1, 26),
        None,
    )
    assert next(e for e in detail("U")["events"] if e["event"] == "lapse_consultation")["undone"] is True
    assert_equals_its_replay("U")
    with session_scope() as s, at(D(2027, 2, 22)):
        assert sweep(s).lapsed == []  # the third party has its full 15 working days
    with session_scope() as s, at(D(2027, 2, 23)):
        assert sweep(s).lapsed == ["U lapse_consultation"]
    u = case("U")
    assert (u.state, u.last_event_on, u.reply_due) == ("received", D(2027, 2, 22), D(2027, 3, 19))
    assert_equals_its_replay("U")


# --- re-judged facts the official calendar refutes: flagged ----------------------------------------
def persons_early_lapse(ref: str = "L") -> None:
    """A caseworker lapses a correction the day after its provisional end (2027-02-09); on the
    official calendar the period runs until 2027-02-16 (Spring Festival)."""
    with at(D(2027, 1, 26)):
        receive(D(2027, 1, 25), ref=ref)
        step(ref, "request_correction", on=D(2027, 1, 26), items=["申请内容的描述"], days=10)
    assert case(ref).correction_until == D(2027, 2, 9)
    with at(D(2027, 2, 10)):
        step(ref, "lapse_correction", on=D(2027, 2, 10))


def test_a_persons_lapse_the_official_calendar_refutes_flags_the_case_for_a_supervisor(any_db: str) -> None:
    organ_with_staff()
    persons_early_lapse()
    with at(D(2027, 2, 25)):
        result = import_text(NOTICE_2027)
    assert result.attention == ["L"] and result.failed == []
    row = case("L")
    assert (row.state, row.outcome, row.provisional) == ("answered", "other_no_correction", False)
    assert row.attention is not None and "lapsed" in row.attention and "2027-02-16" in row.attention
    assert detail("L")["attention"] == row.attention
    assert_equals_its_replay("L")
    with session_scope() as s:
        flagged = [r.ref for r in list_cases(s, CaseFilter(attention=True))]
    assert flagged == ["L"]


def test_an_extension_recorded_before_a_provisional_deadline_the_official_one_precedes_is_flagged(
    any_db: str,
) -> None:
    organ_with_staff()
    with at(D(2027, 2, 1)):
        receive(D(2027, 1, 4), ref="X")
        receive(D(2027, 1, 4), ref="Y")
        assert case("X").reply_due == D(2027, 2, 1)  # weekends only
        step("X", "extend", on=D(2027, 2, 1), days=10, approver="east-head")
        step("Y", "answer", on=D(2027, 2, 1), outcome="disclosed")
    with at(D(2027, 2, 3)):
        result = import_text(EARLY_2027)
    assert result.attention == ["X"]
    x, y = case("X"), case("Y")
    assert x.attention is not None and "(extend, 2027-02-01" in x.attention and "2027-01-30" in x.attention
    assert (x.extension_days, x.provisional) == (10, False)  # the extension stands; its dates are official
    assert (y.reply_due, y.late, y.attention) == (D(2027, 1, 30), True, None)  # late: re-judged, no flag
    assert_equals_its_replay("X")


def test_a_supervisor_acknowledges_a_flag_and_the_same_problem_does_not_raise_it_again(any_db: str) -> None:
    organ_with_staff()
    persons_early_lapse()
    with at(D(2027, 2, 25)):
        import_text(NOTICE_2027)
    with session_scope() as s, pytest.raises(PermissionDenied):
        acknowledge(s, "L", actor=Actor("east-worker", get_user(s, "east-worker")))
    with session_scope() as s, at(D(2027, 2, 26)):
        acknowledge(s, "L", actor=Actor("east-head", get_user(s, "east-head")), note="已电话联系申请人")
    row = case("L")
    entry = detail("L")["events"][-1]
    assert (row.attention, entry["event"], entry["actor"], entry["note"]) == (
        None,
        ACKNOWLEDGED,
        "east-head",
        "已电话联系申请人",
    )
    with session_scope() as s, pytest.raises(RuleViolation):
        acknowledge(s, "L", actor=TESTER)  # nothing left to acknowledge
    with at(D(2027, 2, 27)):  # a corrected notice, one more holiday: the same lapse refuted, no new flag
        changed = import_text(
            NOTICE_2027.replace(
                "2027-01-03}", "2027-01-03}\n  - {name: 测试, from: 2027-01-28, to: 2027-01-28}"
            )
        )
    assert "L" in changed.changed and changed.attention == []
    assert case("L").attention is None
    assert_equals_its_replay("L")


def test_a_later_calendar_that_makes_the_history_valid_again_clears_the_flag(any_db: str) -> None:
    organ_with_staff()
    persons_early_lapse()
    with at(D(2027, 2, 25)):
        import_text(NOTICE_2027)
    assert case("L").attention is not None
    with at(D(2027, 2, 26)):  # a corrected notice: no Spring Festival days before 2027-02-10
        import_text(
            NOTICE_2027.replace("from: 2027-02-06, to: 2027-02-13", "from: 2027-02-13, to: 2027-02-19")
        )
    row = case("L")
    assert (row.attention, row.provisional) == (None, False)
    assert detail("L")["events"][-1]["changes"]["attention"][1] is None
    assert_equals_its_replay("L")


@pytest.mark.usefixtures("chinese")  # the digest and the list are asserted in Chinese
def test_the_supervisors_daily_digest_lists_each_flagged_case_with_its_reason(any_db: str) -> None:
    organ_with_staff()
    persons_early_lapse()
    with at(D(2027, 2, 25)):
        import_text(NOTICE_2027)
    with session_scope() as s, at(D(2027, 2, 26)):
        assert queue_digests(s) >= 1
    with session_scope() as s:
        mails = list(s.exec(select(OutboxMessage).where(col(OutboxMessage.kind) == "digest")))
    to_head = [m for m in mails if m.recipient == "head@east.example.org"]
    assert len(to_head) == 1 and "需主管关注" in to_head[0].subject
    assert "L" in to_head[0].body and case("L").attention in to_head[0].body
    assert not [m for m in mails if m.recipient == "worker@east.example.org" and "需主管" in m.body]


# --- the CLI door -----------------------------------------------------------------------------------
@pytest.mark.usefixtures("chinese")  # the list is asserted in Chinese
def test_ogi_case_list_attention_lists_flagged_cases_and_acknowledge_clears_them(sqlite_db: str) -> None:
    env = {**os.environ, "OGI_DATABASE_URL": sqlite_db}
    organ_with_staff()
    persons_early_lapse()
    with at(D(2027, 1, 25)):
        receive(D(2027, 1, 25), ref="OTHER")
    with at(D(2027, 2, 25)):
        import_text(NOTICE_2027)

    def ogi(*args: str) -> Any:
        done = cli.ogi(env, *args)
        return json.loads(done.stdout) if "--json" in args else done.stdout

    listed = ogi("case", "list", "--attention", "--json")
    assert [(c["ref"], c["attention"] is not None) for c in listed] == [("L", True)]
    assert ogi("case", "show", "OTHER", "--json")["attention"] is None
    assert "需主管关注" in ogi("case", "list", "--attention")
    ogi("case", "acknowledge", "L", "--as", "east-head", "--json")
    assert ogi("case", "list", "--attention", "--json") == []


# --- the kind: any history computed while the year was provisional -----------------------------------
_refs = itertools.count()


def forget_2027() -> None:
    with session_scope() as s:
        s.execute(delete(CalendarDay).where(col(CalendarDay.year) >= 2027))
        s.execute(delete(CalendarYear).where(col(CalendarYear.year) >= 2027))
    wcal.reset_default_calendar()


@st.composite
def notices_2027(draw: st.DrawFn) -> str:
    """A 2027 notice: holidays and make-up weekend days from December 2026 to January 2028."""
    first = D(2026, 12, 1)
    offsets = draw(st.lists(st.integers(0, 120), min_size=1, max_size=30, unique=True))
    holidays, workdays = [], []
    for d in sorted(first + dt.timedelta(days=o) for o in offsets):
        if d.weekday() >= 5 and draw(st.booleans()):
            workdays.append(str(d))
        else:
            holidays.append(f"{{name: 假日, from: {d}, to: {d}}}")
    return f"year: 2027\nsource: 测试\nholidays: [{', '.join(holidays)}]\nworkdays: [{', '.join(workdays)}]\n"


def provisional_history(
    rng: random.Random, cal: wcal.WorkCalendar, received: dt.date, today: dt.date
) -> list[dict[str, Any]]:
    """A valid history on the provisional calendar, rich in what a new calendar re-judges: the
    system's and people's lapses, opinions within the period, extensions, answers near the due day."""
    events: list[dict[str, Any]] = []

    def add(name: str, on: dt.date, **params: Any) -> bool:
        if on > today:
            return False
        events.append({"event": name, "on": on.isoformat(), **params})
        return True

    due = cal.add_workdays(received, 20)
    last = received
    kind = rng.choice(["consult", "correction", "extend", "answer"])
    if kind == "consult":
        on = cal.add_workdays(received, rng.randint(1, 5))
        if not add("consult", on, party=rng.choice(["third_party", "organ"])):
            return events
        end = cal.add_workdays(on, 15)
        lapse = rng.random() < 0.6
        if not lapse:
            end = cal.add_workdays(on, rng.randint(1, 15))
        who = {"actor": SYSTEM.name} if rng.random() < 0.7 else {}
        if not add("lapse_consultation" if lapse else "receive_opinion", end, **(who if lapse else {})):
            return events
        due, last = cal.add_workdays(due, cal.workdays_between(on, end)), end
    elif kind == "correction":
        on = cal.add_workdays(received, rng.randint(1, 7))
        days = rng.randint(5, 15)
        until = cal.add_workdays(on, days)
        if not add("request_correction", on, days=days):
            return events
        if rng.random() < 0.5:
            add("lapse_correction", cal.add_workdays(until, rng.randint(1, 3)))
            return events
        last = cal.add_workdays(on, rng.randint(1, days))
        if not add("receive_correction", last):
            return events
        due = cal.add_workdays(last, 20)
    elif kind == "extend":
        room = cal.workdays_between(received, due)
        last = cal.add_workdays(received, rng.randint(max(1, room - 3), room))
        days = rng.randint(5, 20)
        if not add("extend", last, days=days, approver="prop-head"):
            return events
        due = cal.add_workdays(due, days)
    if rng.random() < 0.7:
        near = due + dt.timedelta(days=rng.randint(-4, 4))
        add("answer", max(near, last), outcome="disclosed")
    return events


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rng=st.randoms(use_true_random=False), notice=notices_2027(), n=st.integers(3, 8))
def test_after_the_official_year_arrives_every_case_is_consistent_and_official_or_flagged_with_a_reason(
    organ: str, rng: random.Random, notice: str, n: int
) -> None:
    forget_2027()
    today = D(2027, 1, 20) + dt.timedelta(days=rng.randint(0, 100))  # the import's day too
    refs = []
    with at(today):
        cal = wcal.default_calendar()  # 2027 weekends only
        lines = []
        for _ in range(n):
            ref = f"H-{next(_refs)}"
            received = D(2026, 12, 1) + dt.timedelta(days=rng.randint(0, (today - D(2026, 12, 1)).days))
            line = {
                "ref": ref,
                "organ": organ,
                "applicant_type": "natural_person",
                "applicant": "张三",
                "channel": "online",
                "received_on": received.isoformat(),
                "events": provisional_history(rng, cal, received, today),
            }
            lines.append(json.dumps(line, ensure_ascii=False))
            refs.append(ref)
        with session_scope() as s:
            Importer(s, actor=TESTER).run(lines)
        result = import_text(notice)
    assert not [f for f in result.failed if f.split(":")[0] in refs]
    for ref in refs:
        row = case(ref)
        with session_scope() as s:
            again = replay(row, history(s, row.id or 0))
        assert derived(again) == derived(row), f"{ref} does not equal its replay"
        assert not row.provisional or row.attention, f"{ref} left provisional without a reason"
        events = detail(ref)["events"]
        if row.attention is None:
            assert not [e for e in events if "kept_as_recorded" in e], f"{ref} keeps refuted events unflagged"
        for key in ("rederived_on", "undone", "kept_as_recorded"):  # what the examples exercised
            if any(key in e for e in events):
                event(key)


@pytest.fixture
def organ(any_db: str) -> str:
    organ_with_staff("prop")
    return "prop"


@pytest.mark.parametrize(
    ("import_on", "state", "concluded_on"),
    [(D(2027, 2, 25), "answered", D(2027, 2, 17)), (D(2027, 2, 15), "awaiting_correction", None)],
)
def test_an_automatic_correction_lapse_is_re_derived_from_the_official_end_of_the_period(
    any_db: str, monkeypatch: pytest.MonkeyPatch, import_on: dt.date, state: str, concluded_on: dt.date | None
) -> None:
    monkeypatch.setenv("OGI_AUTO_LAPSE_GRACE_DAYS", "0")  # the system lapses on the first day after
    get_settings.cache_clear()
    organ_with_staff()
    with at(D(2027, 1, 26)):
        receive(D(2027, 1, 25), ref="G")
        step(
            "G", "request_correction", on=D(2027, 1, 26), items=["申请内容的描述"], days=10
        )  # weekends only: until 2027-02-09
    with session_scope() as s, at(D(2027, 2, 11)):
        assert sweep(s).lapsed == ["G lapse_correction"]
    assert case("G").concluded_on == D(2027, 2, 10)
    with at(import_on):
        result = import_text(NOTICE_2027)  # officially the period runs until 2027-02-16
    g = case("G")
    assert (g.state, g.concluded_on, g.attention, result.attention) == (state, concluded_on, None, [])
    if state == "awaiting_correction":
        assert g.correction_until == D(2027, 2, 16)
    assert_equals_its_replay("G")
