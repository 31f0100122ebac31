"""What every benchmark shares: the result row, its target, the sizes, and timing helpers.

A result is one figure measured beside its baseline in the same run. The ratio is always taken
in the direction its target reads (e.g. "baseline time / our time ≥ 100"), so a row says by itself
whether it passed. A row with no target only reports (its pass is always true).
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from functools import partial
from typing import Any, Literal


@dataclass(frozen=True)
class Target:
    """`on` is what the target bounds: the ratio, or the figure itself (in the figure's unit)."""

    on: Literal["ratio", "figure"]
    op: Literal[">=", "<="]
    value: float

    def met(self, figure: float, ratio: float | None) -> bool:
        x = ratio if self.on == "ratio" else figure
        if x is None:
            return False
        return x >= self.value if self.op == ">=" else x <= self.value

    def describe(self, unit: str) -> str:
        sign = "≥" if self.op == ">=" else "≤"
        return f"ratio {sign} {self.value:g}" if self.on == "ratio" else f"{sign} {self.value:,.0f} {unit}"


@dataclass
class Result:
    benchmark: str  # the group: calendar, import, transitions, report, sweep, relay, machine, ledger
    name: str  # what the figure measures
    figure: float
    unit: str
    baseline_name: str | None = None
    baseline: float | None = None
    baseline_unit: str | None = None
    ratio: float | None = None
    ratio_means: str = ""  # how the ratio is taken, e.g. "find_workday time / add_workdays time"
    target: Target | None = None
    size: str = ""  # the data it ran on, e.g. "100,000 cases"
    notes: str = ""
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def passed(self) -> bool:
        return self.target is None or self.target.met(self.figure, self.ratio)

    def to_json(self) -> dict[str, Any]:
        out = asdict(self)
        out["target"] = self.target.describe(self.unit) if self.target else None
        out["target_spec"] = asdict(self.target) if self.target else None
        out["passed"] = self.passed
        return out


@dataclass(frozen=True)
class Sizes:
    """How big each benchmark runs. `FULL` is what the issue asks for; `QUICK` is the CI smoke run."""

    calendar_pairs: int  # (start day, n) pairs timed through add_workdays
    calendar_baseline_pairs: int  # of them, timed through chinese_calendar.find_workday
    machine_events: int
    import_cases: int  # into PostgreSQL and into SQLite, through `ogi case import`
    memory_cases: int  # into PostgreSQL, for the peak memory of the import process
    transition_cases: int  # each takes 4 events, through the service and through raw SQL
    big_cases: int  # the report's and the large sweep's data set
    small_cases: int  # the small sweep's data set
    due: int  # open cases with a deadline in the sweep's window (in both sweep sets)
    waiting: int  # open cases with nothing due yet (in both sweep sets)
    relay_messages: int
    ledger_rows: int  # an organ-year's register, exported then read by `ogi ledger import`
    documents: int  # reply letters issued, and rendered by docxtpl alone
    repeats: int  # timings repeated, the median kept
    load_seconds: int  # how long the 20 caseworkers of the admin-under-load benchmark work


FULL = Sizes(
    calendar_pairs=20_000,
    calendar_baseline_pairs=2_000,
    machine_events=100_000,
    import_cases=100_000,
    memory_cases=1_000_000,
    transition_cases=500,
    big_cases=1_000_000,
    small_cases=10_000,
    due=1_000,
    waiting=3_000,
    relay_messages=2_000,
    ledger_rows=100_000,
    documents=200,
    repeats=5,
    load_seconds=60,
)

QUICK = Sizes(
    calendar_pairs=5_000,
    calendar_baseline_pairs=500,
    machine_events=10_000,
    import_cases=2_000,
    memory_cases=20_000,
    transition_cases=40,
    big_cases=20_000,
    small_cases=2_000,
    due=100,
    waiting=300,
    relay_messages=200,
    ledger_rows=2_000,
    documents=20,
    repeats=3,
    load_seconds=30,  # of which the 20 logins take a few (argon2), not counted
)


def timed(fn: Callable[[], object]) -> float:
    """Seconds one call of `fn` takes."""
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def median_time(fn: Callable[[], object], repeats: int, *, warmup: int = 1) -> float:
    """The median of `repeats` timed calls, after `warmup` untimed ones (caches, plans, imports)."""
    for _ in range(warmup):
        fn()
    return statistics.median(timed(fn) for _ in range(repeats))


def alternating(measures: Sequence[Callable[[], float]], repeats: int) -> list[float]:
    """The median of each measure (a call returning the seconds it measured), the measures taking
    turns for `repeats` rounds after one unrecorded round (caches, plans), so a burst of other work
    on the machine weighs on every side."""
    for measure in measures:
        measure()
    times: list[list[float]] = [[] for _ in measures]
    for _ in range(repeats):
        for spent, measure in zip(times, measures, strict=True):
            spent.append(measure())
    return [statistics.median(spent) for spent in times]


def interleaved(calls: Sequence[Callable[[], object]], repeats: int) -> list[float]:
    """`alternating` of the calls' whole times."""
    return alternating([partial(timed, fn) for fn in calls], repeats)


def count(n: int, what: str) -> str:
    return f"{n:,} {what}"
