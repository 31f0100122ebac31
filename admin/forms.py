"""The event forms of the case page: which events a user may record now, with which fields, and how
a submitted form becomes the raw parameters `workflow.service.advance` validates."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import partial
from typing import Any

from admin.labels import FEE_METHOD_NAMES, PARTY_LABELS
from codes import LAPSE_OUTCOMES, OUTCOME_GROUPS, Outcome
from codes.labels import FieldName, label
from config.i18n import _, current_language
from config.settings import get_settings
from models.cases import Case
from reports.screen import section3_words
from workflow.calendar import add_workdays
from workflow.errors import InvalidInput, gather, refuse_all
from workflow.events import parse_iso_date
from workflow.fees import MAX_UNITS
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


def fee_methods() -> Choices:
    return tuple((method, _(name)) for method, name in FEE_METHOD_NAMES.items())


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
        return label("param", self.name, current_language())


@dataclass(frozen=True)
class EventForm:
    event: str
    fields: tuple[FormField, ...]
    note: str = ""
    groups: tuple[tuple[str, Choices], ...] = field(default=())  # outcome options, grouped

    @property
    def label(self) -> str:
        return event_label(self.event)


def event_label(event: str) -> str:
    return label("event", event, current_language())


def outcome_groups(row: Case) -> tuple[tuple[str, Choices], ...]:
    """The outcomes `answer` may give, grouped as in section 三 (lapse outcomes come only from lapses)."""

    def allowed(o: str) -> bool:
        return o not in LAPSE_OUTCOMES and (o != Outcome.unable_still_unclear or row.corrected)

    groups: list[tuple[str, Choices]] = [
        (
            "",
            tuple((o, label("outcome", o, current_language())) for o in ("disclosed", "partially_disclosed")),
        )
    ]
    words = section3_words()  # the report's group names, in the reader's language
    for title, members in OUTCOME_GROUPS.values():
        groups.append(
            (
                words.get(title, title),
                tuple((o, label("outcome", o, current_language())) for o in members if allowed(o)),
            )
        )
    return tuple(g for g in groups if g[1])


def event_form(event: str, row: Case, today: dt.date, supervisors: Choices, me_name: str) -> EventForm:
    s = get_settings()
    on = FormField("on", "date", required=True, default=today.isoformat())
    if event == "request_correction":
        days = FormField(
            "days", "int", low=1,
            hint=_("default {days} working days; or give the last day", days=s.correction_days),
            high=CORRECTION_MAX_WORKDAYS,
        )  # fmt: skip
        items = FormField("items", "lines", required=True)
        return EventForm(
            event,
            (on, days, FormField("until", "date"), items),
            note=_("say everything that needs correcting at once"),
        )
    if event == "lapse_correction":
        return EventForm(
            event,
            (on,),
            note=_(
                "the correction period ended on {until}; an applicant who does not correct in time "
                "without good reason is taken to have abandoned the application",
                until=row.correction_until,
            ),
        )
    if event == "consult":
        party = FormField(
            "party",
            "select",
            required=True,
            choices=tuple((p, label("party", p, current_language())) for p in PARTY_LABELS),
        )
        return EventForm(
            event,
            (on, party),
            note=_("the consultation (15 working days) does not count towards the reply period"),
        )
    if event == "lapse_consultation":
        return EventForm(
            event,
            (),
            note=_(
                "dated on the consultation's due date {due}; without an opinion in time, "
                "the organ decides by law",
                due=row.consultation_due,
            ),
        )
    if event == "extend":
        # the logged-in supervisor approves; the form offers nobody else (and the server accepts nobody else)
        mine = tuple((v, label) for v, label in supervisors if v == me_name)
        days = FormField("days", "int", required=True, low=1, high=EXTENSION_MAX_WORKDAYS)
        approver = FormField("approver", "select", required=True, default=me_name, choices=mine)
        return EventForm(
            event,
            (on, days, approver),
            note=_("an extension is at most 20 working days, and the applicant must be told"),
        )
    if event == "notify_fee":
        # the amount is computed from the method (and pages): 国办函〔2020〕109号
        method = FormField("method", "select", required=True, default="pages", choices=fee_methods())
        pages = FormField("pages", "int", hint=_("when charged by quantity"), low=1, high=MAX_UNITS)
        amount = FormField("amount", "money", hint=_("blank: the standard amount (another needs a reason)"))
        reason = FormField("reason", "textarea", hint=_("why the amount differs from the computed one"))
        days = FormField(
            "days",
            "int",
            hint=_("payment period, default {days} working days", days=s.fee_days),
            low=1,
            high=CORRECTION_MAX_WORKDAYS,
        )
        return EventForm(event, (on, method, pages, amount, reason, days))
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
            note=_("the reply states the reasons, the basis and so on, as the outcome requires"),
        )
    return EventForm(event, (on,))


def not_yet(event: str, row: Case, today: dt.date) -> str | None:
    """Why an event the state allows cannot be recorded today (the rules would refuse it), or None."""
    if event == "lapse_correction" and row.correction_until and today <= row.correction_until:
        return _(
            "a lapsed correction can be recorded once the correction period ends on {until}",
            until=row.correction_until,
        )
    if event == "lapse_fee" and row.fee_due and today <= row.fee_due:
        return _("an unpaid fee can be recorded once the payment period ends on {due}", due=row.fee_due)
    if event == "lapse_consultation" and row.consultation_due and today < row.consultation_due:
        return _("a lapsed consultation can be recorded on its due date {due}", due=row.consultation_due)
    if event == "extend" and row.extension_days:
        return _(
            "the reply period was already extended by {n} working days; it cannot be extended again",
            n=row.extension_days,
        )
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
            for_head.append(event_label(event))
        else:
            forms.append(event_form(event, row, today, supervisors, me_name))
    if for_head:
        notes.append(
            _("{events}: only a supervisor of the organ records these", events=_("、").join(for_head))
        )
    return forms, notes


def bounded_date(value: str, name: object, today: dt.date) -> dt.date:
    """A form's date: YYYY-MM-DD within the range any form accepts."""
    try:
        day = parse_iso_date(value)
    except ValueError as e:
        raise InvalidInput("{name}: {problem}", name=name, problem=e) from None
    latest = today + dt.timedelta(days=DAYS_AHEAD)
    if not EARLIEST_DATE <= day <= latest:
        raise InvalidInput(
            "{name}: {day} is outside {EARLIEST_DATE}–{latest}",
            name=name,
            day=day,
            EARLIEST_DATE=EARLIEST_DATE,
            latest=latest,
        )
    return day


