"""The event forms of the case page: which events a user may record now, with which fields, and how
a submitted form becomes the raw parameters `workflow.service.advance` validates."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from admin.labels import PARAM_LABELS, PARTY_LABELS
from codes import EVENT_LABELS, LAPSE_OUTCOMES, OUTCOME_GROUPS, OUTCOME_SHORT_LABELS, Outcome
from config.settings import get_settings
from models.cases import Case
from workflow.calendar import add_workdays
from workflow.errors import InvalidInput
from workflow.events import parse_iso_date
from workflow.machine import EXTENSION_MAX_WORKDAYS, allowed_events

# In the browser an approval is given by the logged-in supervisor, not merely named by a caseworker
# (the CLI, which has no login, records the approver as given).
SUPERVISOR_EVENTS: frozenset[str] = frozenset({"extend", "defer"})

# What a form accepts, checked on the server whatever the browser sent (DESIGN §3 and the forms'
# own promises). Dates: nothing before the calendar this product keeps, nothing beyond a year ahead
# (a deadline, a deferral); a correction period of at most 60 working days, given as days or a date.
EARLIEST_DATE = dt.date(1990, 1, 1)
DAYS_AHEAD = 366
CORRECTION_MAX_WORKDAYS = 60
TEXT_LIMIT = {"text": 200, "textarea": 4000, "lines": 4000, "money": 20}

Choices = tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class FormField:
    name: str
    kind: str  # date | int | money | text | textarea | lines | select | outcome
    required: bool = False
    default: str = ""
    hint: str = ""
    choices: Choices = ()
    low: int | None = None
    high: int | None = None

    @property
    def label(self) -> str:
        return PARAM_LABELS[self.name]


@dataclass(frozen=True)
class EventForm:
    event: str
    fields: tuple[FormField, ...]
    note: str = ""
    groups: tuple[tuple[str, Choices], ...] = field(default=())  # outcome options, grouped

    @property
    def label(self) -> str:
        return EVENT_LABELS[self.event]


def outcome_groups(row: Case) -> tuple[tuple[str, Choices], ...]:
    """The outcomes `answer` may give, grouped as in section 三 (lapse outcomes come only from lapses)."""

    def allowed(o: str) -> bool:
        return o not in LAPSE_OUTCOMES and (o != Outcome.unable_still_unclear or row.corrected)

    groups: list[tuple[str, Choices]] = [
        ("", tuple((o, OUTCOME_SHORT_LABELS[o]) for o in ("disclosed", "partially_disclosed")))
    ]
    for title, members in OUTCOME_GROUPS.values():
        groups.append((title, tuple((o, OUTCOME_SHORT_LABELS[o]) for o in members if allowed(o))))
    return tuple(g for g in groups if g[1])


def event_form(event: str, row: Case, today: dt.date, supervisors: Choices, me_name: str) -> EventForm:
    s = get_settings()
    on = FormField("on", "date", required=True, default=today.isoformat())
    if event == "request_correction":
        days = FormField(
            "days", "int", hint=f"默认 {s.correction_days} 个工作日；或填写截止日期", low=1,
            high=CORRECTION_MAX_WORKDAYS,
        )  # fmt: skip
        items = FormField("items", "lines", required=True)
        return EventForm(
            event, (on, days, FormField("until", "date"), items), note="一次性告知需要补正的全部内容"
        )
    if event == "lapse_correction":
        return EventForm(
            event, (on,), note=f"补正期限 {row.correction_until} 已届满；无正当理由逾期不补正的，视为放弃申请"
        )
    if event == "consult":
        party = FormField("party", "select", required=True, choices=tuple(PARTY_LABELS.items()))
        return EventForm(event, (on, party), note="征求意见期间不计入答复期限（15 个工作日）")
    if event == "lapse_consultation":
        return EventForm(
            event, (), note=f"日期为征求意见期限 {row.consultation_due}；逾期未提出意见的，由本机关依法决定"
        )
    if event == "extend":
        # the logged-in supervisor approves; the form offers nobody else (and the server accepts nobody else)
        mine = tuple((v, label) for v, label in supervisors if v == me_name)
        days = FormField("days", "int", required=True, low=1, high=EXTENSION_MAX_WORKDAYS)
        approver = FormField("approver", "select", required=True, default=me_name, choices=mine)
        return EventForm(event, (on, days, approver), note="延长答复期限最长不超过 20 个工作日，须告知申请人")
    if event == "notify_fee":
        amount = FormField("amount", "money", required=True)
        days = FormField(
            "days", "int", hint=f"缴费期限，默认 {s.fee_days} 个工作日", low=1, high=CORRECTION_MAX_WORKDAYS
        )
        return EventForm(event, (on, amount, days))
    if event == "defer":
        until = FormField("until", "date", required=True)
        return EventForm(event, (on, until, FormField("reason", "textarea", required=True)))
    if event == "answer":
        outcome = FormField("outcome", "outcome", required=True)
        texts = tuple(FormField(name, "textarea") for name in ("reasons", "basis", "provided", "refer_to"))
        return EventForm(
            event,
            (on, outcome, *texts),
            groups=outcome_groups(row),
            note="答复书按办理结果载明理由、依据等内容",
        )
    return EventForm(event, (on,))


def not_yet(event: str, row: Case, today: dt.date) -> str | None:
    """Why an event the state allows cannot be recorded today (the rules would refuse it), or None."""
    if event == "lapse_correction" and row.correction_until and today <= row.correction_until:
        return f"补正期限 {row.correction_until} 届满后，方可记录逾期未补正"
    if event == "lapse_fee" and row.fee_due and today <= row.fee_due:
        return f"缴费期限 {row.fee_due} 届满后，方可记录逾期未缴费"
    if event == "lapse_consultation" and row.consultation_due and today < row.consultation_due:
        return f"征求意见期限 {row.consultation_due} 届满时，方可记录征求意见期满"
    if event == "extend" and row.extension_days:
        return f"答复期限已延长 {row.extension_days} 个工作日，不能再次延长"
    return None


def forms_for(
    row: Case, *, today: dt.date, supervisors: Choices, me_name: str, is_supervisor: bool
) -> tuple[list[EventForm], list[str]]:
    """The forms for the events that can be recorded now, and a note for each one held back."""
    forms, notes, for_head = [], [], []
    for event in allowed_events(row.state):
        reason = not_yet(event, row, today)
        if reason:
            notes.append(reason)
        elif event in SUPERVISOR_EVENTS and not is_supervisor:
            for_head.append(EVENT_LABELS[event])
        else:
            forms.append(event_form(event, row, today, supervisors, me_name))
    if for_head:
        notes.append(f"{'、'.join(for_head)}须由本机关负责人办理")
    return forms, notes


def bounded_date(value: str, name: str, today: dt.date) -> dt.date:
    """A form's date: YYYY-MM-DD within the range any form accepts."""
    try:
        day = parse_iso_date(value)
    except ValueError as e:
        raise InvalidInput(f"{name}: {e}") from None
    latest = today + dt.timedelta(days=DAYS_AHEAD)
    if not EARLIEST_DATE <= day <= latest:
        raise InvalidInput(f"{name}: {day} is outside {EARLIEST_DATE}–{latest}")
    return day


