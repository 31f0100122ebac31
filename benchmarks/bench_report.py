"""report: one organ-year's report over the big generated set (1,000,000 cases, 24 bodies, 5 years).

The organ is the largest body and the year the last complete one, so the organ-year holds a
realistic few per cent of all cases, with carry-over from the year before and into the next.
The figure is `reports.build.build_report` in a read-only session, as a door calls it:

- the report in the national format: sections 三 and 四 and the identity checks
  (`timeliness=False`, as the year-end build and the admin's report list call it);
- the same with the timeliness annex, which `ogi report build` adds (durations in working
  days, event counts, and the year-end backlog replayed as it stood on 31 December): reported.

Baselines, same data, same run:

- a single hand-written GROUP BY for the section 三 matrix, as an analyst would write it against
  the tables (target: the national-format report within 1.5x of it);
- loading the organ's cases through the ORM and counting the matrix in Python (ratio reported).

Both baselines must give the report's own section 三, or the benchmark fails.
"""

from __future__ import annotations

import datetime as dt
import statistics
from typing import Any

from sqlalchemy import text
from sqlmodel import Session, select

from benchmarks.core import Result, Sizes, Target, count, median_time, timed
from benchmarks.data import Datasets
from benchmarks.generate import ORGANS, TODAY
from codes import COLUMNS, ROWS
from models.cases import Case
from models.db import read_session
from reports import counting
from reports.build import build_report
from reports.scope import resolve
from workflow.directory import get_organ

ORGAN = ORGANS[0][0]
YEAR = TODAY.year - 1

GROUP_BY = text(
    """
    SELECT applicant_type, outcome,
           count(*) FILTER (WHERE received_on BETWEEN :s AND :e) AS new,
           count(*) FILTER (WHERE received_on < :s) AS carried_in,
           count(*) FILTER (WHERE concluded_on BETWEEN :s AND :e) AS concluded,
           count(*) FILTER (WHERE concluded_on IS NULL OR concluded_on > :e) AS carried_out
    FROM "case"
    WHERE organ_id = :organ AND received_on <= :e AND (concluded_on IS NULL OR concluded_on >= :s)
    GROUP BY applicant_type, outcome
    """
)


def matrix(groups: list[tuple[Any, ...]]) -> dict[str, list[int]]:
    """Section 三 from (applicant type, outcome, new, carried in, concluded, carried out) groups."""
    table = {r: [0] * len(COLUMNS) for r in ROWS}
    index = {t: i for i, t in enumerate(COLUMNS[:-1])}
    for applicant_type, outcome, *counts in groups:
        by_row = dict(zip(("new", "carried_in", "total", "carried_out"), counts, strict=True))
        if outcome is not None:
            by_row[outcome] = by_row["total"]
        for r, n in by_row.items():
            table[r][index[applicant_type]] += n
            table[r][-1] += n
    return table


def section3_only() -> dict[str, list[int]]:
    with read_session() as session:
        return counting.section3(session, resolve(session, ORGAN, YEAR))


def hand_group_by(organ_id: int) -> dict[str, list[int]]:
    s, e = dt.date(YEAR, 1, 1), dt.date(YEAR, 12, 31)
    with read_session() as session:
        groups = session.execute(GROUP_BY, {"organ": organ_id, "s": s, "e": e}).all()
    return matrix([tuple(g) for g in groups])


def orm_count(organ_id: int) -> dict[str, list[int]]:
    """What a report written without SQL does: every case of the organ as an object, then counted."""
    s, e = dt.date(YEAR, 1, 1), dt.date(YEAR, 12, 31)
    groups: dict[tuple[str, str | None], list[int]] = {}
    with read_session() as session:
        for c in session.exec(select(Case).where(Case.organ_id == organ_id)):
            got, done = c.received_on, c.concluded_on
            if got is None or got > e or (done is not None and done < s):
                continue  # never received, not yet received, or concluded before the year
            g = groups.setdefault((c.applicant_type, c.outcome), [0, 0, 0, 0])
            g[0] += s <= got
            g[1] += got < s
            g[2] += done is not None and s <= done <= e
            g[3] += done is None or done > e
    return matrix([(t, o, *v) for (t, o), v in groups.items()])


