"""Refusals a user can act on. Each renders as one line; no door shows a traceback for them.

A refusal carries a message id (English, ``str.format`` placeholders) and its parameters, not a
finished sentence: each door renders it in the reader's language through the message catalog
(``config.i18n.render``), e.g. ``RuleViolation("appeal {appeal} was already decided", appeal=7)``.
``str(error)`` is the English text (logs, and code that has no reader).
"""

from __future__ import annotations


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
