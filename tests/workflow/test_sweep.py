"""The deadline sweep's rules (DESIGN §7, issue 4 §3), day by day on a frozen clock.

March 2026 has no holidays: a case received on Monday 2026-03-02 must be told about a
correction by Wednesday 03-11 (7 WD) and answered by Monday 03-30 (20 WD).
"""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import text

from codes import DeadlineKind
from config.settings import get_settings
from models.db import read_session, session_scope
from tests.support import TESTER, D, organ_with_staff, receive, step
from tests.workflow.sweep_support import case, events, messages, morning, on_day, sweep
from workflow import digest, reminders
from workflow import sweep as deadlines
from workflow.calendar import default_calendar
from workflow.directory import add_user
from workflow.service import reassign

# the mails are asserted in Chinese, the language they are written in by default
pytestmark = pytest.mark.usefixtures("sqlite_db", "chinese")

RECEIVED = D(2026, 3, 2)
REPLY_DUE = D(2026, 3, 30)
NOTICE_DUE = D(2026, 3, 11)


def days(first: dt.date, last: dt.date) -> list[dt.date]:
    return [first + dt.timedelta(n) for n in range((last - first).days + 1)]


def queued_on_each_day(ref: str, first: dt.date, last: dt.date) -> dict[tuple[str, int, str], dt.date]:
    """Sweep every calendar day; note the day each (kind, offset, recipient) was first queued."""
    seen: dict[tuple[str, int, str], dt.date] = {}
    with on_day(first) as clock:
        for day in days(first, last):
            clock.move_to(morning(day))
            sweep(day)
            for m in messages(ref):
                assert m.offset_days is not None
                seen.setdefault((m.kind, m.offset_days, m.recipient), day)
    return seen


def test_reminders_go_to_the_assignee_5_2_and_0_working_days_before_and_escalate_once_overdue() -> None:
    organ_with_staff()
    with on_day(RECEIVED):
        receive(RECEIVED, ref="A", assignee="east-worker")
    seen = queued_on_each_day("A", RECEIVED, D(2026, 4, 3))
    worker, head = "worker@east.example.org", "head@east.example.org"
    assert seen == {
        ("correction_notice_due", 5, worker): D(2026, 3, 4),  # 5 WD left: 05 06 09 10 11
        ("correction_notice_due", 2, worker): D(2026, 3, 9),
        ("correction_notice_due", 0, worker): NOTICE_DUE,
        ("reply_due", 5, worker): D(2026, 3, 23),
        ("reply_due", 2, worker): D(2026, 3, 26),
        ("reply_due", 0, worker): REPLY_DUE,
        ("overdue", reminders.AFTER, head): D(2026, 3, 31),  # the supervisors, once
        ("overdue", reminders.AFTER, worker): D(2026, 3, 31),
    }
    overdue = [e for e in events("A") if e[0] == "became_overdue"]
    assert overdue == [("became_overdue", D(2026, 3, 31), "system")]


def test_a_case_first_seen_late_gets_one_reminder_the_nearest_none_for_a_passed_correction_notice() -> None:
    """The acceptance scenario: received 19 WD ago, reply due on the next working day."""
    organ_with_staff()
    with on_day(RECEIVED):
        receive(RECEIVED, ref="LATE", assignee="east-worker")
    friday = D(2026, 3, 27)
    with on_day(friday):
        first = sweep(friday)
        again = sweep(friday)
    [only] = messages("LATE")
    assert (only.kind, only.due_on, only.offset_days) == ("reply_due", REPLY_DUE, 2)
    assert "LATE" in only.subject and "答复期限" in only.subject
    assert (first.queued, again.queued) == (1, 0)


