"""`ogi demo`'s sample organ: a year of varied cases imported through the service, the deadline
sweep of today, and the year closed with its report. The CLI (cli/demo_cmd.py) prints each step."""

from __future__ import annotations

import datetime as dt
import json
import random
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlmodel import Session, col, func, select

import reports
from config.i18n import _
from demo.samples import sample_year
from models.cases import Case
from models.db import session_scope
from models.reports import ReportSnapshot
from reports.closing import close_year
from reports.inputs import read_inputs_file, save_inputs
from reports.seal import sealed_report
from workflow import sweep
from workflow.access import Actor, actor_for
from workflow.calendar import default_calendar
from workflow.directory import add_organ, add_user
from workflow.errors import RuleViolation
from workflow.importer import Importer, ImportResult

DEMO_ORGAN = "demo"
CASEWORKER, SUPERVISOR = "demo-caseworker", "demo-supervisor"


@dataclass(frozen=True)
class Imported:
    """The sample cases as imported: the import's counts and the cases per state."""

    result: ImportResult
    states: dict[str, int]


@dataclass(frozen=True)
class Closed:
    """The closed sample year: its seal and the sealed report (the matrix the CLI prints)."""

    seal: ReportSnapshot
    report: dict[str, Any]


def import_sample(*, cases: int, seed: int, today: dt.date) -> Imported:
    """The demo organ, its two users and `cases` cases received last year (and a quarter as many
    this year), imported in one transaction. RuleViolation when the demo data is already there."""
    with session_scope() as s:
        if s.exec(select(Case.id).where(col(Case.ref).startswith("DEMO-"))).first():
            raise RuleViolation(
                _("the demo data is already in this database; use a fresh folder or database")
            )
        add_organ(s, code=DEMO_ORGAN, name="示范区人民政府办公室")
        add_user(s, name=CASEWORKER, organ=DEMO_ORGAN, role="caseworker", email="caseworker@demo.invalid")
        add_user(s, name=SUPERVISOR, organ=DEMO_ORGAN, role="supervisor", email="supervisor@demo.invalid")
        rng = random.Random(seed)
        lines = [
            *_sample(rng, year=today.year - 1, n=cases, today=today),
            *_sample(rng, year=today.year, n=cases // 4, today=today),
        ]
        result = Importer(s, actor=Actor("demo")).run(json.dumps(x, ensure_ascii=False) for x in lines)
        return Imported(result, _states(s))


def _sample(rng: random.Random, *, year: int, n: int, today: dt.date) -> Iterator[dict[str, Any]]:
    return sample_year(
        default_calendar(), rng, organ=DEMO_ORGAN, year=year, n=n, today=today, assignees=[CASEWORKER]
    )


def _states(s: Session) -> dict[str, int]:
    return dict(s.exec(select(Case.state, func.count()).group_by(col(Case.state))).all())


def sweep_today(today: dt.date) -> sweep.SweepResult:
    """The deadline sweep as the scheduler would run it today (before the close: a consultation
    that ended last year lapses in last year)."""
    with session_scope() as s:
        return sweep.sweep(s, today=today)


def close_sample_year(year: int) -> Closed:
    """Supply the year's report inputs and close the year as the demo supervisor."""
    inputs = read_inputs_file(Path(reports.__file__).with_name("example-inputs.yaml"))
    with session_scope() as s:
        supervisor = actor_for(s, SUPERVISOR)
        save_inputs(s, DEMO_ORGAN, year, inputs, actor=supervisor)
        seal = close_year(s, DEMO_ORGAN, year, actor=supervisor)
        return Closed(seal, sealed_report(seal))
