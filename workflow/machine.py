"""The case state machine (DESIGN §3) and the deadline arithmetic it applies (DESIGN §4).

One `transitions` machine is shared by every case. It is never given models: each event is
dispatched to a `CaseFlow`, a plain wrapper around a `CaseRecord` (a plain copy of what the
history decides about one stored row), so the machine can never reset a loaded row's state.
Guards raise `RuleViolation` with the reason; effects set dates. The record is a slotted
dataclass rather than the SQLModel row because every attribute write on a mapped row costs
validation and instrumentation, which dominated the cost of importing large histories.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, make_dataclass
from typing import TYPE_CHECKING, Any

from transitions import Machine

from codes import LAPSE_OUTCOMES, OPEN_STATES, PAUSED_STATES, Outcome, State
from codes.labels import Coded, CodeList
from models.cases import CaseState
from workflow import events as ev
from workflow.calendar import WorkCalendar
from workflow.errors import RuleViolation

NEW = "new"  # a case before its first event
REPLY_WORKDAYS = 20  # Art. 33
EXTENSION_MAX_WORKDAYS = 20  # Art. 33
CORRECTION_NOTICE_WORKDAYS = 7  # Art. 30
CONSULTATION_WORKDAYS = 15  # Art. 32, 34

# (event, source(s), destination); destination None = internal (the state does not change)
TRANSITIONS: list[tuple[str, str | list[str], str | None]] = [
    ("register", NEW, State.registered),
    ("receive", NEW, State.received),
    ("confirm_receipt", State.registered, State.received),
    ("request_correction", State.received, State.awaiting_correction),
    ("receive_correction", State.awaiting_correction, State.received),
    ("lapse_correction", State.awaiting_correction, State.answered),
    ("consult", State.received, State.consulting),
    ("receive_opinion", State.consulting, State.received),
    ("lapse_consultation", State.consulting, State.received),
    ("extend", State.received, None),
    ("notify_fee", State.received, State.awaiting_fee),
    ("receive_payment", State.awaiting_fee, State.received),
    ("lapse_fee", State.awaiting_fee, State.answered),
    ("defer", State.received, None),
    ("answer", [State.received, State.consulting], State.answered),
    ("withdraw", list(OPEN_STATES), State.answered),
]

MACHINE = Machine(
    model=None,
    states=[NEW, *(s.value for s in State)],
    transitions=[
        {"trigger": name, "source": src, "dest": dst, "conditions": f"check_{name}", "after": f"apply_{name}"}
        for name, src, dst in TRANSITIONS
    ],
    initial=None,
    auto_transitions=False,
)


def allowed_events(state: str) -> list[str]:
    """The events the machine accepts from a state, in the order of DESIGN §3."""
    return [name for name in ev.EVENTS if state in MACHINE.events[name].transitions]


RECORD_FIELDS: tuple[str, ...] = tuple(CaseState.model_fields)


def _record_of(cls: type[Any], row: Any) -> Any:
    """A copy of a stored row's derived columns."""
    return cls(*(getattr(row, name) for name in RECORD_FIELDS))


def _record_values(self: Any) -> dict[str, Any]:
    return {name: getattr(self, name) for name in RECORD_FIELDS}


if TYPE_CHECKING:  # mypy sees the model's fields and types

    class CaseRecord(CaseState):
        """Everything the history decides about a case (models.cases.CaseState)."""

        @classmethod
        def of(cls, row: Any) -> CaseRecord: ...
        def values(self) -> dict[str, Any]: ...

else:  # at run time a slots dataclass of the same fields: the flow sets them on every event, and
    # a validated pydantic model costs about twenty times as much per set/get
    CaseRecord = make_dataclass(
        "CaseRecord",
        [(name, f.annotation, field(default=f.default)) for name, f in CaseState.model_fields.items()],
        slots=True,
        namespace={"of": classmethod(_record_of), "values": _record_values},
    )


# the dates of the reply clock: the reply (Art. 33) and the 7-WD correction notice (Art. 30)
CLOCK_DATES: tuple[str, ...] = ("reply_due", "correction_notice_due")


def clock_stopped(state: str) -> bool:
    """The reply clock does not run: the case waits for a correction (the clock starts again when
    it comes), a consultation or a fee (paused; DESIGN §2). Its CLOCK_DATES are then not live."""
    return state in (State.awaiting_correction, *PAUSED_STATES)


