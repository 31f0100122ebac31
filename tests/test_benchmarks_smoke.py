"""The benchmark data and the runner's verdicts (the CI smoke run times them; this checks them).

The sweep and report benchmarks are only meaningful if the generated data is what the engine
would hold and the due cases are exactly those the sweep finds; the runner must fail a full run
that misses a target but only report a miss at quick sizes.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from contextlib import nullcontext
from pathlib import Path

import pytest
from sqlmodel import col, func, select

from benchmarks.__main__ import main
from benchmarks.core import Result, Target, alternating
from benchmarks.databases import sqlite_database, use_database
from benchmarks.generate import TODAY, Spec, write_database
from codes import OUTCOMES, ApplicantType, State
from models.cases import Case
from models.db import session_scope
from workflow.sweep import sweep

SPEC = Spec(cases=3_000, due=40, waiting=120)


def test_generated_cases_import_cleanly_and_cover_every_state_outcome_and_type(sqlite_db: str) -> None:
    tally = write_database(SPEC)  # through the engine's importer: an invalid history would raise
    with session_scope() as s:
        assert s.exec(select(func.count()).select_from(Case)).one() == SPEC.cases
        states = set(s.exec(select(Case.state).distinct()))
        outcomes = set(s.exec(select(Case.outcome).where(col(Case.outcome).is_not(None)).distinct()))
        types = set(s.exec(select(Case.applicant_type).distinct()))
        organs = s.exec(select(func.count(func.distinct(Case.organ_id)))).one()
    assert states == {x.value for x in State}
    assert outcomes == set(OUTCOMES)
    assert types == {x.value for x in ApplicantType}
    assert organs >= 20
    assert tally.open_due == SPEC.due and tally.open_waiting == SPEC.waiting


def test_sweep_sets_of_different_sizes_hold_the_same_due_cases(sqlite_db: str) -> None:
    """What makes the sweep benchmark's two sizes comparable: only the number of other cases differs."""
    found = []
    for url, cases in ((sqlite_db, 600), (None, 3_000)):
        with sqlite_database() if url is None else nullcontext(url) as db:
            use_database(db)
            write_database(Spec(cases=cases, due=SPEC.due, waiting=SPEC.waiting))
            with session_scope() as s:
                result = sweep(s, today=TODAY)
            assert not result.skipped
            found.append(result.cases)
    assert found[0] == found[1] >= SPEC.due


def test_a_row_passes_when_its_target_is_met_and_a_row_without_a_target_only_reports() -> None:
    miss = Result(benchmark="x", name="y", figure=1.0, unit="s", ratio=3.0, target=Target("ratio", "<=", 2))
    met = Result(benchmark="x", name="y", figure=1.0, unit="s", ratio=1.0, target=Target("ratio", "<=", 2))
    reported = Result(benchmark="x", name="y", figure=1.0, unit="s", ratio=9.0)
    assert (miss.passed, met.passed, reported.passed) == (False, True, True)


@pytest.mark.parametrize(("mode", "status"), [(["--quick"], 0), ([], 1)])
def test_the_runner_exits_non_zero_on_a_miss_only_at_full_size(
    mode: list[str], status: int, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from benchmarks import bench_calendar

    real = bench_calendar.run

    def impossible(sizes):  # the real measurement, held to a target no calendar can meet
        rows = real(sizes)
        for r in rows:
            r.target = Target("ratio", ">=", 1e12)
        return rows

    monkeypatch.setattr(bench_calendar, "run", impossible)
    out = tmp_path / "results.json"
    assert main([*mode, "--only", "calendar", "--output", str(out)]) == status
    doc = json.loads(out.read_text())
    assert doc["passed"] is False
    assert [r["benchmark"] for r in doc["results"]] == ["calendar"]
    assert doc["machine"]["cores"] >= 1


def test_two_measured_sides_take_turns_after_one_unrecorded_round_and_each_keeps_its_median() -> None:
    order: list[str] = []
    seconds = iter([9.0, 9.0, 1.0, 2.0, 3.0, 4.0, 5.0, 6.0])  # the first round (9, 9) warms up

    def side(name: str) -> Callable[[], float]:
        def measure() -> float:
            order.append(name)
            return next(seconds)

        return measure

    assert alternating([side("a"), side("b")], 3) == [3.0, 4.0]
    assert order == ["a", "b"] * 4
