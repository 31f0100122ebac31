"""Option types shared by the commands."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

import typer

from codes.labels import FAMILY_LABELS
from config.i18n import _
from workflow.code_input import help_listing, parse_code
from workflow.errors import InvalidInput
from workflow.events import parse_iso_date


def help_language() -> str:
    """The language of the ``--help`` texts, read once at import: a broken configuration is reported
    when the command runs, not while the help is built."""
    try:
        from config.i18n import current_language

        return current_language()
    except Exception:  # a ConfigError; the command reports it
        return "zh"


HELP_LANGUAGE = help_language()


def help_text(message: str) -> str:
    """An option's or a command group's help, in the language of the help texts."""
    return _(message, language=HELP_LANGUAGE)


def codes_help(family: str, codes: tuple[str, ...] | None = None) -> str:
    """A help text listing ``family``'s codes with their labels (either is accepted)."""
    return _(
        "{what}: a code or its label: {choices}",
        language=HELP_LANGUAGE,
        what=FAMILY_LABELS[HELP_LANGUAGE][family],
        choices=help_listing(family, HELP_LANGUAGE, codes),
    )


def to_code(value: str | None, family: str, option: str) -> str | None:
    """An option naming a code, given as the code or its label (``--outcome 予以公开``)."""
    return None if value is None else parse_code(family, value, where=option)


JsonFlag = Annotated[
    bool, typer.Option("--json", help=_("Print only JSON on stdout.", language=HELP_LANGUAGE))
]
AsUser = Annotated[
    str | None,
    typer.Option(
        "--as",
        envvar="OGI_USER",
        help=_(
            "Act as this user, under their role and organ (recorded in the history). Without it "
            "(and without OGI_USER) the command acts as the operator, recorded as operator:<os user>.",
            language=HELP_LANGUAGE,
        ),
    ),
]


def to_date(value: str | None, option: str) -> dt.date | None:
    if value is None:
        return None
    try:
        return parse_iso_date(value)
    except ValueError as e:
        raise InvalidInput("{option}: {problem}", option=option, problem=e) from None


ExpectVersion = Annotated[
    int | None,
    typer.Option(
        "--expect-version",
        help=_("Refuse if the case changed since this version.", language=HELP_LANGUAGE),
    ),
]