def test_missed_sweeps_catch_up_with_only_the_nearest_stage() -> None:
    organ_with_staff()
    with on_day(RECEIVED):
        receive(RECEIVED, ref="GAP", assignee="east-worker")
    with on_day(D(2026, 3, 23)) as clock:
        sweep(D(2026, 3, 23))  # offset 5
        clock.move_to(morning(REPLY_DUE))  # no sweep ran on 03-24 … 03-27
        sweep(REPLY_DUE)
    reply = [(m.offset_days, m.status) for m in messages("GAP") if m.kind == "reply_due"]
    assert reply == [(5, "cancelled"), (0, "pending")]  # no stage 2; the unsent 5 is superseded


def test_a_nearer_stage_cancels_an_older_one_still_unsent() -> None:
    organ_with_staff()
    with on_day(RECEIVED):
        receive(RECEIVED, ref="SUP", assignee="east-worker")
    with on_day(D(2026, 3, 23)) as clock:
        sweep(D(2026, 3, 23))
        clock.move_to(morning(D(2026, 3, 26)))
        sweep(D(2026, 3, 26))
    reply = [(m.offset_days, m.status) for m in messages("SUP") if m.kind == "reply_due"]
    assert reply == [(5, "cancelled"), (2, "pending")]


def test_the_sweep_fires_lapse_consultation_the_day_after_the_period_as_the_system() -> None:
    organ_with_staff()
    with on_day(D(2026, 4, 8)):
        receive(D(2026, 4, 1), ref="CONS", assignee="east-worker")
        step("CONS", "consult", on=D(2026, 4, 8), party="third_party")
    assert case("CONS").consultation_due == D(2026, 4, 29)
    with on_day(D(2026, 4, 29)) as clock:
        assert sweep(D(2026, 4, 29)).lapsed == []  # the third party still has today
        clock.move_to(morning(D(2026, 4, 30)))
        result = sweep(D(2026, 4, 30))
        again = sweep(D(2026, 4, 30))
    assert result.lapsed == ["CONS lapse_consultation"] and again.lapsed == []
    row = case("CONS")
    assert (row.state, row.reply_due, row.consultation_due) == ("received", D(2026, 5, 25), None)  # DESIGN §4
    assert events("CONS")[-1] == ("lapse_consultation", D(2026, 4, 29), "system")


def test_an_ended_correction_period_only_reminds_the_caseworker_by_default() -> None:
    organ_with_staff()
    with on_day(D(2026, 3, 4)):
        receive(RECEIVED, ref="CORR", assignee="east-worker")
        step("CORR", "request_correction", on=D(2026, 3, 4), items=["申请内容的描述"], until=D(2026, 3, 18))
    with on_day(D(2026, 3, 18)) as clock:
        sweep(D(2026, 3, 18))
        assert [m.kind for m in messages("CORR", status="pending")] == []  # the applicant still has today
        for day in days(D(2026, 3, 19), D(2026, 4, 30)):
            clock.move_to(morning(day))
            sweep(day)
    # the 7-WD notice reminder queued at receipt was cancelled by the correction request itself
    notice, ended = messages("CORR")
    assert (notice.kind, notice.status) == ("correction_notice_due", "cancelled")
    assert (ended.kind, ended.due_on, ended.offset_days) == ("correction_until", D(2026, 3, 18), -1)
    assert "lapse_correction" in ended.body and "补正期限" in ended.subject
    assert case("CORR").state == "awaiting_correction"  # "without good reason" is a person's call


