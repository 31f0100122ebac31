"""`ogi db`: create or migrate the schema, and seed the official calendar."""

from __future__ import annotations

import typer

from cli.output import console
from workflow.recompute import upgrade_database

app = typer.Typer(help="The database schema.", no_args_is_help=True)


@app.command()
def upgrade() -> None:
    """Create or migrate the schema (Alembic), then add any official calendar year it lacks."""
    before, after, years = upgrade_database()
    state = "created" if before is None else ("up to date" if before == after else f"migrated from {before}")
    console.print(f"database {state} at revision {after}")
    if years:
        console.print(f"official calendar seeded for {years[0]}–{years[-1]}")
