"""Printing: JSON only on stdout with --json; rich tables for people; errors as one line on stderr."""

from __future__ import annotations

import datetime as dt
import json
import os
import sys
from decimal import Decimal
from typing import Any

from rich.console import Console

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
    """One line on stderr: what, where, why. No traceback."""
    sys.stderr.write(f"ogi: error: {message}\n")
    raise SystemExit(code)
