"""The events of DESIGN §3 and their parameters, validated into one frozen input object each."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Annotated, Any

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, ValidationError

from codes import Outcome, Party
from workflow.bounds import MAX_DAYS, check_date
from workflow.errors import InvalidInput
from workflow.text import OptionalReason, PersonName, Reason


def parse_iso_date(value: object) -> dt.date:
    """YYYY-MM-DD only: no timestamps, no numbers, no guessing; and within the calendar's span
    (a CalendarRangeError, which is a ValueError too, for a mistyped year)."""
    if isinstance(value, dt.datetime):
        raise ValueError("a date without a time is expected")
    if isinstance(value, dt.date):
        return check_date(value)
    if not isinstance(value, str) or len(value) != 10:
        raise ValueError(f"{value!r} is not a date in the form YYYY-MM-DD")
    try:
        day = dt.date.fromisoformat(value)
    except ValueError as e:
        raise ValueError(f"{value!r} is not a valid date ({e})") from None
    return check_date(day)


IsoDate = Annotated[dt.date, BeforeValidator(parse_iso_date)]
# a number of (working) days a user gives: no more than the calendar spans (the rules set the least)
Days = Annotated[int, Field(le=MAX_DAYS)]


class Params(BaseModel):
    """Parameters common to every event: the effective date (today when not given)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    on: IsoDate | None = None


class RequestCorrection(Params):
    until: IsoDate | None = None
    days: Days | None = None  # working days from `on`; the setting's default when neither is given
    # every item the applicant must correct, listed once (Art. 30); required live, optional in an import
    items: Annotated[list[Reason], Field(min_length=1, max_length=50)] | None = None


class Consult(Params):
    party: Party


class LapseConsultation(Params):
    """The effective date is always the consultation's due date (DESIGN §3)."""


class Extend(Params):
    days: Days
    approver: PersonName


class NotifyFee(Params):
    amount: Decimal = Field(gt=0, max_digits=12, decimal_places=2)
    days: Days | None = None  # payment period in working days; the setting's default when not given


class Defer(Params):
    until: IsoDate
    reason: Reason


class Answer(Params):
    """The decision; the reply letter (DESIGN §11) prints the texts the outcome needs (Art. 36–39)."""

    outcome: Outcome
    reasons: OptionalReason = None  # why (part of) the information is withheld or not provided
    basis: OptionalReason = None  # the article relied on (the outcome's own article when not given)
    provided: OptionalReason = None  # what is provided, in what form, how and when (Art. 36(二), 40)
    refer_to: OptionalReason = None  # the responsible or holding body, with its contact (Art. 36(四), 39)


PARAMS: dict[str, type[Params]] = {
    "register": Params,
    "receive": Params,
    "confirm_receipt": Params,
    "request_correction": RequestCorrection,
    "receive_correction": Params,
    "lapse_correction": Params,
    "consult": Consult,
    "receive_opinion": Params,
    "lapse_consultation": LapseConsultation,
    "extend": Extend,
    "notify_fee": NotifyFee,
    "receive_payment": Params,
    "lapse_fee": Params,
    "defer": Defer,
    "answer": Answer,
    "withdraw": Params,
}
EVENTS: tuple[str, ...] = tuple(PARAMS)
# events that open a case; the rest advance an existing one
OPENING_EVENTS: frozenset[str] = frozenset({"register", "receive"})
# history entries the system writes about a case; they record, they do not change the case
ANNOTATIONS: frozenset[str] = frozenset(
    {
        "became_overdue",
        "deadlines_recomputed",
        "reassigned",
        "attention_acknowledged",
        "appeal_filed",
        "appeal_decided",
    }
)


# what a live event must carry for the document that notifies it (DESIGN §11); an imported history
# may lack it (old records), and then no document is generated for that event
_LETTER_NEEDS: dict[str, tuple[str, ...]] = {
    Outcome.partially_disclosed: ("reasons",),
    **{o: ("reasons",) for o in Outcome if o.startswith("withheld_")},
    Outcome.not_processed_publication: ("refer_to",),
}


def letter_gaps(event: str, params: Params) -> tuple[str, ...]:
    """The parameters the event's document needs that `params` lacks (empty when it has them all)."""
    if isinstance(params, RequestCorrection):
        return () if params.items else ("items",)
    if isinstance(params, Answer):
        return tuple(name for name in _LETTER_NEEDS.get(params.outcome, ()) if not getattr(params, name))
    return ()


def parse_params(event: str, raw: dict[str, Any]) -> Params:
    """Validate an event's parameters; an unknown event or bad field is one InvalidInput line."""
    model = PARAMS.get(event)
    if model is None:
        raise InvalidInput(f"unknown event {event!r} (events: {', '.join(EVENTS)})")
    try:
        return model.model_validate(raw)
    except ValidationError as e:
        raise InvalidInput(f"{event}: {describe(e)}") from None


def describe(error: ValidationError) -> str:
    """The first problem of a pydantic error as one plain sentence naming the field."""
    err = error.errors()[0]
    field = ".".join(str(p) for p in err["loc"]) or "value"
    kind, given = err["type"], err.get("input")
    if kind == "missing":
        return f"{field} is required"
    if kind == "extra_forbidden":
        return f"unexpected field {field!r}"
    if kind == "enum":
        allowed = err.get("ctx", {}).get("expected", "")
        return f"{field}: unknown value {given!r} (expected {allowed})"
    if kind == "value_error":
        return f"{field}: {err['ctx']['error']}"
    return f"{field}: {err['msg'].lower()} (got {given!r})"


def stored_params(params: Params) -> dict[str, Any]:
    """What the history keeps of an event's parameters: every resolved input, in JSON form."""
    return params.model_dump(mode="json", exclude={"on"}, exclude_none=True)
