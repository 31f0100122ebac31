"""Sections 三 and 四 counted in the database: one grouped query each, never a row per case.

Section 三 groups the organ's cases of the year by (applicant type, outcome) with one
conditional count per row predicate (reports.rows); at most 6 × 22 groups come back whatever
the number of cases. The 总计 row and the 总计 column are counted, not summed, so the checks
that compare them with the sums of their parts (reports.checks) can catch a case that falls
through (an unknown outcome or applicant type, a conclusion dated before the receipt).
"""

from __future__ import annotations

from sqlalchemy import and_, case, func
from sqlalchemy.sql.elements import ColumnElement
from sqlmodel import Session, col, select

from codes import APPEAL_COLUMNS, COLUMNS, OUTCOMES, ROWS, AppealKind
from models.cases import Appeal, Case
from reports import rows
from reports.scope import Scope

# the four date predicates counted per group; the outcome rows come from `concluded` by outcome
_COUNTED = ("new", "carried_in", "total", "carried_out")
_TYPE_INDEX = {t: i for i, t in enumerate(COLUMNS[:-1])}
_TOTAL = len(COLUMNS) - 1


def section3(session: Session, scope: Scope) -> dict[str, list[int]]:
    """{row key: [six applicant-type columns, 总计]} for every row key of DESIGN §5."""
    s, e = scope.start, scope.end
    counts = [func.count().filter(rows.predicate(r, s, e)) for r in _COUNTED]
    q = (
        select(col(Case.applicant_type), col(Case.outcome), *counts)
        .where(scope.cases(), rows.relevant(s, e))
        .group_by(col(Case.applicant_type), col(Case.outcome))
    )
    table = {r: [0] * len(COLUMNS) for r in ROWS}
    for applicant_type, outcome, *values in session.execute(q):
        column = _TYPE_INDEX.get(applicant_type)
        by_row = dict(zip(_COUNTED, values, strict=True))
        if outcome in OUTCOMES:
            by_row[outcome] = by_row["total"]
        for r, n in by_row.items():
            if column is not None:
                table[r][column] += n
            table[r][_TOTAL] += n
    return table


def appeals_filed(scope: Scope) -> list[ColumnElement[bool]]:
    """The scope's appeals filed in the year, through the (organ_id, filed_on) index: joined to the
    cases, the planner read every case of the organ (190 ms over 1,000,000 cases), and a per-appeal
    lookup of its case's organ still read every appeal of the year (26 ms); benchmarks/bench_report.py"""
    organ, ids = col(Appeal.organ_id), scope.organ_ids
    return [
        col(Appeal.filed_on).between(scope.start, scope.end),
        organ == ids[0] if len(ids) == 1 else organ.in_(ids),
    ]


def appeal_result(scope: Scope) -> ColumnElement[str]:
    """The result as decided by 31 December of the year, else "pending"."""
    decided_by_end = and_(col(Appeal.decided_on).is_not(None), col(Appeal.decided_on) <= scope.end)
    return case((decided_by_end, col(Appeal.result)), else_="pending")


def section4(session: Session, scope: Scope) -> dict[str, dict[str, int]]:
    """Appeals filed in the year, by kind, with their result as decided by 31 December."""
    result = appeal_result(scope)
    q = (
        select(col(Appeal.kind), result, func.count())
        .where(*appeals_filed(scope))
        .group_by(col(Appeal.kind), result)
    )
    out = {k.value: dict.fromkeys(APPEAL_COLUMNS, 0) for k in AppealKind}
    for kind, res, n in session.execute(q):
        group = out.setdefault(kind, dict.fromkeys(APPEAL_COLUMNS, 0))
        if res in group and res != "total":
            group[res] += n
        group["total"] += n
    return out
