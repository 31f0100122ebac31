"""sweep: the deadline sweep over 1,000,000 cases with 1,000 due, against 10,000 cases with 1,000 due.

Both sets hold the same recent tail (benchmarks.generate), so the sweep of `today` has the very
same due cases to handle in each — lapses of ended consultations, overdue escalations, reminders —
and only the number of other cases differs. The sweep selects through the indexed deadline
columns (DESIGN §7), so its cost must follow the due cases, not all cases: target at most 2x.

Each sweep runs in a transaction that is rolled back, so every repeat sees the data as generated;
the two sizes alternate, and the median of the repeats is kept.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from sqlmodel import Session

from benchmarks.core import Result, Sizes, Target, alternating, count
from benchmarks.data import DataSet, Datasets
from benchmarks.databases import Postgres
from benchmarks.generate import TODAY
from models.db import get_engine
from workflow.sweep import SweepResult, sweep


def sweep_once(data: DataSet) -> tuple[float, SweepResult]:
    """One sweep of TODAY over the set, rolled back afterwards; the seconds of the sweep alone."""
    data.use()
    with Session(get_engine(), expire_on_commit=False) as s:
        try:
            start = time.perf_counter()
            result = sweep(s, today=TODAY)
            s.flush()
            return time.perf_counter() - start, result
        finally:
            s.rollback()


def run(sizes: Sizes, pg: Postgres, data: Datasets) -> list[Result]:
    small, big = data.small(), data.big()
    found: dict[str, SweepResult] = {}

    def sweeping(name: str, d: DataSet) -> Callable[[], float]:
        def measure() -> float:
            seconds, found[name] = sweep_once(d)
            return seconds

        return measure

    t_small, t_big = alternating([sweeping("small", small), sweeping("big", big)], sizes.repeats)
    if found["small"].cases != found["big"].cases:
        raise RuntimeError(
            f"the two sets should hold the same due cases; the sweep found {found['small'].cases} "
            f"and {found['big'].cases}"
        )
    for name, result in found.items():
        if result.skipped:
            raise RuntimeError(f"the sweep of the {name} set skipped cases: {result.skipped[:3]}")
    r = found["big"]
    return [
        Result(
            benchmark="sweep",
            name=f"sweep of {TODAY}, {count(big.cases, 'cases')}",
            figure=t_big * 1e3,
            unit="ms",
            baseline_name=f"the same sweep, {count(small.cases, 'cases')}",
            baseline=t_small * 1e3,
            baseline_unit="ms",
            ratio=t_big / t_small,
            ratio_means="large-set time / small-set time",
            target=Target("ratio", "<=", 2),
            size=count(r.cases, "due cases in each set") + f" (the generator drew {sizes.due:,})",
            notes=(
                f"each sweep: {len(r.lapsed)} lapsed, {len(r.became_overdue)} became overdue, "
                f"{r.queued} reminders queued, {r.cancelled} cancelled"
            ),
        )
    ]
