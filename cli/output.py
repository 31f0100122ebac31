"""Printing: JSON only on stdout with --json; rich tables for people; errors as one line on stderr."""

from __future__ import annotations

import datetime as dt
import json
import os
import sys
from decimal import Decimal
from typing import Any

from rich.console import Console

from codes.labels import label as code_label
from codes.labels import param_value
from config.i18n import N_, _, current_language

console = Console(width=None if sys.stdout.isatty() else 160)


def terminal_console() -> Console:
    """A console as wide as the terminal now: `COLUMNS` when set (read at each call, not at import),
    else the terminal's width, else 160 for a pipe or a file."""
    columns = os.environ.get("COLUMNS", "")
    if columns.isdigit() and int(columns) > 0:
        return Console(width=int(columns))
    return Console(width=None if sys.stdout.isatty() else 160)


def _default(o: object) -> object:
    if isinstance(o, dt.date | dt.datetime):
        return o.isoformat()
    if isinstance(o, Decimal):
        return str(o)
    raise TypeError(f"cannot serialize {type(o).__name__}")


def print_json(data: Any) -> None:
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2, default=_default) + "\n")


def fail(message: str, code: int = 1) -> None:
    """One line on stderr: what, where, why (already in the reader's language). No traceback."""
    sys.stderr.write(_("ogi: error: {message}", message=message) + "\n")
    raise SystemExit(code)


WEEKDAYS = (N_("Mon"), N_("Tue"), N_("Wed"), N_("Thu"), N_("Fri"), N_("Sat"), N_("Sun"))


def weekday(day: dt.date) -> str:
    """The day of the week, short (``一`` … ``日`` in Chinese)."""
    return _(WEEKDAYS[day.weekday()])


def label(family: str, code: str | None) -> str:
    """A code as a person reads it, in the reader's language (``codes.labels``); ``None`` is empty."""
    return code_label(family, code, current_language()) if code else ""


def param_text(key: str, value: object) -> str:
    """One event parameter as ``label：value``, a coded value as its label (``办理结果：予以公开``)."""
    shown = param_value(key, value, current_language())
    if isinstance(value, list):  # numbered lines under the parameter's name
        shown = "\n" + shown
    return _("{name}: {value}", name=label("field", key), value=shown)