@pytest.mark.parametrize(
    ("event", "params", "lapse", "lapse_on"),
    [
        # correction until 03-18; grace 2 WD: lapsed on the 3rd working day after it, 03-23
        (
            "request_correction",
            {"until": D(2026, 3, 18), "items": ["申请内容"]},
            "lapse_correction",
            D(2026, 3, 23),
        ),
        # fee notice on 03-04 with 5 WD to pay (due 03-11): lapsed on 03-16
        ("notify_fee", {"amount": "100", "days": 5}, "lapse_fee", D(2026, 3, 16)),
    ],
)
def test_automatic_lapse_after_the_grace_period_when_the_setting_is_on(
    monkeypatch: pytest.MonkeyPatch, event: str, params: dict[str, object], lapse: str, lapse_on: dt.date
) -> None:
    monkeypatch.setenv("OGI_AUTO_LAPSE_GRACE_DAYS", "2")
    get_settings.cache_clear()
    organ_with_staff()
    with on_day(D(2026, 3, 4)):
        receive(RECEIVED, ref="AUTO", assignee="east-worker")
        step("AUTO", event, on=D(2026, 3, 4), **params)
    lapsed_on = {}
    with on_day(D(2026, 3, 4)) as clock:
        for day in days(D(2026, 3, 4), D(2026, 3, 31)):
            clock.move_to(morning(day))
            if sweep(day).lapsed:
                lapsed_on[day] = case("AUTO").state
    assert lapsed_on == {lapse_on: "answered"}
    assert events("AUTO")[-1] == (lapse, lapse_on, "system")


def test_an_extension_cancels_the_pending_reminders_and_rekeys_them_to_the_new_date() -> None:
    organ_with_staff()
    with on_day(RECEIVED):
        receive(RECEIVED, ref="EXT", assignee="east-worker")
    with on_day(D(2026, 3, 26)) as clock:
        sweep(D(2026, 3, 26))
        step("EXT", "extend", on=D(2026, 3, 26), days=10, approver="east-head")
        new_due = case("EXT").reply_due
        assert new_due == D(2026, 4, 14)  # 10 WD after 03-30; 04-06 is Qingming
        assert [(m.due_on, m.offset_days, m.status) for m in messages("EXT") if m.kind == "reply_due"] == [
            (REPLY_DUE, 2, "cancelled")
        ]
        clock.move_to(morning(D(2026, 4, 13)))
        sweep(D(2026, 4, 13))
    live = [(m.due_on, m.offset_days) for m in messages("EXT", status="pending") if m.kind == "reply_due"]
    assert live == [(new_due, 2)]
    assert "不能再次延期" in messages("EXT", status="pending")[-1].body  # one extension only


def test_an_answer_cancels_every_pending_reminder_of_the_case() -> None:
    organ_with_staff()
    with on_day(RECEIVED):
        receive(RECEIVED, ref="ANS", assignee="east-worker")
    with on_day(REPLY_DUE):
        sweep(REPLY_DUE)
        assert [m.status for m in messages("ANS")] == ["pending"]
        step("ANS", "answer", on=REPLY_DUE, outcome="disclosed")
    assert [m.status for m in messages("ANS")] == ["cancelled"]


def test_reassigning_a_case_readdresses_its_pending_reminder_to_the_new_assignee() -> None:
    organ_with_staff()
    with session_scope() as s:
        add_user(s, name="east-other", organ="east", role="caseworker", email="other@east.example.org")
    with on_day(RECEIVED):
        receive(RECEIVED, ref="MOVED", assignee="east-worker")
    with on_day(REPLY_DUE):
        sweep(REPLY_DUE)
        with session_scope() as s:
            reassign(s, "MOVED", "east-other", actor=TESTER)
    sent = {(m.recipient, m.status) for m in messages("MOVED")}
    assert sent == {("worker@east.example.org", "cancelled"), ("other@east.example.org", "pending")}


def test_an_event_that_makes_a_reminder_due_queues_it_in_its_own_transaction() -> None:
    organ_with_staff()
    with on_day(D(2026, 3, 27)):
        receive(D(2026, 3, 2), ref="EV", assignee="east-worker")  # recorded late: reply due Monday
    [m] = messages("EV")
    assert (m.kind, m.due_on, m.offset_days, m.status) == ("reply_due", REPLY_DUE, 2, "pending")


def test_an_unassigned_case_reminds_the_organ_supervisors() -> None:
    organ_with_staff()
    with on_day(RECEIVED):
        receive(RECEIVED, ref="NOBODY")
    with on_day(REPLY_DUE):
        sweep(REPLY_DUE)
    assert {(m.kind, m.recipient) for m in messages("NOBODY")} == {("reply_due", "head@east.example.org")}


