"""`ogi db`: create or migrate the schema, and seed the official calendar."""

from __future__ import annotations

import typer

from cli.output import console
from cli.params import help_text
from config.i18n import _
from workflow.recompute import upgrade_database

app = typer.Typer(help=help_text("The database schema."), no_args_is_help=True)


@app.command(
    help=help_text("Create or migrate the schema (Alembic), then add any official calendar year it lacks.")
)
def upgrade() -> None:
    before, after, years = upgrade_database()
    if before is None:
        state = _("created")
    else:
        state = _("up to date") if before == after else _("migrated from {before}", before=before)
    console.print(_("database {state} at revision {after}", state=state, after=after))
    if years:
        console.print(_("official calendar seeded for {years}–{years2}", years=years[0], years2=years[-1]))