def bounded_int(value: str, name: object, low: int | None, high: int | None) -> int:
    """A whole number within bounds. Longer than 12 digits it is beyond every bound here, and is
    refused before Python parses it (a number of thousands of digits costs time)."""
    try:
        n = int(value) if len(value) <= 12 else None
    except ValueError:
        n = None
    if n is None:
        if value.lstrip("+-").isdigit():
            raise InvalidInput(
                "{name}: {value}… is outside {low}–{high}", name=name, value=value[:20], low=low, high=high
            )
        raise InvalidInput("{name} must be a whole number, got {value!r}", name=name, value=value[:20])
    if (low is not None and n < low) or (high is not None and n > high):
        raise InvalidInput("{name}: {n} is outside {low}–{high}", name=name, n=n, low=low, high=high)
    return n


def raw_params(form: EventForm, data: Mapping[str, Any], today: dt.date) -> dict[str, Any]:
    """The submitted values of the form's fields, each checked against what the form promises:
    required fields present, numbers and dates within bounds, a choice among the offered ones.
    Blank optional fields are left to the rules' defaults."""
    raw: dict[str, Any] = {}
    problems = gather(
        {f.name: partial(_read, f, str(data.get(f.name) or "").strip(), today, raw) for f in form.fields}
    )
    if form.event == "request_correction" and "until" not in problems:
        problems |= gather({"until": partial(check_correction_period, raw, today)})
    refuse_all(problems)
    return raw


def _read(f: FormField, value: str, today: dt.date, raw: dict[str, Any]) -> None:
    """One field's value into `raw`, checked against what the form promises (refused naming the
    field by its label)."""
    name = FieldName.named(f.name)
    if not value:
        if f.required:
            raise InvalidInput("{name} is required", name=name)
        return
    if f.kind == "int":
        raw[f.name] = bounded_int(value, name, f.low, f.high)
    elif f.kind == "date":
        raw[f.name] = bounded_date(value, name, today).isoformat()
    elif f.kind == "select" and value not in {v for v, _ in f.choices}:
        raise InvalidInput("{name}: {value!r} is not one of the choices offered", name=name, value=value[:40])
    elif len(value) > TEXT_LIMIT.get(f.kind, 200):
        raise InvalidInput(
            "{name}: longer than {value} characters", name=name, value=TEXT_LIMIT.get(f.kind, 200)
        )
    elif f.kind == "lines":  # one entry per line (the correction items)
        raw[f.name] = [line.strip() for line in value.splitlines() if line.strip()]
    else:
        raw[f.name] = value


def check_correction_period(raw: dict[str, Any], today: dt.date) -> None:
    """The period given as a date is bounded as the one given in days: at most 60 working days."""
    if "until" not in raw:
        return
    on = dt.date.fromisoformat(raw.get("on") or today.isoformat())
    latest = add_workdays(on, CORRECTION_MAX_WORKDAYS)
    if dt.date.fromisoformat(raw["until"]) > latest:
        raise InvalidInput(
            "request_correction: until {raw} is more than {CORRECTION_MAX_WORKDAYS} working days after "
            "{on} (at most {latest})",
            raw=raw["until"],
            CORRECTION_MAX_WORKDAYS=CORRECTION_MAX_WORKDAYS,
            on=on,
            latest=latest,
        )
