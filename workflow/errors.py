"""Refusals a user can act on. Each renders as one line; no door shows a traceback for them.

A refusal carries a message id (English, ``str.format`` placeholders) and its parameters, not a
finished sentence: each door renders it in the reader's language through the message catalog
(``config.i18n.render``), e.g. ``RuleViolation("appeal {appeal} was already decided", appeal=7)``.
``str(error)`` is the English text (logs, and code that has no reader).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from functools import partial
from typing import Any


class OgiError(Exception):
    """Base of every expected refusal: ``message`` (msgid) and ``params`` (its placeholders)."""

    def __init__(self, message: str, /, **params: object) -> None:
        self.message = message
        self.params = params
        super().__init__(message)

    def __str__(self) -> str:
        return (
            self.message.format(**{k: _english(v) for k, v in self.params.items()})
            if self.params
            else self.message
        )


class Phrase:
    """A fragment a refusal names (e.g. the action refused: ``Phrase("record an appeal")``),
    rendered in the reader's language like a whole message."""

    def __init__(self, message: str, /, **params: object) -> None:
        self.message = message
        self.params = params

    def __str__(self) -> str:
        return (
            self.message.format(**{k: _english(v) for k, v in self.params.items()})
            if self.params
            else self.message
        )


def os_reason(error: OSError) -> Phrase | str:
    """Why a file could not be opened, read or written: the common kinds in the reader's language;
    the system's own text (in the machine's language, not the reader's) only for the rare rest."""
    for kind, reason in _OS_REASONS:
        if isinstance(error, kind):
            return reason
    return error.strerror or str(error)


def _english(value: object) -> object:
    """A parameter in the English text of ``str()`` (logs, stored errors): a code stays a code."""
    return str(value) if hasattr(value, "localized") else value


class InvalidInput(OgiError):
    """Input that cannot be read: a malformed date, an unknown code, a missing field."""


class NotFound(OgiError):
    """A case, organ, user or appeal that does not exist."""


class RuleViolation(OgiError):
    """Well-formed input that the rules of DESIGN §3–§6 do not allow."""


class YearClosed(RuleViolation):
    """An event dated in a year that is sealed for the case's organ."""


class Conflict(OgiError):
    """Someone else changed the case first (compare-and-set on its version failed)."""


class PermissionDenied(OgiError):
    """The acting user's role or organ does not allow this."""


class InvalidFields(InvalidInput):
    """Several fields of one form refused at once (a web form reports every bad field, not the first):
    one sentence naming each, and ``fields`` (field name → its refusal) for the door to mark each.
    With one problem it reads exactly as that problem."""

    def __init__(self, fields: Mapping[str, OgiError]) -> None:
        self.fields = dict(fields)
        *others, last = fields.values()
        joined: OgiError | Phrase = last
        for problem in reversed(others):
            joined = Phrase("{first}; {rest}", first=problem, rest=joined)
        super().__init__(joined.message, **joined.params)


def gather(checks: dict[str, Callable[[], object]]) -> dict[str, OgiError]:
    """Run each field's check; the refusal of each that fails, by field name (none: all passed)."""
    problems: dict[str, OgiError] = {}
    for name, check in checks.items():
        try:
            check()
        except InvalidFields as e:
            problems |= e.fields
        except OgiError as e:
            problems[name] = e
    return problems


def refuse_all(problems: dict[str, OgiError]) -> None:
    """Raise every problem at once (InvalidFields), if there is any."""
    if problems:
        raise InvalidFields(problems)


def fields_of(error: OgiError) -> dict[str, OgiError]:
    """The refused fields a refusal carries (InvalidFields, or one wrapped in it), by field name;
    empty when it names none (a rule about the case as a whole)."""
    if isinstance(error, InvalidFields):
        return error.fields
    for value in error.params.values():
        if isinstance(value, OgiError) and (found := fields_of(value)):
            return found
    return {}


def collect(checks: dict[str, Callable[[], Any]]) -> dict[str, Any]:
    """Each field's checked value, by field name; every field refused at once (InvalidFields)."""
    values: dict[str, Any] = {}

    def keep(name: str, check: Callable[[], Any]) -> None:
        values[name] = check()

    refuse_all(gather({name: partial(keep, name, check) for name, check in checks.items()}))
    return values


# the file errors a person meets, by kind (os_reason); a subclass before its base
_OS_REASONS: tuple[tuple[type[OSError], Phrase], ...] = (
    (FileNotFoundError, Phrase("no such file or folder")),
    (IsADirectoryError, Phrase("it is a folder, not a file")),
    (NotADirectoryError, Phrase("a part of the path is not a folder")),
    (PermissionError, Phrase("permission denied")),
    (FileExistsError, Phrase("it already exists")),
)
