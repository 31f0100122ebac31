"""`ogi demo`: a sample organ with a year of varied cases, in the configured database."""

from __future__ import annotations

import datetime as dt
import json
import random
from pathlib import Path
from typing import Annotated

import typer
from sqlmodel import col, func, select

import reports
from cli.output import console, label
from cli.params import help_text
from cli.report_cmd import print_matrix
from config.i18n import _
from demo.samples import sample_year
from models.cases import Case
from models.db import session_scope
from models.migrate import upgrade as migrate
from reports.closing import close_year
from reports.inputs import read_inputs_file, save_inputs
from reports.seal import sealed_report
from workflow import clock, sweep
from workflow.access import Actor, actor_for
from workflow.calendar import default_calendar, reset_default_calendar
from workflow.directory import add_organ, add_user
from workflow.errors import RuleViolation
from workflow.importer import Importer
from workflow.recompute import seed_calendar

DEMO_ORGAN = "demo"


def demo(
    cases: Annotated[
        int, typer.Option("--cases", help=help_text("Cases received in the sample year."))
    ] = 240,
    seed: Annotated[int, typer.Option("--seed")] = 2024,
) -> None:
    """Build a sample organ with a year of varied cases and print a summary."""
    migrate()
    try:
        with session_scope() as s:
            seed_calendar(s)
    finally:
        reset_default_calendar()
    today = clock.today()
    year = today.year - 1
    with session_scope() as s:
        if s.exec(select(Case.id).where(col(Case.ref).startswith("DEMO-"))).first():
            raise RuleViolation("the demo data is already in this database; use a fresh folder or database")
        add_organ(s, code=DEMO_ORGAN, name="示范区人民政府办公室")
        add_user(
            s, name="demo-caseworker", organ=DEMO_ORGAN, role="caseworker", email="caseworker@demo.invalid"
        )
        add_user(
            s, name="demo-supervisor", organ=DEMO_ORGAN, role="supervisor", email="supervisor@demo.invalid"
        )
        rng = random.Random(seed)
        lines = [
            *sample_year(
                default_calendar(),
                rng,
                organ=DEMO_ORGAN,
                year=year,
                n=cases,
                today=today,
                assignees=["demo-caseworker"],
            ),
            *sample_year(
                default_calendar(),
                rng,
                organ=DEMO_ORGAN,
                year=today.year,
                n=cases // 4,
                today=today,
                assignees=["demo-caseworker"],
            ),
        ]
        result = Importer(s, actor=Actor("demo")).run(json.dumps(x, ensure_ascii=False) for x in lines)
        states = dict(s.exec(select(Case.state, func.count()).group_by(col(Case.state))).all())
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
    for state, n in sorted(states.items()):
        console.print(f"  {label('state', state)}: {n}")
    sweep_demo(today)
    close_demo_year(year)


def sweep_demo(today: dt.date) -> None:
    """The deadline sweep as the scheduler would run it today (before the close: a consultation
    that ended last year lapses in last year)."""
    with session_scope() as s:
        result = sweep.sweep(s, today=today)
    console.print(
        _(
            "deadline sweep {today}: {queued} reminders queued (ogi outbox relay sends them), {value} "
            "became overdue, {value2} periods lapsed",
            today=today,
            queued=result.queued,
            value=len(result.became_overdue),
            value2=len(result.lapsed),
        )
    )


def close_demo_year(year: int) -> None:
    """Supply the year's report inputs, close the year as the demo supervisor, print the matrix."""
    inputs = read_inputs_file(Path(reports.__file__).with_name("example-inputs.yaml"))
    with session_scope() as s:
        supervisor = actor_for(s, "demo-supervisor")
        save_inputs(s, DEMO_ORGAN, year, inputs, actor=supervisor)
        seal = close_year(s, DEMO_ORGAN, year, actor=supervisor)
        report = sealed_report(seal)
    print_matrix(report)
    console.print(
        _(
            "closed {year} for {DEMO_ORGAN!r} (version {version}); the document: ogi report build --organ "
            "{DEMO_ORGAN} --year {year} --format docx",
            year=year,
            DEMO_ORGAN=DEMO_ORGAN,
            version=seal.version,
        )
    )
