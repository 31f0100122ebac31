"""The case state machine: every transition, guard and deadline effect of DESIGN §3–§4."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from models.cases import Case
from workflow import calendar as wcal
from workflow import events as ev
from workflow.errors import InvalidInput, RuleViolation
from workflow.machine import MACHINE, NEW, TRANSITIONS, CaseFlow, CaseRecord, Policy, allowed_events

D = dt.date
CAL = wcal.WorkCalendar(wcal.package_data())
TODAY = D(2026, 11, 26)


class Flow:
    """A case driven through the machine in memory, as the service does before it writes."""

    def __init__(self) -> None:
        self.row = CaseRecord()
        self.flow = CaseFlow(self.row, calendar=CAL, policy=Policy(correction_days=15, fee_days=20))

    def __call__(self, event: str, on: dt.date | None = None, **params: Any) -> CaseRecord:
        raw = {k: (v.isoformat() if isinstance(v, dt.date) else v) for k, v in params.items()}
        if on is not None:
            raw["on"] = on.isoformat()
        p = self.flow.resolve(event, ev.parse_params(event, raw), TODAY)
        self.flow.fire(event, p, today=TODAY)
        return self.row


def received(on: dt.date) -> Flow:
    f = Flow()
    f("receive", on)
    return f


# --- DESIGN §4 worked examples ---------------------------------------------------------------
@pytest.mark.parametrize(
    ("received_on", "reply_due"),
    [
        (D(2026, 9, 28), D(2026, 10, 30)),  # National Day week; Sat 10 October works
        (D(2026, 2, 10), D(2026, 3, 16)),  # Spring Festival; two working Saturdays
        (D(2025, 12, 25), D(2026, 1, 23)),
        (D(2026, 10, 3), D(2026, 11, 3)),  # received on a holiday
    ],
)
def test_the_reply_is_due_twenty_working_days_after_receipt(received_on: dt.date, reply_due: dt.date) -> None:
    assert received(received_on).row.reply_due == reply_due


def test_a_corrected_application_restarts_the_reply_period_from_its_receipt() -> None:
    f = received(D(2026, 3, 2))
    assert f.row.correction_notice_due == D(2026, 3, 11)
    f("request_correction", D(2026, 3, 5), days=10)
    row = f("receive_correction", D(2026, 3, 16))
    assert (row.clock_start, row.reply_due, row.corrected) == (D(2026, 3, 16), D(2026, 4, 14), True)


def test_consultation_time_is_not_counted_in_the_reply_period() -> None:
    f = received(D(2026, 4, 1))
    assert f.row.reply_due == D(2026, 4, 30)
    f("consult", D(2026, 4, 8), party="third_party")
    row = f("receive_opinion", D(2026, 4, 20))
    assert (row.paused_workdays, row.reply_due, row.state) == (8, D(2026, 5, 14), "received")


def test_a_consultation_without_an_opinion_pauses_fifteen_working_days() -> None:
    f = received(D(2026, 4, 1))
    f("consult", D(2026, 4, 8), party="organ")
    assert f.row.consultation_due == D(2026, 4, 29)
    row = f("lapse_consultation")  # dated on the due date by rule
    assert (row.last_event_on, row.paused_workdays, row.reply_due) == (D(2026, 4, 29), 15, D(2026, 5, 25))


def test_an_extension_adds_its_working_days_to_the_reply_deadline() -> None:
    f = received(D(2026, 9, 1))
    assert f.row.reply_due == D(2026, 9, 29)
    row = f("extend", D(2026, 9, 20), days=20, approver="王主任")
    assert (row.reply_due, row.extension_days) == (D(2026, 11, 2), 20)


# --- transitions -----------------------------------------------------------------------------
def test_every_event_of_design_section_3_is_a_trigger_of_the_shared_machine() -> None:
    assert {name for name, _, _ in TRANSITIONS} == set(ev.EVENTS)
    assert set(MACHINE.events) == set(ev.EVENTS)


@pytest.mark.parametrize(
    ("state", "allowed"),
    [
        (NEW, ["register", "receive"]),
        ("registered", ["confirm_receipt", "withdraw"]),
        (
            "received",
            ["request_correction", "consult", "extend", "notify_fee", "defer", "answer", "withdraw"],
        ),
        ("awaiting_correction", ["receive_correction", "lapse_correction", "withdraw"]),
        ("consulting", ["receive_opinion", "lapse_consultation", "answer", "withdraw"]),
        ("awaiting_fee", ["receive_payment", "lapse_fee", "withdraw"]),
        ("answered", []),
    ],
)
def test_each_state_allows_exactly_the_events_of_its_row(state: str, allowed: list[str]) -> None:
    assert allowed_events(state) == allowed


def test_a_registered_application_starts_its_clock_on_confirmation() -> None:
    f = Flow()
    row = f("register", D(2026, 9, 25))
    assert (row.state, row.reply_due, row.received_on) == ("registered", None, None)
    row = f("confirm_receipt", D(2026, 9, 28))
    assert (row.state, row.received_on, row.reply_due) == ("received", D(2026, 9, 28), D(2026, 10, 30))


def test_a_fee_notice_pauses_the_clock_until_payment() -> None:
    f = received(D(2026, 4, 1))
    row = f("notify_fee", D(2026, 4, 8), amount="200")
    assert (row.state, row.fee_due) == ("awaiting_fee", D(2026, 5, 9))  # Sat 9 May is a working day
    row = f("receive_payment", D(2026, 4, 20))
    assert (row.state, row.reply_due, row.fee_due) == ("received", D(2026, 5, 14), None)


def test_an_unpaid_fee_lapses_into_other_fee_unpaid_after_its_period() -> None:
    f = received(D(2026, 4, 1))
    f("notify_fee", D(2026, 4, 8), amount="1100")
    row = f("lapse_fee", D(2026, 5, 11))
    assert (row.state, row.outcome, row.concluded_on, row.fee_due) == (
        "answered",
        "other_fee_unpaid",
        D(2026, 5, 11),
        None,
    )


def test_no_correction_within_the_period_lapses_into_other_no_correction() -> None:
    f = received(D(2026, 4, 1))
    f("request_correction", D(2026, 4, 3), until=D(2026, 4, 17))
    row = f("lapse_correction", D(2026, 4, 20))
    assert (row.outcome, row.concluded_on, row.correction_until) == (
        "other_no_correction",
        D(2026, 4, 20),
        None,
    )


def test_a_correction_period_defaults_to_the_configured_working_days() -> None:
    f = received(D(2026, 4, 1))
    row = f("request_correction", D(2026, 4, 3))
    assert row.correction_until == CAL.add_workdays(D(2026, 4, 3), 15)


def test_a_correction_notice_after_seven_working_days_is_allowed_but_recorded_late() -> None:
    f = received(D(2026, 3, 2))
    row = f("request_correction", D(2026, 3, 12), days=10)
    assert row.late_correction_notice and row.correction_notice_due is None
    assert not received(D(2026, 3, 2))("request_correction", D(2026, 3, 11), days=10).late_correction_notice


def test_a_deferral_sets_a_later_reply_date() -> None:
    f = received(D(2026, 4, 1))
    assert f("defer", D(2026, 4, 2), until=D(2026, 6, 1), reason="申请数量明显超过合理范围").reply_due == D(
        2026, 6, 1
    )


def test_an_answer_after_the_deadline_is_late_and_on_it_is_not() -> None:
    assert not received(D(2026, 4, 1))("answer", D(2026, 4, 30), outcome="disclosed").late
    assert received(D(2026, 4, 1))("answer", D(2026, 5, 6), outcome="disclosed").late


def test_an_answer_during_a_consultation_ends_the_pause_first() -> None:
    f = received(D(2026, 4, 1))
    f("consult", D(2026, 4, 8), party="third_party")
    row = f("answer", D(2026, 5, 6), outcome="partially_disclosed")  # 17 WD paused so far
    assert (row.late, row.paused_workdays, row.reply_due, row.consultation_due) == (
        False,
        17,
        D(2026, 5, 27),
        None,
    )


def test_a_withdrawal_concludes_any_open_case_with_outcome_other() -> None:
    f = received(D(2026, 4, 1))
    f("consult", D(2026, 4, 8), party="third_party")
    row = f("withdraw", D(2026, 4, 9))
    assert (row.state, row.outcome, row.consultation_due) == ("answered", "other", None)


# --- guards ----------------------------------------------------------------------------------
def refused(f: Flow, event: str, on: dt.date | None, match: str, **params: Any) -> None:
    before = f.row.values()
    with pytest.raises((RuleViolation, InvalidInput), match=match):
        f(event, on, **params)
    assert f.row.values() == before, "a refused event changed the case"


def test_an_extension_is_at_most_twenty_working_days() -> None:
    refused(received(D(2026, 4, 1)), "extend", D(2026, 4, 2), "at most 20", days=21, approver="王")
    refused(received(D(2026, 4, 1)), "extend", D(2026, 4, 2), "at most 20", days=0, approver="王")


def test_only_one_extension_per_reply_period() -> None:
    f = received(D(2026, 4, 1))
    f("extend", D(2026, 4, 2), days=5, approver="王")
    refused(f, "extend", D(2026, 4, 3), "already extended", days=5, approver="王")


def test_a_new_reply_period_after_correction_allows_a_new_extension() -> None:
    f = received(D(2026, 4, 1))
    f("extend", D(2026, 4, 2), days=5, approver="王")
    f("request_correction", D(2026, 4, 3), days=5)
    f("receive_correction", D(2026, 4, 7))
    assert f("extend", D(2026, 4, 8), days=5, approver="王").extension_days == 5


def test_an_extension_must_be_decided_before_the_deadline_passes() -> None:
    f = received(D(2026, 4, 1))
    assert f.row.reply_due == D(2026, 4, 30)
    refused(f, "extend", D(2026, 5, 6), "already passed", days=5, approver="王")


def test_a_correction_cannot_lapse_before_its_period_ends() -> None:
    f = received(D(2026, 4, 1))
    f("request_correction", D(2026, 4, 3), until=D(2026, 4, 17))
    refused(f, "lapse_correction", D(2026, 4, 17), "runs until 2026-04-17")


def test_a_fee_cannot_lapse_before_its_period_ends() -> None:
    f = received(D(2026, 4, 1))
    f("notify_fee", D(2026, 4, 8), amount="100")
    refused(f, "lapse_fee", D(2026, 5, 9), "runs until 2026-05-09")


def test_a_correction_nobody_asked_for_cannot_be_received() -> None:
    refused(
        received(D(2026, 4, 1)), "receive_correction", D(2026, 4, 3), "not allowed while the case is received"
    )


def test_an_opinion_is_received_only_while_consulting() -> None:
    refused(
        received(D(2026, 4, 1)), "receive_opinion", D(2026, 4, 3), "not allowed while the case is received"
    )


def test_an_opinion_after_the_consultation_period_must_be_recorded_as_a_lapse() -> None:
    f = received(D(2026, 4, 1))
    f("consult", D(2026, 4, 8), party="third_party")
    refused(f, "receive_opinion", D(2026, 4, 30), "ended on 2026-04-29")


def test_a_consultation_lapses_only_on_its_due_date() -> None:
    f = received(D(2026, 4, 1))
    f("consult", D(2026, 4, 8), party="third_party")
    refused(f, "lapse_consultation", D(2026, 4, 28), "due date 2026-04-29")


def test_unable_still_unclear_needs_a_completed_correction_round() -> None:
    refused(
        received(D(2026, 4, 1)),
        "answer",
        D(2026, 4, 3),
        "completed correction",
        outcome="unable_still_unclear",
    )
    f = received(D(2026, 4, 1))
    f("request_correction", D(2026, 4, 3), days=5)
    f("receive_correction", D(2026, 4, 7))
    assert f("answer", D(2026, 4, 9), outcome="unable_still_unclear").outcome == "unable_still_unclear"


@pytest.mark.parametrize("outcome", ["other_no_correction", "other_fee_unpaid"])
def test_lapse_outcomes_cannot_be_given_by_an_answer(outcome: str) -> None:
    refused(received(D(2026, 4, 1)), "answer", D(2026, 4, 3), "only from a lapse", outcome=outcome)


def test_an_unknown_outcome_is_refused() -> None:
    refused(received(D(2026, 4, 1)), "answer", D(2026, 4, 3), "unknown value 'approved'", outcome="approved")


def test_an_answered_case_takes_no_more_events() -> None:
    f = received(D(2026, 4, 1))
    f("answer", D(2026, 4, 3), outcome="disclosed")
    refused(f, "answer", D(2026, 4, 6), "already answered", outcome="disclosed")
    refused(f, "withdraw", D(2026, 4, 6), "already answered")


def test_an_event_may_not_precede_the_previous_one() -> None:
    f = received(D(2026, 4, 1))
    f("consult", D(2026, 4, 10), party="third_party")
    refused(f, "receive_opinion", D(2026, 4, 9), "precedes")
    refused(received(D(2026, 4, 1)), "answer", D(2026, 3, 31), "precedes", outcome="disclosed")


def test_an_event_may_not_lie_in_the_future() -> None:
    refused(
        received(D(2026, 4, 1)), "answer", TODAY + dt.timedelta(days=1), "in the future", outcome="disclosed"
    )


def test_a_deferral_must_be_later_than_the_current_due_date() -> None:
    refused(
        received(D(2026, 4, 1)), "defer", D(2026, 4, 2), "must be later", until=D(2026, 4, 30), reason="x"
    )


def test_an_impossible_date_is_refused_as_input() -> None:
    with pytest.raises(InvalidInput, match="not a valid date"):
        ev.parse_params("answer", {"on": "2025-02-30", "outcome": "disclosed"})


def test_an_unknown_event_is_refused_as_input() -> None:
    with pytest.raises(InvalidInput, match="unknown event 'approve'"):
        ev.parse_params("approve", {})


def test_the_consultation_party_is_a_third_party_or_an_organ() -> None:
    refused(received(D(2026, 4, 1)), "consult", D(2026, 4, 2), "unknown value 'court'", party="court")


def test_the_machine_never_resets_a_loaded_rows_state() -> None:
    row = Case(
        ref="L", organ_id=1, applicant_type="natural_person", applicant="甲", channel="online",
        state="awaiting_fee", received_on=D(2026, 4, 1), reply_due=D(2026, 4, 30),
        paused_from=D(2026, 4, 8), fee_due=D(2026, 5, 8), last_event_on=D(2026, 4, 8),
    )  # fmt: skip
    record = CaseRecord.of(row)
    flow = CaseFlow(record, calendar=CAL)
    assert flow.state == record.state == "awaiting_fee"
    flow.fire("receive_payment", ev.Params(on=D(2026, 4, 20)), today=TODAY)
    assert record.state == "received" and record.reply_due == D(2026, 5, 14)
    assert row.state == "awaiting_fee"  # the stored row changes only when the service writes it
