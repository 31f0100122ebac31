"""The timeliness annex: how fast the year's applications were handled (issue 3 item 6).

Nothing in the national format measures this; managers ask for it. Durations are counted in
working days on the official calendar, grouped by (receipt, conclusion) date pair in the
database, so the cost follows the number of distinct date pairs, not of cases.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from itertools import groupby
from statistics import fmean
from typing import Any

from sqlalchemy import and_, not_, or_
from sqlmodel import Session, col, func, select

from codes import State
from models.cases import Case, CaseEvent
from reports import rows
from reports.scope import Scope
from workflow.calendar import WorkCalendar
from workflow.machine import CaseRecord, is_overdue
from workflow.replay import steps
from workflow.service import new_flow

# events counted in the annex, by the key the JSON gives them
COUNTED_EVENTS: dict[str, str] = {
    "extensions": "extend",
    "consultations": "consult",
    "corrections": "request_correction",
    "fee_notices": "notify_fee",
}
OLDEST = 10
_BATCH = 500


def timeliness(session: Session, scope: Scope, cal: WorkCalendar) -> dict[str, Any]:
    concluded, late, durations = _durations(session, scope, cal)
    backlog = _backlog(session, scope)
    return {
        "concluded": concluded,
        "workdays_to_conclusion": _stats(durations),
        "on_time": concluded - late,
        "late": late,
        "on_time_rate": round((concluded - late) / concluded, 4) if concluded else None,
        **_event_counts(session, scope),
        "pending_at_year_end": backlog.pending,
        "overdue_at_year_end": backlog.overdue,
        "oldest_pending": [_pending_json(row, then, scope, cal) for row, then in backlog.oldest],
    }


def _pending_json(row: Case, then: CaseRecord, scope: Scope, cal: WorkCalendar) -> dict[str, Any]:
    assert row.received_on is not None  # carried out: received by 31 December
    return {
        "ref": row.ref,
        "applicant_type": row.applicant_type,
        "received_on": row.received_on.isoformat(),
        "state_at_year_end": then.state,
        "reply_due_at_year_end": then.reply_due.isoformat() if then.reply_due else None,
        "workdays_pending": cal.workdays_between(row.received_on, scope.end),
        "overdue_at_year_end": is_overdue(then, scope.end + dt.timedelta(days=1)),
    }


def _durations(session: Session, scope: Scope, cal: WorkCalendar) -> tuple[int, int, list[tuple[int, int]]]:
    """(cases concluded, of which late, [(working days, cases)])."""
    received, concluded = col(Case.received_on), col(Case.concluded_on)
    q = (
        select(received, concluded, func.count(), func.count().filter(col(Case.late)))
        .where(scope.cases(), rows.concluded_in(scope.start, scope.end))
        .group_by(received, concluded)
    )
    total = late = 0
    durations: dict[int, int] = {}
    for r, c, n, n_late in session.execute(q):
        wd = cal.workdays_between(r, c)
        durations[wd] = durations.get(wd, 0) + n
        total, late = total + n, late + n_late
    return total, late, sorted(durations.items())


def _stats(durations: Sequence[tuple[int, int]]) -> dict[str, float | int | None]:
    n = sum(count for _, count in durations)
    if not n:
        return {"median": None, "mean": None, "min": None, "max": None}

    def nth(i: int) -> int:
        seen = 0
        for value, count in durations:
            seen += count
            if i < seen:
                return value
        raise IndexError(i)

    median = (nth((n - 1) // 2) + nth(n // 2)) / 2
    mean = fmean([v for v, _ in durations], weights=[c for _, c in durations])
    return {"median": median, "mean": round(mean, 2), "min": durations[0][0], "max": durations[-1][0]}


def _event_counts(session: Session, scope: Scope) -> dict[str, int]:
    """Extensions, consultations, correction requests and fee notices dated in the year."""
    event = col(CaseEvent.event)
    q = (
        select(event, func.count())
        .join(Case, col(Case.id) == col(CaseEvent.case_id))
        .where(
            scope.cases(),
            rows.relevant(scope.start, scope.end),
            event.in_(COUNTED_EVENTS.values()),
            col(CaseEvent.effective_on).between(scope.start, scope.end),
        )
        .group_by(event)
    )
    got: dict[str, int] = dict(session.execute(q).all())
    return {key: got.get(name, 0) for key, name in COUNTED_EVENTS.items()}


@dataclass(frozen=True)
class Backlog:
    pending: int  # cases open on 31 December
    overdue: int  # of which past their reply deadline then
    oldest: list[tuple[Case, CaseRecord]]  # the OLDEST longest-waiting, and how each stood on 31 December


def _backlog(session: Session, scope: Scope) -> Backlog:
    """The cases carried out of the year, each as it stood on 31 December.

    A case untouched since then is as it was: those are counted in the database. A case that
    changed after the year end is replayed from its history up to 31 December (the same machine
    as live use); only those are loaded, so the cost follows January's activity, not the backlog.
    """
    s, e = scope.start, scope.end
    day_after = e + dt.timedelta(days=1)
    open_at_end = [scope.cases(), rows.carried_out(s, e)]
    unchanged = or_(col(Case.last_event_on).is_(None), col(Case.last_event_on) <= e)
    # views.is_overdue in SQL: the clock runs (not paused) and its day has passed
    overdue_then = and_(col(Case.state) == State.received, col(Case.reply_due) < day_after)
    pending, overdue = session.execute(
        select(func.count(), func.count().filter(and_(unchanged, overdue_then))).where(*open_at_end)
    ).one()
    changed = session.exec(select(col(Case.id)).where(*open_at_end, not_(unchanged))).all()
    as_of_end = dict(_replayed(session, changed, e))
    overdue += sum(1 for then in as_of_end.values() if is_overdue(then, day_after))
    oldest_q = select(Case).where(*open_at_end).order_by(col(Case.received_on), col(Case.id)).limit(OLDEST)
    oldest = [(row, as_of_end.get(row.id or 0) or CaseRecord.of(row)) for row in session.exec(oldest_q)]
    return Backlog(pending, overdue, oldest)


def _replayed(
    session: Session, case_ids: Sequence[int | None], end: dt.date
) -> Iterator[tuple[int, CaseRecord]]:
    """Each case's history up to `end`, replayed into a plain record (no ORM object per case)."""
    for i in range(0, len(case_ids), _BATCH):
        q = (
            select(CaseEvent)
            .where(col(CaseEvent.case_id).in_(case_ids[i : i + _BATCH]), col(CaseEvent.effective_on) <= end)
            .order_by(col(CaseEvent.case_id), col(CaseEvent.seq))
        )
        for case_id, history in groupby(session.exec(q), key=lambda h: h.case_id):
            record = CaseRecord()
            for _ in steps(new_flow(record), list(history)):
                pass
            yield case_id, record
