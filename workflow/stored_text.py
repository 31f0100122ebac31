"""Reasons the system stores in a history (a void sweep entry, a recorded fact kept although the
current calendar refutes it) as a message id and its parameters, not as finished text.

A person reads them later, maybe in another language than the one in force when they were written:
``shown`` renders a stored message in the reader's language. Text stored before (a plain string, in
its writer's language) is shown as it is.

The stored form is JSON: ``{"msgid": "...", "params": {...}}``; a parameter is a JSON value, a code
``{"family": "event", "code": "answer"}``, a nested message, or a list of those (read as a list).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from codes.labels import Coded, CodeList
from config.i18n import _, current_language, render

# a stored reason: a message (new) or text (written before messages were stored)
Stored = str | dict[str, Any]


def stored(message: str, /, **params: Any) -> dict[str, Any]:
    """A message (an id marked with ``N_``, or a refusal's) and its parameters, as JSON to store."""
    return {"msgid": message, "params": {k: _encode(v) for k, v in params.items()}}


def _encode(value: Any) -> Any:
    if isinstance(value, Coded):
        return {"family": value.family, "code": value.code}
    if isinstance(value, CodeList):
        return [{"family": value.family, "code": c} for c in value.codes]
    if hasattr(value, "message") and hasattr(value, "params"):  # a refusal or a phrase inside one
        return stored(value.message, **value.params)
    if isinstance(value, list | tuple):
        return [_encode(v) for v in value]
    if isinstance(value, dt.date | Decimal):
        return str(value)
    if value is None or isinstance(value, str | int | float | bool):
        return value
    return str(value)


@dataclass(frozen=True)
class _Message:
    """A stored message read back: rendered like a refusal (``message`` and ``params``)."""

    message: str
    params: dict[str, Any]


@dataclass(frozen=True)
class _Lines:
    """A stored list read back: its items in the reader's list form."""

    items: tuple[Any, ...]

    def localized(self, language: str) -> str:
        sep = "；" if language == "zh" else "; "
        return sep.join(str(_localized(item, language)) for item in self.items)


def _localized(value: Any, language: str) -> Any:
    if hasattr(value, "localized"):
        return value.localized(language)
    if isinstance(value, _Message):
        return render(value, language)  # type: ignore[arg-type]
    return value


def _decode(value: Any) -> Any:
    if isinstance(value, dict) and "msgid" in value:
        return _Message(str(value["msgid"]), {k: _decode(v) for k, v in (value.get("params") or {}).items()})
    if isinstance(value, dict) and "family" in value and "code" in value:
        return Coded(str(value["family"]), str(value["code"]))
    if isinstance(value, list):
        return _Lines(tuple(_decode(v) for v in value))
    return value


def shown(value: Stored | None, language: str | None = None) -> str:
    """A stored reason in the reader's language; old plain text as it was written; none is ""."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    message = _decode(value)
    if not isinstance(message, _Message):
        return str(value)
    return _(message.message, language=language or current_language(), **message.params)


def same(a: Stored, b: Stored) -> bool:
    """Whether two stored reasons say the same: equal, or one is the text the other (a message)
    gave in either language (a reason stored as text before is not re-recorded as a message)."""
    if a == b:
        return True
    if isinstance(a, str) and isinstance(b, dict):
        return a in (shown(b, "zh"), shown(b, "en"))
    if isinstance(a, dict) and isinstance(b, str):
        return same(b, a)
    return False


def same_reasons(a: dict[int, Stored], b: dict[int, Stored]) -> bool:
    """Whether two tables of stored reasons (seq → reason) say the same (see ``same``)."""
    return a.keys() == b.keys() and all(same(a[k], b[k]) for k in a)
