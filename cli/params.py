"""Option types shared by the commands."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

import typer

from workflow.errors import InvalidInput
from workflow.events import parse_iso_date

JsonFlag = Annotated[bool, typer.Option("--json", help="Print only JSON on stdout.")]
AsUser = Annotated[
    str | None,
    typer.Option(
        "--as",
        envvar="OGI_USER",
        help="Act as this user, under their role and organ (recorded in the history). Without it "
        "(and without OGI_USER) the command acts as the operator, recorded as operator:<os user>.",
    ),
]


def to_date(value: str | None, option: str) -> dt.date | None:
    if value is None:
        return None
    try:
        return parse_iso_date(value)
    except ValueError as e:
        raise InvalidInput(f"{option}: {e}") from None


ExpectVersion = Annotated[
    int | None, typer.Option("--expect-version", help="Refuse if the case changed since this version.")
]
