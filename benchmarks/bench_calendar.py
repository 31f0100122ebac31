"""calendar: `workflow.calendar.add_workdays` against `chinese_calendar.find_workday` (issue 2, 6).

Both are given the same (start day, n) pairs, start days being working days: for a non-working
start day find_workday first moves to a working day, which our rule (the n-th working day
strictly after d, DESIGN §4) does not, so only working start days have the same answer. Every
pair timed through find_workday is also compared; any difference fails the row.
"""

from __future__ import annotations

import datetime as dt
import random

import chinese_calendar

from benchmarks.core import Result, Sizes, Target, count, timed
from workflow.calendar import WorkCalendar, package_data


def pairs(n: int, seed: int = 2) -> list[tuple[dt.date, int]]:
    rng = random.Random(seed)
    out: list[tuple[dt.date, int]] = []
    while len(out) < n:
        d = dt.date(2005, 1, 1) + dt.timedelta(days=rng.randrange(7_900))
        k = rng.randint(1, 40)
        # find_workday looks only at days it has data for: stay well inside 2005–2026
        if chinese_calendar.is_workday(d) and d + dt.timedelta(days=2 * k + 30) < dt.date(2026, 12, 1):
            out.append((d, k))
    return out


def run(sizes: Sizes) -> list[Result]:
    # the package's official data, as `ogi db upgrade` seeds it: the same data find_workday reads
    cal = WorkCalendar(package_data())
    ps = pairs(sizes.calendar_pairs)
    base = ps[: sizes.calendar_baseline_pairs]
    add = cal.add_workdays
    ours = min(timed(lambda: [add(d, n) for d, n in ps]) for _ in range(3)) / len(ps)
    find = chinese_calendar.find_workday
    theirs = min(timed(lambda: [find(n, d) for d, n in base]) for _ in range(2)) / len(base)
    differ = [(d, n) for d, n in base if add(d, n) != find(n, d)]
    ratio = theirs / ours
    notes = f"{len(base) - len(differ):,}/{len(base):,} identical results"
    if differ:
        d, n = differ[0]
        notes += f"; first difference: ({d}, {n}) gives {add(d, n)} vs {find(n, d)}"
    return [
        Result(
            benchmark="calendar",
            name="add_workdays",
            figure=ours * 1e6,
            unit="µs/call",
            baseline_name="chinese_calendar.find_workday",
            baseline=theirs * 1e6,
            baseline_unit="µs/call",
            # a difference is a failure whatever the speed
            ratio=ratio if not differ else 0.0,
            ratio_means="find_workday time / add_workdays time",
            target=Target("ratio", ">=", 100),
            size=count(len(ps), "pairs") + f" ({len(base):,} through find_workday)",
            notes=notes,
        )
    ]
