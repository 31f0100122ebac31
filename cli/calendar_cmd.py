"""`ogi calendar`: the official working-day calendar."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from cli.output import console, print_json, weekday
from cli.params import JsonFlag, help_text, to_date
from codes.labels import FieldName
from config.i18n import _
from models.db import session_scope
from workflow import calendar as wcal
from workflow.access import actor_for
from workflow.bounds import check_count, check_year
from workflow.calendar_store import read_arrangement, year_listing
from workflow.recompute import import_arrangement

app = typer.Typer(help=help_text("Working days, holidays and make-up working days."), no_args_is_help=True)


@app.command("add-workdays", help=help_text("Print the n-th working day strictly after DATE."))
def add_workdays(
    date: Annotated[str, typer.Argument(help=help_text("Start date, YYYY-MM-DD (not counted)."))],
    # named `days` so a refusal names it by its label (工作日数), shown as N in the usage line
    days: Annotated[int, typer.Argument(metavar="N", help=help_text("Working days to add (>= 0)."))],
    json_: JsonFlag = False,
) -> None:
    start = to_date(date, "DATE")
    assert start is not None
    check_count(days, FieldName.named("days"))
    cal = wcal.default_calendar()
    result = cal.add_workdays(start, days)
    provisional = cal.provisional(start, result)
    if json_:
        print_json(
            {
                "date": result.isoformat(),
                "start": start.isoformat(),
                "workdays": days,
                "provisional": provisional,
            }
        )
    else:
        note = (
            _(" (provisional: no official holiday data for part of this span; weekends only)")
            if provisional
            else ""
        )
        print(f"{result.isoformat()}{note}")


@app.command("show", help=help_text("Print a year's holidays and make-up working days."))
def show(year: int, json_: JsonFlag = False) -> None:
    check_year(year)
    with session_scope() as s:
        data = year_listing(s, year)
    if json_:
        print_json(data)
        return
    if not data["official"]:
        console.print(
            _(
                "{year}: no official arrangement; deadlines in {year} count weekends only (provisional)",
                year=year,
            )
        )
        return
    console.print(_("{year} — {data}", year=year, data=data["source"]))
    table = Table(_("Date"), _("Weekday"), _("Kind"), _("Name"))
    rows = sorted(
        [
            *((d, _("holiday")) for d in data["holidays"]),
            *((d, _("make-up working day")) for d in data["workdays"]),
        ],
        key=lambda x: x[0]["date"],
    )
    for d, kind in rows:
        day = dt.date.fromisoformat(d["date"])
        table.add_row(d["date"], weekday(day), kind, d["name"])
    console.print(table)


@app.command(
    "import",
    help=help_text("Load a year's State Council holiday arrangement and recompute affected open cases."),
)
def import_(
    file: Annotated[Path, typer.Argument(help=help_text("A year's arrangement (YAML; see README)."))],
    as_user: Annotated[str | None, typer.Option("--as")] = None,
    json_: JsonFlag = False,
) -> None:
    arrangement = read_arrangement(file)
    try:
        with session_scope() as s:
            actor = actor_for(s, as_user)
            result = import_arrangement(s, arrangement, actor=actor.name)
    finally:
        wcal.reset_default_calendar()  # reload from what was committed (or not)
    summary = {
        "year": arrangement.year,
        "holidays": len(arrangement.holidays),
        "workdays": len(arrangement.workdays),
        "cases_checked": result.checked,
        "cases_changed": result.changed,
        "cases_failed": result.failed,
        "cases_flagged": result.attention,
        "recomputed_from": result.first_day.isoformat() if result.first_day else None,
    }
    if json_:
        print_json(summary)
        return
    console.print(
        _(
            "{year}: holidays {value}, make-up working days {value2}; deadlines recomputed: {value3} "
            "of {checked} cases",
            year=arrangement.year,
            value=len(arrangement.holidays),
            value2=len(arrangement.workdays),
            value3=len(result.changed),
            checked=result.checked,
        )
    )
    for line in result.failed:
        console.print(_("[yellow]needs a person:[/] {line}", line=line))
    for ref in result.attention:
        console.print(_("[yellow]needs a supervisor:[/] {ref} (ogi case list --attention)", ref=ref))