def test_each_window_query_reads_a_range_of_its_own_deadline_index() -> None:
    today, upto = D(2026, 3, 27), D(2026, 4, 3)
    expected = [
        "ix_case_state_reply_due (state=? AND reply_due<?)",
        "ix_case_correction_notice_due (correction_notice_due>? AND correction_notice_due<?)",
        "ix_case_correction_until (correction_until<?)",
        "ix_case_fee_due (fee_due<?)",
        "ix_case_consultation_due (consultation_due<?)",
    ]
    with read_session() as s:
        plans = []
        for cond in deadlines.window(today, upto):
            stmt = deadlines.select(deadlines.Case).where(cond)
            compiled = stmt.compile(s.get_bind(), compile_kwargs={"literal_binds": True})
            plans.append(" ".join(str(r[-1]) for r in s.execute(text(f"EXPLAIN QUERY PLAN {compiled}"))))
    assert plans == [f"SEARCH case USING INDEX {e}" for e in expected]


def test_every_deadline_column_is_swept() -> None:
    from codes import DEADLINE_COLUMNS

    assert sorted(deadlines.WINDOW) == sorted(DEADLINE_COLUMNS)
    assert len(deadlines.window(D(2026, 3, 27), D(2026, 4, 3))) == len(DEADLINE_COLUMNS)


def test_the_window_in_python_finds_the_cases_the_window_in_sql_finds() -> None:
    """`in_window` (the benchmarks draw their due cases with it) is the same window as the queries."""
    organ_with_staff()
    with on_day(D(2026, 3, 27)):
        receive(RECEIVED, ref="DUE-1", assignee="east-worker")
        receive(D(2026, 3, 25), ref="DUE-2", assignee="east-worker")
        receive(D(2026, 3, 26), ref="NOT-YET", assignee="east-worker")
        receive(D(2026, 3, 2), ref="CONSULTED", assignee="east-worker")
        step("CONSULTED", "consult", on=D(2026, 3, 10), party="organ")
    cal = default_calendar()
    for today in days(D(2026, 3, 20), D(2026, 4, 30)):
        upto = reminders.horizon(today, (5, 2, 0), cal)
        with read_session() as s:
            found = {c.ref for c in deadlines.due_cases(s, today, cal, (5, 2, 0))}
        refs = ("DUE-1", "DUE-2", "NOT-YET", "CONSULTED")
        assert found == {r for r in refs if deadlines.in_window(case(r), today, upto)}, today


def test_the_sweep_reads_the_due_cases_and_none_of_the_others() -> None:
    organ_with_staff()
    with on_day(D(2026, 3, 27)):
        receive(RECEIVED, ref="DUE-1", assignee="east-worker")  # reply due 03-30
        receive(D(2026, 3, 25), ref="DUE-2", assignee="east-worker")  # correction notice due 04-03: 5 WD
        receive(D(2026, 3, 26), ref="NOT-YET", assignee="east-worker")  # notice due 04-07: 6 WD left
        for i in range(30):
            receive(D(2026, 3, 27), ref=f"LATER-{i}", assignee="east-worker")  # nothing due for 7 WD
        step("DUE-1", "extend", on=D(2026, 3, 27), days=1, approver="east-head")  # still in the window
    with read_session() as s:
        cal = default_calendar()
        found = [c.ref for c in deadlines.due_cases(s, D(2026, 3, 27), cal, (5, 2, 0))]
    assert found == ["DUE-1", "DUE-2"]


def test_sweeping_the_same_day_twice_changes_nothing_the_second_time() -> None:
    organ_with_staff()
    with on_day(REPLY_DUE + dt.timedelta(days=1)):
        receive(RECEIVED, ref="TWICE", assignee="east-worker")
        first = sweep(REPLY_DUE + dt.timedelta(days=1))
        second = sweep(REPLY_DUE + dt.timedelta(days=1))
    assert (first.queued, first.became_overdue) == (2, ["TWICE"])
    assert (second.queued, second.became_overdue, second.cancelled) == (0, [], 0)
    assert [e[0] for e in events("TWICE")].count("became_overdue") == 1