def is_overdue(row: Any, today: dt.date) -> bool:
    """The reply is overdue: the clock is running (not paused, not restarted) and its day has passed.
    The SQL form is case_json.CaseFilter.where and sweep.window; keep them in step."""
    return bool(row.state == State.received and row.reply_due is not None and row.reply_due < today)


@dataclass(frozen=True)
class Policy:
    """The configurable periods; each event stores the value it used, so replay never depends on it."""

    correction_days: int = 15
    fee_days: int = 20


class CaseFlow:
    """The rules and effects of every event, over one case's record, which the machine drives."""

    def __init__(self, row: CaseRecord, *, calendar: WorkCalendar, policy: Policy = Policy()) -> None:
        self.row = row
        self.cal = calendar
        self.policy = policy

    # `transitions` reads and writes the model's `state`
    @property
    def state(self) -> str:
        return self.row.state

    @state.setter
    def state(self, value: str) -> None:
        self.row.state = value

    # --- dispatch ----------------------------------------------------------------------------
    def resolve(self, event: str, params: ev.Params, today: dt.date) -> ev.Params:
        """Fill what the caller left to the rules: the date, and the periods from the policy."""
        fill: dict[str, Any] = {}
        if params.on is None:
            fill["on"] = self.row.consultation_due if event == "lapse_consultation" else today
        if isinstance(params, ev.RequestCorrection) and params.until is None and params.days is None:
            fill["days"] = self.policy.correction_days
        if isinstance(params, ev.NotifyFee) and params.days is None:
            fill["days"] = self.policy.fee_days
        return params.model_copy(update=fill) if fill else params

    def fire(self, event: str, params: ev.Params, *, today: dt.date | None = None) -> ev.Params:
        """Apply one event (parameters already resolved); raises RuleViolation and changes nothing
        the caller keeps when it is not allowed. `today` None (replay) skips the future-date rule."""
        transitions = MACHINE.events[event].transitions
        if self.state not in transitions:
            raise self._not_now(event)
        on = params.on
        assert on is not None, "resolve() gives every event a date"
        if today is not None and on > today:
            raise RuleViolation(
                "{event} dated {on} is in the future (today is {today})",
                event=Coded("event", event),
                on=on,
                today=today,
            )
        last = self.row.last_event_on
        if last is not None and on < last:
            raise RuleViolation(
                "{event} dated {on} precedes the case's previous event, dated {last}",
                event=Coded("event", event),
                on=on,
                last=last,
            )
        MACHINE.events[event].trigger(self, params)
        self.row.last_event_on = on
        self._update_provisional(on)
        return params

    def keep_as_recorded(self, event: str, params: ev.Params) -> None:
        """Apply a recorded event without its date rules (the guards and the order of dates).

        For a fact decided on the calendar in force when it was recorded (a provisional deadline)
        that the official calendar would now refuse: what happened stays, its effects are computed
        on the current calendar, and the recompute flags the case for a supervisor."""
        transitions = MACHINE.events[event].transitions
        if self.state not in transitions:
            raise self._not_now(event)
        on = params.on
        assert on is not None
        dest = transitions[self.state][0].dest
        if dest is not None:
            self.state = dest
        getattr(self, f"apply_{event}")(params)
        self.row.last_event_on = max(on, self.row.last_event_on or on)
        self._update_provisional(on)

    def _not_now(self, event: str) -> RuleViolation:
        what = Coded("event", event)
        if self.state == NEW:
            return RuleViolation(
                "{event} needs an existing case; a case starts with register or receive", event=what
            )
        if self.state == State.answered:
            r = self.row
            return RuleViolation(
                "{event} is not allowed: the case is already answered ({outcome}, {on})",
                event=what,
                outcome=Coded("outcome", r.outcome or ""),
                on=r.concluded_on,
            )
        return RuleViolation(
            "{event} is not allowed while the case is {state} (allowed now: {allowed})",
            event=what,
            state=Coded("state", self.state),
            allowed=CodeList("event", tuple(allowed_events(self.state))),
        )

    # --- shared effects ----------------------------------------------------------------------
    def _start_clock(self, on: dt.date) -> None:
        r = self.row
        r.clock_start = on
        r.reply_due = self.cal.add_workdays(on, REPLY_WORKDAYS)
        r.extension_days = 0
        r.paused_workdays = 0

    def _pause(self, on: dt.date) -> None:
        self.row.paused_from = on

    def _resume(self, on: dt.date) -> None:
        """End a pause: the paused working days are not counted in the reply period (Art. 33)."""
        r = self.row
        assert r.paused_from is not None and r.reply_due is not None
        n = self.cal.workdays_between(r.paused_from, on)
        r.reply_due = self.cal.add_workdays(r.reply_due, n)
        r.paused_workdays += n
        r.paused_from = r.consultation_due = r.fee_due = None

    def _conclude(self, on: dt.date, outcome: str) -> None:
        r = self.row
        r.outcome, r.concluded_on = outcome, on
        r.paused_from = r.correction_notice_due = r.correction_until = r.consultation_due = r.fee_due = None

    def _update_provisional(self, on: dt.date) -> None:
        # the reply deadline counts after the answer too: the `late` verdict was judged against it
        r = self.row
        live = [r.reply_due, r.correction_notice_due, r.correction_until, r.consultation_due, r.fee_due]
        r.provisional = any(self.cal.provisional(min(on, d), max(on, d)) for d in live if d is not None)

    # --- register / receive ------------------------------------------------------------------
    def check_register(self, p: ev.Params) -> bool:
        return True

    def apply_register(self, p: ev.Params) -> None:
        self.row.submitted_on = p.on

    def check_receive(self, p: ev.Params) -> bool:
        return True

    def apply_receive(self, p: ev.Params) -> None:
        assert p.on is not None
        self.row.received_on = p.on
        self._start_clock(p.on)
        self.row.correction_notice_due = self.cal.add_workdays(p.on, CORRECTION_NOTICE_WORKDAYS)

    check_confirm_receipt = check_receive
    apply_confirm_receipt = apply_receive

    # --- correction (Art. 30) ----------------------------------------------------------------
    def check_request_correction(self, p: ev.RequestCorrection) -> bool:
        if p.until is not None and p.days is not None:
            raise RuleViolation("request_correction takes until or days, not both")
        if p.days is not None and p.days < 1:
            raise RuleViolation(
                "request_correction: the correction period must be at least 1 working day, got {days}",
                days=p.days,
            )
        if p.until is not None and p.on is not None and p.until <= p.on:
            raise RuleViolation(
                "request_correction: the correction period must end after {on}, got {until}",
                on=p.on,
                until=p.until,
            )
        return True

    def apply_request_correction(self, p: ev.RequestCorrection) -> None:
        r, on = self.row, p.on
        assert on is not None
        r.correction_until = p.until or self.cal.add_workdays(on, p.days or self.policy.correction_days)
        # allowed after the 7-WD limit, but recorded (DESIGN §3)
        r.late_correction_notice = r.correction_notice_due is not None and on > r.correction_notice_due
        r.correction_notice_due = None

    def check_receive_correction(self, p: ev.Params) -> bool:
        return True

    def apply_receive_correction(self, p: ev.Params) -> None:
        assert p.on is not None
        # the reply period restarts from the corrected application (Art. 30)
        self._start_clock(p.on)
        self.row.corrected = True
        self.row.correction_until = None

    def check_lapse_correction(self, p: ev.Params) -> bool:
        until = self.row.correction_until
        assert until is not None and p.on is not None
        if p.on <= until:
            raise RuleViolation(
                "lapse_correction dated {on}: the correction period runs until {until}", on=p.on, until=until
            )
        return True

    def apply_lapse_correction(self, p: ev.Params) -> None:
        assert p.on is not None
        self._conclude(p.on, Outcome.other_no_correction)

    # --- consultation (Art. 32–34) -----------------------------------------------------------
    def check_consult(self, p: ev.Consult) -> bool:
        return True

    def apply_consult(self, p: ev.Consult) -> None:
        assert p.on is not None
        self._pause(p.on)
        self.row.consultation_due = self.cal.add_workdays(p.on, CONSULTATION_WORKDAYS)

    def check_receive_opinion(self, p: ev.Params) -> bool:
        due = self.row.consultation_due
        assert due is not None and p.on is not None
        if p.on > due:
            raise RuleViolation(
                "receive_opinion dated {on}: the consultation period ended on {due}; record "
                "lapse_consultation",
                on=p.on,
                due=due,
            )
        return True

    def apply_receive_opinion(self, p: ev.Params) -> None:
        assert p.on is not None
        self._resume(p.on)

    def check_lapse_consultation(self, p: ev.Params) -> bool:
        due = self.row.consultation_due
        if p.on != due:
            raise RuleViolation(
                "lapse_consultation is dated on the consultation's due date {due}, not {on}", due=due, on=p.on
            )
        return True

    apply_lapse_consultation = apply_receive_opinion

    # --- extension and deferral (Art. 33, 35) ------------------------------------------------
    def check_extend(self, p: ev.Extend) -> bool:
        r = self.row
        assert p.on is not None and r.reply_due is not None
        if not 1 <= p.days <= EXTENSION_MAX_WORKDAYS:
            raise RuleViolation(
                "extend: at most {EXTENSION_MAX_WORKDAYS} working days (Art. 33), got {days}",
                EXTENSION_MAX_WORKDAYS=EXTENSION_MAX_WORKDAYS,
                days=p.days,
            )
        if r.extension_days:
            raise RuleViolation(
                "extend: the reply period was already extended by {extension_days} working days",
                extension_days=r.extension_days,
            )
        if p.on > r.reply_due:
            raise RuleViolation(
                "extend dated {on}: the reply deadline {reply_due} has already passed",
                on=p.on,
                reply_due=r.reply_due,
            )
        return True

    def apply_extend(self, p: ev.Extend) -> None:
        r = self.row
        assert r.reply_due is not None
        r.reply_due = self.cal.add_workdays(r.reply_due, p.days)
        r.extension_days = p.days

    def check_defer(self, p: ev.Defer) -> bool:
        due = self.row.reply_due
        assert due is not None
        if p.until <= due:
            raise RuleViolation(
                "defer: the new reply date {until} must be later than the current one, {due}",
                until=p.until,
                due=due,
            )
        return True

    def apply_defer(self, p: ev.Defer) -> None:
        self.row.reply_due = p.until

    # --- fees (Art. 42) ----------------------------------------------------------------------
    def check_notify_fee(self, p: ev.NotifyFee) -> bool:
        if p.days is not None and p.days < 1:
            raise RuleViolation(
                "notify_fee: the payment period must be at least 1 working day, got {days}", days=p.days
            )
        if p.amount is None:
            raise RuleViolation("notify_fee: give the method (count, or pages with the pages), or the amount")
        if p.amount <= 0:
            raise RuleViolation("notify_fee: the fee is 0 yuan (within the free applications or pages)")
        return True

    def apply_notify_fee(self, p: ev.NotifyFee) -> None:
        assert p.on is not None
        self._pause(p.on)
        self.row.fee_due = self.cal.add_workdays(p.on, p.days or self.policy.fee_days)

    def check_receive_payment(self, p: ev.Params) -> bool:
        due = self.row.fee_due
        assert due is not None and p.on is not None
        if p.on > due:
            raise RuleViolation(
                "receive_payment dated {on}: the payment period ended on {due}", on=p.on, due=due
            )
        return True

    apply_receive_payment = apply_receive_opinion

    def check_lapse_fee(self, p: ev.Params) -> bool:
        due = self.row.fee_due
        assert due is not None and p.on is not None
        if p.on <= due:
            raise RuleViolation("lapse_fee dated {on}: the payment period runs until {due}", on=p.on, due=due)
        return True

    def apply_lapse_fee(self, p: ev.Params) -> None:
        assert p.on is not None
        self._conclude(p.on, Outcome.other_fee_unpaid)

    # --- conclusion (Art. 36) ----------------------------------------------------------------
    def check_answer(self, p: ev.Answer) -> bool:
        if p.outcome in LAPSE_OUTCOMES:
            raise RuleViolation(
                "answer: outcome {outcome} comes only from a lapse, not from an answer",
                outcome=Coded("outcome", p.outcome),
            )
        if p.outcome == Outcome.unable_still_unclear and not self.row.corrected:
            raise RuleViolation("answer: unable_still_unclear needs a completed correction round")
        return True

    def apply_answer(self, p: ev.Answer) -> None:
        r, on = self.row, p.on
        assert on is not None and r.reply_due is not None
        if r.paused_from is not None:  # answered while consulting: the pause ends today
            self._resume(on)
        r.late = on > r.reply_due
        self._conclude(on, p.outcome)

    def check_withdraw(self, p: ev.Params) -> bool:
        return True

    def apply_withdraw(self, p: ev.Params) -> None:
        assert p.on is not None
        self._conclude(p.on, Outcome.other)