def bounded_int(value: str, name: str, low: int | None, high: int | None) -> int:
    """A whole number within bounds. Longer than 12 digits it is beyond every bound here, and is
    refused before Python parses it (a number of thousands of digits costs time)."""
    try:
        n = int(value) if len(value) <= 12 else None
    except ValueError:
        n = None
    if n is None:
        if value.lstrip("+-").isdigit():
            raise InvalidInput(f"{name}: {value[:20]}… is outside {low}–{high}")
        raise InvalidInput(f"{name} must be a whole number, got {value[:20]!r}")
    if (low is not None and n < low) or (high is not None and n > high):
        raise InvalidInput(f"{name}: {n} is outside {low}–{high}")
    return n


def raw_params(form: EventForm, data: Mapping[str, Any], today: dt.date) -> dict[str, Any]:
    """The submitted values of the form's fields, each checked against what the form promises:
    required fields present, numbers and dates within bounds, a choice among the offered ones.
    Blank optional fields are left to the rules' defaults."""
    raw: dict[str, Any] = {}
    for f in form.fields:
        value = str(data.get(f.name) or "").strip()
        name = f"{form.event}: {f.name} ({f.label})"
        if not value:
            if f.required:
                raise InvalidInput(f"{name} is required")
            continue
        if f.kind == "int":
            raw[f.name] = bounded_int(value, name, f.low, f.high)
        elif f.kind == "date":
            raw[f.name] = bounded_date(value, name, today).isoformat()
        elif f.kind == "select" and value not in {v for v, _ in f.choices}:
            raise InvalidInput(f"{name}: {value[:40]!r} is not one of the choices offered")
        elif len(value) > TEXT_LIMIT.get(f.kind, 200):
            raise InvalidInput(f"{name}: longer than {TEXT_LIMIT.get(f.kind, 200)} characters")
        elif f.kind == "lines":  # one entry per line (the correction items)
            raw[f.name] = [line.strip() for line in value.splitlines() if line.strip()]
        else:
            raw[f.name] = value
    if form.event == "request_correction":
        check_correction_period(raw, today)
    return raw


def check_correction_period(raw: dict[str, Any], today: dt.date) -> None:
    """The period given as a date is bounded as the one given in days: at most 60 working days."""
    if "until" not in raw:
        return
    on = dt.date.fromisoformat(raw.get("on") or today.isoformat())
    latest = add_workdays(on, CORRECTION_MAX_WORKDAYS)
    if dt.date.fromisoformat(raw["until"]) > latest:
        raise InvalidInput(
            f"request_correction: until {raw['until']} is more than {CORRECTION_MAX_WORKDAYS} working days "
            f"after {on} (at most {latest})"
        )
