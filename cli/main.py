"""The `ogi` entry point: assembles the command groups and turns refusals into one-line errors."""

from __future__ import annotations

import logging
import re
from typing import Any

import typer
from sqlalchemy.exc import OperationalError, ProgrammingError
from typer.core import TyperGroup

from cli import (
    acting,
    appeal_cmd,
    calendar_cmd,
    case_cmd,
    db_cmd,
    deadlines_cmd,
    demo_cmd,
    directory_cmd,
    document_cmd,
    fee_cmd,
    keys_cmd,
    ledger_cmd,
    outbox_cmd,
    report_cmd,
    secret_cmd,
    serve_cmd,
    year_cmd,
)
from cli.click_text import localize_help, usage_error_line
from cli.output import fail
from cli.params import HELP_LANGUAGE, help_text
from config.i18n import _, current_language, render
from config.logging import setup_logging
from config.settings import ConfigError, get_settings
from models.db import NoDatabaseFile
from workflow.errors import OgiError

_COMMAND = "ogi.command"  # ctx.meta: the command path the arguments named (`case list`)
# a missing table, in the driver's words (SQLite, PostgreSQL): the schema is not made or not up to
# date, which `ogi db upgrade` fixes (unlike a missing role or database)
_MISSING_TABLE = re.compile(r'no such table: (?P<table>\S+)|relation "(?P<relation>[^"]+)" does not exist')


def _usage_refused(group: Any, ctx: Any, error: Exception) -> None:
    """A usage error as one line in the reader's language, exit 2 (click's own code); the help
    a group shows when given nothing (click's NoArgsIsHelpError) is left to click."""
    if acting.is_as_refused(error):
        fail(acting.as_refused_line(group, ctx.meta.get(_COMMAND, "")))
    if type(error).__name__ == "NoArgsIsHelpError":
        return
    command = " ".join(("ogi", ctx.meta.get(_COMMAND, ""))).strip()
    fail(usage_error_line(error, current_language(), command), 2)


def database_problem(error: OperationalError | ProgrammingError) -> str:
    """What went wrong with the database, in the reader's language: a missing file or table is a
    catalog sentence naming what to run; anything else is the driver's own first line."""
    if isinstance(error.orig, NoDatabaseFile):
        return _("there is no database file {path}: run `ogi db upgrade` to create it", path=error.orig.path)
    first = str(error.orig).strip().splitlines()[0] if error.orig else str(error)
    if m := _MISSING_TABLE.search(first):
        return _(
            "the database has no table {table}: its schema is missing or not up to date "
            "(run `ogi db upgrade`)",
            table=m.group("table") or m.group("relation"),
        )
    return _("database: {problem}", problem=first)


class OgiGroup(TyperGroup):
    """The top command group: every refusal becomes one line on stderr and an exit code here, in the
    group (not around `app()`), so an in-process run (typer's CliRunner) behaves like the script."""

    def invoke(self, ctx: Any) -> Any:  # typer's vendored click.Context is private; `Any` overrides it
        try:
            get_settings()  # every setting checked before any command runs
            return super().invoke(ctx)
        except acting.USAGE_ERROR as e:
            _usage_refused(self, ctx, e)
            raise
        except ConfigError as e:
            fail(_("configuration: {problem}", problem=e))
        except OgiError as e:
            fail(render(e))
        except (OperationalError, ProgrammingError) as e:
            fail(database_problem(e))
        except KeyboardInterrupt:
            fail(_("interrupted; nothing was written by the unfinished command"), 130)

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        try:
            return super().parse_args(ctx, args)
        except acting.USAGE_ERROR as e:  # `ogi --as li case list`: the option belongs after the command
            _usage_refused(self, ctx, e)
            raise

    def main(self, *args: Any, **kwargs: Any) -> Any:
        """click's and typer's own help texts in the help's language, set on the whole command tree
        before it parses anything (cli.click_text); a wrong setting refused before any of it is read."""
        localize_help(self, HELP_LANGUAGE)
        try:  # --help too: a help in another language than the one asked for would hide the mistake
            get_settings()
        except ConfigError as e:
            fail(_("configuration: {problem}", problem=e))
        return super().main(*args, **kwargs)

    def resolve_command(self, ctx: Any, args: list[str]) -> Any:
        """The named command; before it runs, the user `OGI_USER` names is checked (cli.acting)."""
        name, command, rest = super().resolve_command(ctx, args)
        leaf, sub = acting.leaf_command(ctx, command, rest)
        ctx.meta[_COMMAND] = f"{name} {sub}".strip()
        acting.check_named_user(name or "", leaf, rest)
        return name, command, rest


app = typer.Typer(
    cls=OgiGroup,
    name="ogi",
    help=_(
        "Case workflow for applications under the Regulations on Open Government Information.",
        language=HELP_LANGUAGE,
    ),
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)
app.add_typer(db_cmd.app, name="db")
app.add_typer(directory_cmd.organ_app, name="organ")
app.add_typer(directory_cmd.user_app, name="user")
app.add_typer(case_cmd.app, name="case")
app.add_typer(calendar_cmd.app, name="calendar")
app.add_typer(report_cmd.app, name="report")
app.add_typer(year_cmd.app, name="year")
app.add_typer(appeal_cmd.app, name="appeal")
app.add_typer(ledger_cmd.app, name="ledger")
app.add_typer(document_cmd.app, name="document")
app.add_typer(deadlines_cmd.app, name="deadlines")
app.add_typer(outbox_cmd.app, name="outbox")
app.add_typer(secret_cmd.app, name="secret")
app.add_typer(fee_cmd.app, name="fee")
app.add_typer(keys_cmd.app, name="keys")
app.command("demo", help=help_text("Build a sample organ with a year of varied cases and print a summary."))(
    demo_cmd.demo
)
app.command(
    "serve",
    help=help_text("Run the web admin (log in with a user made by `ogi user add … --password-stdin`)."),
)(serve_cmd.serve)


def main() -> None:
    setup_logging(logging.WARNING, for_reader=True)
    app()


if __name__ == "__main__":
    main()
