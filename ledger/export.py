"""`ogi ledger export` and the admin's download: an organ's ledger of a year as an XLSX workbook.

One row per case received in the year or open during it (a case received earlier and concluded in
the year, or still open, is listed too), in order of receipt; a second sheet lists the appeals
against those cases. Cases are read in batches with their histories, so memory stays flat.
"""

from __future__ import annotations

import datetime as dt
import io
from collections import defaultdict
from collections.abc import Callable, Iterator, Sequence
from typing import IO, Any

from openpyxl import Workbook
from sqlalchemy import and_, func, or_
from sqlalchemy import select as sa_select
from sqlmodel import Session, select

from codes import APPEAL_COLUMN_LABELS, APPEAL_KIND_LABELS
from ledger import columns as c
from ledger.cells import Cell, case_row
from ledger.sheet import write_sheet
from models.cases import Appeal, Case, CaseEvent
from models.organs import User
from reports.scope import Scope
from workflow import clock
from workflow.access import Actor
from workflow.applicants import identity_numbers
from workflow.errors import PermissionDenied

BATCH = 2000
_CASES = Case.__table__  # type: ignore[attr-defined]
_EVENTS = CaseEvent.__table__  # type: ignore[attr-defined]
_APPEALS = Appeal.__table__  # type: ignore[attr-defined]


def _first_day() -> Any:
    return func.coalesce(_CASES.c.received_on, _CASES.c.submitted_on)


def in_ledger(scope: Scope) -> Any:
    """Received (or, not yet received, submitted) by 31 December, and received in the year or not
    concluded before 1 January."""
    first, concluded = _first_day(), _CASES.c.concluded_on
    return and_(
        _CASES.c.organ_id.in_(scope.organ_ids),
        first <= scope.end,
        or_(first >= scope.start, concluded.is_(None), concluded >= scope.start),
    )


def _batches(session: Session, scope: Scope) -> Iterator[Sequence[Any]]:
    q = sa_select(_CASES).where(in_ledger(scope)).order_by(_first_day(), _CASES.c.ref)
    yield from session.execute(q.execution_options(yield_per=BATCH)).partitions()


def histories(session: Session, ids: list[int]) -> dict[int, list[Any]]:
    q = sa_select(_EVENTS).where(_EVENTS.c.case_id.in_(ids)).order_by(_EVENTS.c.case_id, _EVENTS.c.seq)
    out: dict[int, list[Any]] = defaultdict(list)
    for h in session.execute(q):
        out[h.case_id].append(h)
    return out


def case_rows(
    session: Session, scope: Scope, *, full: bool, today: dt.date, refs: list[tuple[int, str]] | None = None
) -> Iterator[list[Cell]]:
    """The rows of the case sheet, in order of receipt; `refs` collects (id, ref) of the cases."""
    users: dict[int | None, str] = dict(session.exec(select(User.id, User.name)).all())
    n = 0
    for batch in _batches(session, scope):
        ids = [r.id for r in batch]
        stored, numbers = histories(session, ids), identity_numbers(session, ids)
        for case in batch:
            n += 1
            if refs is not None:
                refs.append((case.id, case.ref))
            name = users.get(case.assignee_id) if case.assignee_id else None
            number = numbers.get(case.id)
            yield case_row(n, case, stored[case.id], name, today=today, full=full, identity_number=number)


def appeal_rows(session: Session, refs: list[tuple[int, str]]) -> Iterator[list[Cell]]:
    """The appeals against the listed cases, in order of the case sheet, then of filing."""
    n = 0
    by_id = dict(refs)
    ids = list(by_id)
    for i in range(0, len(ids), BATCH):
        chunk = ids[i : i + BATCH]
        q = sa_select(_APPEALS).where(_APPEALS.c.case_id.in_(chunk))
        order = {cid: k for k, cid in enumerate(chunk)}
        for a in sorted(session.execute(q), key=lambda a: (order[a.case_id], a.filed_on, a.id)):
            n += 1
            yield [
                n,
                by_id[a.case_id],
                APPEAL_KIND_LABELS[a.kind],
                a.filed_on,
                APPEAL_COLUMN_LABELS[a.result] if a.result else "",
                a.decided_on,
            ]


def title(scope: Scope) -> str:
    children = "（含下级机关）" if scope.include_children else ""
    return f"{scope.organ.name}{children}{scope.year}年政府信息公开申请办理台账"


def full_numbers_allowed(actor: Actor, organ_id: int, *, include_children: bool) -> bool:
    """Whether the ledger may list identity numbers in full for this actor: never in a roll-up
    (its rows are the applicants of the organs below too; not even for the operator), else to whom
    a case shows them (`Actor.sees_identity_numbers`: the operator, or a user of the organ). Every
    door asks this."""
    if include_children:
        return False
    return actor.user is None or actor.sees_identity_numbers(organ_id)


def require_full_numbers(actor: Actor, scope: Scope) -> None:
    if scope.include_children:
        raise PermissionDenied(
            "a ledger with the organs below (a roll-up) never lists identity numbers in full: "
            "export it masked, or each organ's own ledger"
        )
    if not full_numbers_allowed(actor, scope.organ_id, include_children=False):
        raise PermissionDenied(
            "{user} may not export unmasked identity numbers: only a user of the organ may", user=actor.name
        )


def write_ledger(
    session: Session,
    scope: Scope,
    out: IO[bytes],
    *,
    actor: Actor,
    full: bool = False,
    today: dt.date | None = None,
    progress: Callable[[int], None] | None = None,
) -> int:
    """Write the workbook to `out`; returns the number of cases. Identity numbers are masked;
    `full` asks for them unmasked, which `actor` may be refused (PermissionDenied, before a byte
    is written)."""
    if full:
        require_full_numbers(actor, scope)
    wb = Workbook(write_only=True)
    refs: list[tuple[int, str]] = []
    rows = case_rows(session, scope, full=full, today=today or clock.today(), refs=refs)
    if progress is not None:
        rows = _counted(rows, progress)
    name = title(scope)
    n = write_sheet(wb, c.CASES_SHEET, c.HEADERS, rows, title=name, frozen=2)
    write_sheet(wb, c.APPEALS_SHEET, c.APPEAL_HEADERS, appeal_rows(session, refs), title=name, frozen=2)
    wb.save(out)
    return n


def ledger_bytes(session: Session, scope: Scope, *, actor: Actor, full: bool = False) -> bytes:
    out = io.BytesIO()
    write_ledger(session, scope, out, actor=actor, full=full)
    return out.getvalue()


def _counted(rows: Iterator[list[Cell]], progress: Callable[[int], None]) -> Iterator[list[Cell]]:
    for row in rows:
        progress(1)
        yield row