def test_reminder_kinds_have_labels_and_each_kind_is_a_deadline_column_or_overdue() -> None:
    from codes import DEADLINE_KIND_LABELS
    from models.cases import Case

    columns = set(Case.model_fields)
    assert set(DEADLINE_KIND_LABELS) == {k.value for k in DeadlineKind}
    assert {k.value for k in DeadlineKind} - columns == {"overdue"}


def test_a_case_with_a_deadline_moved_back_gets_its_cancelled_reminder_again() -> None:
    organ_with_staff()
    with on_day(RECEIVED):
        receive(RECEIVED, ref="BACK", assignee="east-worker")
    with on_day(D(2026, 3, 26)):
        sweep(D(2026, 3, 26))  # offset 2 for 03-30
        step("BACK", "consult", on=D(2026, 3, 26), party="organ")  # paused: the reminder is stale
        assert [m.status for m in messages("BACK")] == ["cancelled"]
        step("BACK", "receive_opinion", on=D(2026, 3, 26))  # same day: 0 WD paused, due 03-30 again
    assert [(m.due_on, m.offset_days, m.status) for m in messages("BACK")] == [(REPLY_DUE, 2, "pending")]


def test_the_daily_digest_lists_each_persons_due_cases_once_a_day_without_repeating_todays_reminders() -> (
    None
):
    organ_with_staff()
    with on_day(D(2026, 3, 2)):
        receive(D(2026, 3, 2), ref="DIG-1", assignee="east-worker")  # reply due 03-30
    with on_day(D(2026, 3, 23)):
        receive(D(2026, 3, 23), ref="DIG-2", assignee="east-worker")  # notice due 04-01
    with on_day(D(2026, 3, 25)) as clock:
        sweep(D(2026, 3, 25))  # the "5 WD left" of both
        clock.move_to(morning(D(2026, 3, 26)))
        sweep(D(2026, 3, 26))  # DIG-1: "2 WD left" today; DIG-2: nothing new (4 WD left)
        with session_scope() as s:
            first = digest.queue_digests(s, today=D(2026, 3, 26))
            again = digest.queue_digests(s, today=D(2026, 3, 26))
        clock.move_to(morning(D(2026, 3, 27)))
        with session_scope() as s:
            next_day = digest.queue_digests(s, today=D(2026, 3, 27))
    digests = [m for m in messages() if m.kind == "digest"]
    assert (first, again, next_day) == (1, 0, 1)
    today, tomorrow = digests
    assert today.recipient == "worker@east.example.org" and "每日待办 2026-03-26" in today.subject
    assert "DIG-2" in today.body and "DIG-1" not in today.body  # DIG-1 had its own reminder today
    assert "另有 1 件申请今天已单独发送提醒" in today.body
    assert "DIG-1" in tomorrow.body and "DIG-2" in tomorrow.body


def test_a_case_overdue_once_its_consultation_lapses_is_escalated_by_the_same_sweep() -> None:
    organ_with_staff()
    with on_day(D(2026, 4, 8)):
        receive(D(2026, 4, 1), ref="LATE-CONS", assignee="east-worker")
        step("LATE-CONS", "consult", on=D(2026, 4, 8), party="third_party")
    day = D(2026, 5, 27)  # the sweeps missed the consultation's end; the lapse makes the reply due 05-25
    with on_day(day):
        first = sweep(day)
        second = sweep(day)
    assert first.lapsed == ["LATE-CONS lapse_consultation"] and first.became_overdue == ["LATE-CONS"]
    assert (second.queued, second.lapsed, second.became_overdue) == (0, [], [])
    assert [e[0] for e in events("LATE-CONS")][-2:] == ["lapse_consultation", "became_overdue"]