def report(*, annex: bool) -> dict[str, Any]:
    with read_session() as session:
        return build_report(session, ORGAN, YEAR, timeliness=annex)


def _organ_id(session: Session) -> int:
    organ_id = get_organ(session, ORGAN).id
    assert organ_id is not None
    return organ_id


def run(sizes: Sizes, data: Datasets) -> list[Result]:
    big = data.big()
    with read_session() as s:
        organ_id = _organ_id(s)
        in_year = s.execute(
            text('SELECT count(*) FROM "case" WHERE organ_id = :o AND received_on BETWEEN :s AND :e'),
            {"o": organ_id, "s": dt.date(YEAR, 1, 1), "e": dt.date(YEAR, 12, 31)},
        ).scalar_one()
        organ_total = s.execute(
            text('SELECT count(*) FROM "case" WHERE organ_id = :o'), {"o": organ_id}
        ).scalar_one()
    ours = report(annex=False)["section3"]
    baselines = (("GROUP BY", hand_group_by(organ_id)), ("ORM", orm_count(organ_id)))
    differ = [name for name, matrix_ in baselines if matrix_ != ours]
    if differ:
        raise RuntimeError(f"section 三 of the report differs from the {' and '.join(differ)} baseline")
    reps = sizes.repeats
    # interleaved rounds (the first only warms caches and plans), so a burst of other work on the
    # machine falls on both sides of the ratio; the median of each is kept. The annex is timed
    # apart: it reads the histories, which would push the cases out of the cache between the two.
    rounds = [
        (timed(lambda: report(annex=False)), timed(lambda: hand_group_by(organ_id)), timed(section3_only))
        for _ in range(reps + 1)
    ]
    t_report, t_group, t_s3 = (statistics.median(ts) for ts in zip(*rounds[1:], strict=True))
    t_annex = median_time(lambda: report(annex=True), reps)
    t_orm = median_time(lambda: orm_count(organ_id), max(1, reps // 2))
    size = f"{ORGAN} {YEAR}: {in_year:,} new of {organ_total:,} organ cases, in {count(big.cases, 'cases')}"
    national, annexed = "build_report (三, 四, checks)", "build_report + timeliness annex"
    group, orm = "one hand-written GROUP BY (section 三)", "ORM load + count in Python"
    return [
        _row(
            national,
            t_report,
            group,
            t_group,
            t_report / t_group,
            "report time / GROUP BY time",
            size,
            target=Target("ratio", "<=", 1.5),
            notes="the GROUP BY's matrix equals the report's section 三",
        ),
        _row(
            "reports.counting.section3 alone",
            t_s3,
            group,
            t_group,
            t_s3 / t_group,
            "section 三 time / GROUP BY time",
            size,
            notes="where the report's time goes: the rest is section 四 and the checks",
        ),
        _row(
            national,
            t_report,
            orm,
            t_orm,
            t_orm / t_report,
            "ORM time / report time",
            size,
            notes=f"loads {organ_total:,} Case objects; its matrix equals the report's section 三",
        ),
        _row(
            annexed,
            t_annex,
            group,
            t_group,
            t_annex / t_group,
            "report-with-annex time / GROUP BY time",
            size,
            notes="what `ogi report build` computes; the annex is outside the national format",
        ),
    ]


def _row(
    name: str,
    seconds: float,
    baseline_name: str,
    baseline: float,
    ratio: float,
    means: str,
    size: str,
    *,
    target: Target | None = None,
    notes: str = "",
) -> Result:
    return Result(
        benchmark="report",
        name=name,
        figure=seconds * 1e3,
        unit="ms",
        baseline_name=baseline_name,
        baseline=baseline * 1e3,
        baseline_unit="ms",
        ratio=ratio,
        ratio_means=means,
        target=target,
        size=size,
        notes=notes,
    )
