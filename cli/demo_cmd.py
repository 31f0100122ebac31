"""`ogi demo`: a sample organ with a year of varied cases, in the configured database.

The building is demo.build's; this command only reads its options and prints each step."""

from __future__ import annotations

from typing import Annotated

import typer

from cli.output import console, label
from cli.params import help_text
from cli.report_cmd import print_matrix
from config.i18n import _
from demo import build
from demo.build import DEMO_ORGAN
from workflow import clock
from workflow.recompute import upgrade_database


def demo(
    cases: Annotated[
        int, typer.Option("--cases", help=help_text("Cases received in the sample year."))
    ] = 240,
    seed: Annotated[int, typer.Option("--seed")] = 2024,
) -> None:
    upgrade_database()  # schema and official calendar, as `ogi db upgrade`
    today = clock.today()
    year = today.year - 1
    imported = build.import_sample(cases=cases, seed=seed, today=today)
    result = imported.result
    console.print(
        _(
            "demo organ {DEMO_ORGAN!r}: {cases} cases ({events} events) in {year}–{year2}",
            DEMO_ORGAN=DEMO_ORGAN,
            cases=result.cases,
            events=result.events,
            year=year,
            year2=today.year,
        )
    )
    for state, n in sorted(imported.states.items()):
        console.print("  " + _("{name}: {value}", name=label("state", state), value=n))
    swept = build.sweep_today(today)
    console.print(
        _(
            "deadline sweep {today}: {queued} reminders queued (ogi outbox relay sends them), {value} "
            "became overdue, {value2} periods lapsed",
            today=today,
            queued=swept.queued,
            value=len(swept.became_overdue),
            value2=len(swept.lapsed),
        )
    )
    closed = build.close_sample_year(year)
    print_matrix(closed.report)
    console.print(
        _(
            "closed {year} for {DEMO_ORGAN!r} (version {version}); the document: ogi report build --organ "
            "{DEMO_ORGAN} --year {year} --format docx",
            year=year,
            DEMO_ORGAN=DEMO_ORGAN,
            version=closed.seal.version,
        )
    )
