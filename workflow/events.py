"""The events of DESIGN §3 and their parameters, validated into one frozen input object each."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from functools import partial
from typing import Annotated, Any

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, ValidationError

from codes import Outcome, Party
from codes.labels import Choices, Coded, FieldName
from workflow.bounds import MAX_DAYS, check_date
from workflow.code_input import label_or_code, parse_code
from workflow.errors import InvalidFields, InvalidInput, Phrase
from workflow.fees import MAX_UNITS, FeeMethod
from workflow.text import OptionalReason, PersonName, Reason


class InvalidDate(InvalidInput, ValueError):
    """A date refused; also a ValueError, so a pydantic model reports the field it was in."""


def parse_iso_date(value: object) -> dt.date:
    """YYYY-MM-DD only: no timestamps, no numbers, no guessing; and within the calendar's span
    (a CalendarRangeError, which is a ValueError too, for a mistyped year)."""
    if isinstance(value, dt.datetime):
        raise InvalidDate("a date without a time is expected")
    if isinstance(value, dt.date):
        return check_date(value)
    if not isinstance(value, str) or len(value) != 10:
        raise InvalidDate("{value!r} is not a date in the form YYYY-MM-DD", value=value)
    try:
        day = dt.date.fromisoformat(value)
    except ValueError:
        raise InvalidDate("{value!r} is not a valid date", value=value) from None
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
    party: Annotated[Party, BeforeValidator(partial(label_or_code, "party"))]


class LapseConsultation(Params):
    """The effective date is always the consultation's due date (DESIGN §3)."""


class Extend(Params):
    days: Days
    approver: PersonName


class NotifyFee(Params):
    """A fee notice (国办函〔2020〕109号). In live use the amount is computed from the method and the
    pages (workflow.fee_quotes), and an amount that differs needs a reason; an older record may give
    only the amount."""

    method: Annotated[FeeMethod | None, BeforeValidator(partial(label_or_code, "fee_method"))] = None
    pages: int | None = Field(default=None, ge=1, le=MAX_UNITS)
    amount: Decimal | None = Field(default=None, gt=0, max_digits=12, decimal_places=2)
    reason: Reason | None = None  # why the amount differs from the computed one
    days: Days | None = None  # payment period in working days; the setting's default when not given
    # recorded by the service: the application's position in its month (count) and the computed amount
    count: int | None = Field(default=None, ge=1)
    computed_amount: Decimal | None = Field(default=None, ge=0, max_digits=12, decimal_places=2)


class Defer(Params):
    until: IsoDate
    reason: Reason


class Answer(Params):
    """The decision; the reply letter (DESIGN §11) prints the texts the outcome needs (Art. 36–39)."""

    outcome: Annotated[Outcome, BeforeValidator(partial(label_or_code, "outcome"))]
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
        "sweep_entries_rejudged",
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
    event = parse_code("event", event, codes=EVENTS)
    try:
        return PARAMS[event].model_validate(raw)
    except ValidationError as e:
        raise InvalidInput(
            "{event}: {problem}", event=Coded("event", event), problem=every_problem(e)
        ) from None


# fields whose value a refusal never repeats (personal information, DESIGN §12)
UNREPEATED = frozenset({"id_number"})
# the code family of each coded parameter, so a refusal lists the choices with their labels
_ENUM_FAMILIES: dict[str, tuple[str, tuple[str, ...]]] = {
    "outcome": ("outcome", tuple(Outcome)),
    "party": ("party", tuple(Party)),
    "method": ("fee_method", tuple(FeeMethod)),
}


def describe(error: ValidationError) -> InvalidInput:
    """The first problem of a pydantic error as one plain refusal naming the field."""
    return problems(error)[0]


def problems(error: ValidationError) -> list[InvalidInput]:
    """Every problem of a pydantic error, each a plain refusal naming its field by its label."""
    return [_problem(err) for err in error.errors()]


def every_problem(error: ValidationError) -> InvalidFields:
    """Every problem of a pydantic error in one refusal, by field (``items.2``), for a form to mark."""
    found = {".".join(map(str, err["loc"])) or "value": _problem(err) for err in error.errors()}
    return InvalidFields(found)


def _problem(err: Any) -> InvalidInput:
    path = tuple(err["loc"]) or ("value",)
    name = ".".join(str(p) for p in path)
    field = FieldName(path)
    kind, given = err["type"], err.get("input")
    if UNREPEATED & {str(p) for p in path}:
        given = "…"
    if kind == "missing":
        return InvalidInput("{field} is required", field=field)
    if kind == "extra_forbidden":
        return InvalidInput("unexpected field {field!r}", field=name)
    if kind == "enum" and name in _ENUM_FAMILIES:
        family, members = _ENUM_FAMILIES[name]
        return InvalidInput(
            "{field}: unknown value {value!r} (one of: {choices})",
            field=field,
            value=str(given)[:40],
            choices=Choices(family, members),
        )
    if kind == "enum":
        allowed = err.get("ctx", {}).get("expected", "")
        return InvalidInput(
            "{field}: unknown value {value!r} (expected {allowed})", field=field, value=given, allowed=allowed
        )
    if kind == "value_error":
        return InvalidInput("{field}: {problem}", field=field, problem=err["ctx"]["error"])
    # pydantic's own wording is English only: the common problems in the reader's language
    problem = _PYDANTIC[kind](err.get("ctx") or {}) if kind in _PYDANTIC else err["msg"].lower()
    return InvalidInput("{field}: {problem} (got {value!r})", field=field, problem=problem, value=given)


def _whole(ctx: dict[str, Any]) -> Phrase:
    return Phrase("must be a whole number")


def _number(ctx: dict[str, Any]) -> Phrase:
    return Phrase("must be a number")


def _truth(ctx: dict[str, Any]) -> Phrase:
    return Phrase("must be true or false")


def _object(ctx: dict[str, Any]) -> Phrase:
    return Phrase("must be an object with named fields")


_PYDANTIC: dict[str, Callable[[dict[str, Any]], Phrase]] = {
    "less_than_equal": lambda ctx: Phrase("must be at most {le}", le=ctx.get("le")),
    "less_than": lambda ctx: Phrase("must be less than {lt}", lt=ctx.get("lt")),
    "greater_than_equal": lambda ctx: Phrase("must be at least {ge}", ge=ctx.get("ge")),
    "greater_than": lambda ctx: Phrase("must be more than {gt}", gt=ctx.get("gt")),
    "int_parsing": _whole,
    "int_type": _whole,
    "int_from_float": _whole,
    "decimal_parsing": _number,
    "decimal_type": _number,
    "float_parsing": _number,
    "decimal_max_digits": lambda ctx: Phrase("has more than {n} digits", n=ctx.get("max_digits")),
    "decimal_max_places": lambda ctx: Phrase("has more than {n} decimal places", n=ctx.get("decimal_places")),
    "too_short": lambda ctx: Phrase("too few entries (at least {n})", n=ctx.get("min_length")),
    "too_long": lambda ctx: Phrase("too many entries (at most {n})", n=ctx.get("max_length")),
    "string_type": lambda ctx: Phrase("must be text"),
    "list_type": lambda ctx: Phrase("must be a list"),
    "bool_type": _truth,
    "bool_parsing": _truth,
    "dict_type": _object,
    "model_type": _object,
    "model_attributes_type": _object,
}


def stored_params(params: Params) -> dict[str, Any]:
    """What the history keeps of an event's parameters: every resolved input, in JSON form."""
    return params.model_dump(mode="json", exclude={"on"}, exclude_none=True)
