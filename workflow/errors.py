"""Refusals a user can act on. Each renders as one line; no door shows a traceback for them."""

from __future__ import annotations


class OgiError(Exception):
    """Base of every expected refusal."""


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
