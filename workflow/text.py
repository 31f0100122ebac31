"""Free text a user gives (names, requests, reasons, narratives): one validation for every door.

The same rules on SQLite and PostgreSQL: PostgreSQL refuses U+0000 in text and both refuse lone
surrogates, so they are refused here first, with one line naming the field; text that is empty once
its invisible characters are taken away (zero-width spaces, U+3000, format characters) is refused
as empty; each kind of text has a length limit fitting its use (and its column).
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from typing import Annotated

from pydantic import AfterValidator, BeforeValidator

from codes.labels import FieldName
from workflow.errors import InvalidInput, Phrase


class InvalidText(InvalidInput, ValueError):
    """Free text refused. Also a ValueError, so a pydantic model reports the field it was in."""


@dataclass(frozen=True)
class TextKind:
    label: Phrase
    max_chars: int
    multiline: bool = False


# the limits: a name fits its column; a request, a reason and a narrative their use
PERSON = TextKind(Phrase("a user's name"), 100)  # user names, approvers, the actor of an imported event
NAME = TextKind(Phrase("a name"), 200)  # an applicant, an organ
TITLE = TextKind(Phrase("a title"), 300)  # the source of a calendar arrangement
HOLIDAY = TextKind(Phrase("a holiday's name"), 100)  # a holiday in a calendar arrangement
REQUEST = TextKind(Phrase("a request"), 10_000, multiline=True)
REASON = TextKind(Phrase("a reason"), 2_000, multiline=True)
NARRATIVE = TextKind(Phrase("a narrative section"), 50_000, multiline=True)

_LINE_BREAKS = frozenset("\n\r\t")
_EMPTY = Phrase("is empty (only blank or invisible characters)")
_NAMED = {"\n": Phrase("a line break"), "\r": Phrase("a line break"), "\t": Phrase("a tab")}
# letters that render as nothing although Unicode files them as letters (Hangul fillers, braille blank)
_BLANK_LETTERS = frozenset("\u115f\u1160\u3164\uffa0\u2800")


def _visible(ch: str) -> bool:
    return unicodedata.category(ch)[0] not in "CZM" and ch not in _BLANK_LETTERS


def _edge(ch: str) -> bool:
    """Characters trimmed from both ends: white space and invisible format characters."""
    return ch.isspace() or unicodedata.category(ch) == "Cf"


def _trim(value: str) -> str:
    start, end = 0, len(value)
    while start < end and _edge(value[start]):
        start += 1
    while end > start and _edge(value[end - 1]):
        end -= 1
    return value[start:end]


def _problem(value: object, kind: TextKind) -> tuple[str, Phrase | None]:
    """The trimmed text and what is wrong with it (None when nothing is)."""
    if not isinstance(value, str):
        return "", Phrase("expected text, got {kind}", kind=type(value).__name__)
    for i, ch in enumerate(value):
        cat = unicodedata.category(ch)
        if cat == "Cc" and not (kind.multiline and ch in _LINE_BREAKS):
            where = _NAMED.get(ch) or Phrase("the control character U+{code:04X}", code=ord(ch))
            return "", Phrase("contains {what} at position {n}", what=where, n=i + 1)
        if cat == "Cs":
            return "", Phrase(
                "contains an unpaired surrogate U+{code:04X} at position {n}", code=ord(ch), n=i + 1
            )
        if cat in ("Zl", "Zp") and not kind.multiline:
            return "", Phrase("contains a line break at position {n}", n=i + 1)
    text = _trim(value)
    if not any(_visible(ch) for ch in text):
        return text, _EMPTY
    if len(text) > kind.max_chars:
        return text, Phrase(
            "{n} characters, more than the {limit} allowed for {kind}",
            n=len(text),
            limit=kind.max_chars,
            kind=kind.label,
        )
    return text, None


def clean_text(value: str, kind: TextKind, what: str) -> str:
    """The text trimmed, or InvalidText naming `what` and the problem."""
    text, problem = _problem(value, kind)
    if problem:
        raise InvalidText("{what}: {problem}", what=FieldName.named(what), problem=problem)
    return text


def is_blank(value: str) -> bool:
    """Nothing visible once white space and invisible characters are taken away (and nothing
    refused for another reason, such as a control character)."""
    _, problem = _problem(value, NARRATIVE)
    return problem == _EMPTY


def clean_optional(value: str | None, kind: TextKind, what: str) -> str | None:
    """Optional text: None, or only blank and invisible characters, is None; else as clean_text."""
    if value is None:
        return None
    text, problem = _problem(value, kind)
    if problem == _EMPTY:
        return None
    if problem:
        raise InvalidText("{what}: {problem}", what=FieldName.named(what), problem=problem)
    return text


def _checked(kind: TextKind) -> AfterValidator:
    def check(value: str) -> str:
        text, problem = _problem(value, kind)
        if problem:
            raise InvalidText(problem.message, **problem.params)  # pydantic names the field
        return text

    return AfterValidator(check)


def _checked_optional(kind: TextKind) -> BeforeValidator:
    def check(value: object) -> str | None:
        if value is None:
            return None
        text, problem = _problem(value, kind)
        if problem == _EMPTY:
            return None  # a blank field is a field not filled in
        if problem:
            raise InvalidText(problem.message, **problem.params)
        return text

    return BeforeValidator(check)


PersonName = Annotated[str, _checked(PERSON)]
Name = Annotated[str, _checked(NAME)]
Title = Annotated[str, _checked(TITLE)]
HolidayName = Annotated[str, _checked(HOLIDAY)]
Reason = Annotated[str, _checked(REASON)]
Narrative = Annotated[str, _checked(NARRATIVE)]
# optional text: blank (or only invisible characters) is None, "not written"
OptionalNarrative = Annotated[str | None, _checked_optional(NARRATIVE)]
OptionalReason = Annotated[str | None, _checked_optional(REASON)]
OptionalHolidayName = Annotated[str | None, _checked_optional(HOLIDAY)]
