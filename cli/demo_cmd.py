"""`ogi demo`: a sample organ with a year of varied cases, in the configured database.

The building is demo.build's; this command only reads its options and prints each step."""

from __future__ import annotations

from typing import Annotated

import typer

from cli.output import console
from cli.report_cmd import print_matrix
from codes import STATE_LABELS
from demo import build
from demo.build import DEMO_ORGAN
from workflow import clock
from workflow.recompute import upgrade_database


def demo(
    cases: Annotated[int, typer.Option("--cases", help="Cases received in the sample year.")] = 240,
    seed: Annotated[int, typer.Option("--seed")] = 2024,
) -> None:
    """Build a sample organ with a year of varied cases and print a summary."""
    upgrade_database()  # schema and official calendar, as `ogi db upgrade`
    today = clock.today()
    year = today.year - 1
    imported = build.import_sample(cases=cases, seed=seed, today=today)
    result = imported.result
    console.print(
        f"demo organ {DEMO_ORGAN!r}: {result.cases} cases ({result.events} events) in {year}–{today.year}"
    )
    for state, n in sorted(imported.states.items()):
        console.print(f"  {STATE_LABELS[state]}: {n}")
    swept = build.sweep_today(today)
    console.print(
        f"deadline sweep {today}: {swept.queued} reminders queued (ogi outbox relay sends them), "
        f"{len(swept.became_overdue)} became overdue, {len(swept.lapsed)} periods lapsed"
    )
    closed = build.close_sample_year(year)
    print_matrix(closed.report)
    console.print(
        f"closed {year} for {DEMO_ORGAN!r} (version {closed.seal.version}); the document: "
        f"ogi report build --organ {DEMO_ORGAN} --year {year} --format docx"
    )
