"""The event forms of the case page: which events a user may record now, with which fields, and how
a submitted form becomes the raw parameters `workflow.service.advance` validates."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from admin.labels import PARAM_LABELS, PARTY_LABELS
from config.settings import get_settings
from models.cases import Case
from workflow.codes import EVENT_LABELS, LAPSE_OUTCOMES, OUTCOME_GROUPS, OUTCOME_SHORT_LABELS, Outcome
from workflow.errors import InvalidInput
from workflow.machine import EXTENSION_MAX_WORKDAYS, allowed_events

# In the browser an approval is given by the logged-in supervisor, not merely named by a caseworker
# (the CLI, which has no login, records the approver as given).
SUPERVISOR_EVENTS: frozenset[str] = frozenset({"extend", "defer"})

Choices = tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class FormField:
    name: str
    kind: str  # date | int | money | text | textarea | select | outcome
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
            "days", "int", hint=f"默认 {s.correction_days} 个工作日；或填写截止日期", low=1, high=60
        )
        return EventForm(event, (on, days, FormField("until", "date")), note="一次性告知需要补正的全部内容")
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
        default = me_name if any(v == me_name for v, _ in supervisors) else ""
        days = FormField("days", "int", required=True, low=1, high=EXTENSION_MAX_WORKDAYS)
        approver = FormField("approver", "select", required=True, default=default, choices=supervisors)
        return EventForm(event, (on, days, approver), note="延长答复期限最长不超过 20 个工作日，须告知申请人")
    if event == "notify_fee":
        amount = FormField("amount", "money", required=True)
        days = FormField("days", "int", hint=f"缴费期限，默认 {s.fee_days} 个工作日", low=1, high=60)
        return EventForm(event, (on, amount, days))
    if event == "defer":
        until = FormField("until", "date", required=True)
        return EventForm(event, (on, until, FormField("reason", "textarea", required=True)))
    if event == "answer":
        outcome = FormField("outcome", "outcome", required=True)
        return EventForm(event, (on, outcome), groups=outcome_groups(row))
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


def raw_params(form: EventForm, data: Mapping[str, Any]) -> dict[str, Any]:
    """The submitted values of the form's fields (blank ones left to the rules' defaults)."""
    raw: dict[str, Any] = {}
    for f in form.fields:
        value = str(data.get(f.name) or "").strip()
        if not value:
            continue
        if f.kind == "int":
            try:
                raw[f.name] = int(value)
            except ValueError:
                raise InvalidInput(
                    f"{form.event}: {f.name} ({f.label}) must be a whole number, got {value!r}"
                ) from None
        else:
            raw[f.name] = value
    return raw
