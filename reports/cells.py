"""The cases behind one cell of section 三 or 四: the admin's click-through, and the checks' evidence."""

from __future__ import annotations

from typing import Any

from sqlalchemy.sql.elements import ColumnElement
from sqlmodel import Session, col, func, select

from codes import APPEAL_COLUMNS, COLUMNS, ROWS, AppealKind
from models.cases import Appeal, Case
from reports import rows
from reports.counting import appeal_result, appeals_filed
from reports.scope import Scope, resolve
from workflow.errors import InvalidInput


def column_filter(column: str) -> list[ColumnElement[bool]]:
    if column not in COLUMNS:
        raise InvalidInput(
            "unknown report column {column!r} ({choices})", column=column, choices=", ".join(COLUMNS)
        )
    return [] if column == "total" else [col(Case.applicant_type) == column]


def cell_query(scope: Scope, row: str, column: str) -> list[ColumnElement[bool]]:
    """The WHERE clause of one cell: the same predicates the counting uses."""
    if row not in ROWS:
        raise InvalidInput("unknown section 三 row {row!r} ({choices})", row=row, choices=", ".join(ROWS))
    s, e = scope.start, scope.end
    return [scope.cases(), rows.relevant(s, e), rows.predicate(row, s, e), *column_filter(column)]


def cases_behind(
    session: Session,
    organ_code: str,
    year: int,
    row: str,
    column: str,
    *,
    include_children: bool = False,
    offset: int = 0,
    limit: int | None = None,
) -> list[Case]:
    """The cases counted in cell (row, column) of the organ's section 三 for the year, by receipt
    date (the id breaks ties, so pages neither repeat nor skip a case); `limit` of them from `offset`."""
    scope = resolve(session, organ_code, year, include_children=include_children)
    q = select(Case).where(*cell_query(scope, row, column)).order_by(col(Case.received_on), col(Case.id))
    return list(session.exec(q.offset(offset).limit(limit)))


def count_behind(
    session: Session, organ_code: str, year: int, row: str, column: str, *, include_children: bool = False
) -> int:
    """How many cases cell (row, column) counts: the report's own number."""
    scope = resolve(session, organ_code, year, include_children=include_children)
    return int(
        session.exec(select(func.count()).select_from(Case).where(*cell_query(scope, row, column))).one()
    )


def appeals_behind(
    session: Session,
    organ_code: str,
    year: int,
    kind: str,
    column: str,
    *,
    include_children: bool = False,
    offset: int = 0,
    limit: int | None = None,
) -> list[tuple[Appeal, Case]]:
    """The appeals counted in cell (kind, column) of the organ's section 四, with their cases, by
    filing date; `limit` of them from `offset`."""
    q = appeals_query(session, organ_code, year, kind, column, include_children=include_children)
    return [(a, c) for a, c in session.exec(q.offset(offset).limit(limit))]


def count_appeals_behind(
    session: Session, organ_code: str, year: int, kind: str, column: str, *, include_children: bool = False
) -> int:
    q = appeals_query(session, organ_code, year, kind, column, include_children=include_children)
    return int(session.exec(select(func.count()).select_from(q.subquery())).one())


def appeals_query(
    session: Session, organ_code: str, year: int, kind: str, column: str, *, include_children: bool = False
) -> Any:
    """The SELECT (appeal, case) behind cell (kind, column) of section 四, ordered."""
    if kind not in AppealKind.__members__:
        raise InvalidInput(
            "unknown appeal kind {kind!r} ({choices})", kind=kind, choices=", ".join(AppealKind)
        )
    if column not in APPEAL_COLUMNS:
        raise InvalidInput(
            "unknown section 四 column {column!r} ({choices})",
            column=column,
            choices=", ".join(APPEAL_COLUMNS),
        )
    scope = resolve(session, organ_code, year, include_children=include_children)
    where = [*appeals_filed(scope), col(Appeal.kind) == kind]
    if column != "total":
        where.append(appeal_result(scope) == column)
    return (
        select(Appeal, Case)
        .join(Case, col(Case.id) == col(Appeal.case_id))
        .where(*where)
        .order_by(col(Appeal.filed_on), col(Appeal.id))
    )
