"""The timeliness annex: how fast the year's applications were handled (issue 3 item 6).

Nothing in the national format measures this; managers ask for it. Durations are counted in
working days on the official calendar, grouped by (receipt, conclusion) date pair in the
database, so the cost follows the number of distinct date pairs, not of cases.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Sequence
from itertools import groupby
from statistics import fmean
from typing import Any

from sqlmodel import Session, col, func, select

from models.cases import Case, CaseEvent
from reports import rows
from reports.scope import Scope
from workflow.calendar import WorkCalendar
from workflow.replay import replay
from workflow.views import is_overdue

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
    pending = _pending_at_year_end(session, scope)
    year_end_next = scope.end + dt.timedelta(days=1)
    return {
        "concluded": concluded,
        "workdays_to_conclusion": _stats(durations),
        "on_time": concluded - late,
        "late": late,
        "on_time_rate": round((concluded - late) / concluded, 4) if concluded else None,
        **_event_counts(session, scope),
        "pending_at_year_end": len(pending),
        "overdue_at_year_end": sum(1 for row in pending if is_overdue(row, year_end_next)),
        "oldest_pending": [
            {
                "ref": row.ref,
                "applicant_type": row.applicant_type,
                "received_on": row.received_on.isoformat() if row.received_on else None,
                "state_at_year_end": row.state,
                "reply_due_at_year_end": row.reply_due.isoformat() if row.reply_due else None,
                "workdays_pending": cal.workdays_between(row.received_on, scope.end)
                if row.received_on
                else None,
                "overdue_at_year_end": is_overdue(row, year_end_next),
            }
            for row in pending[:OLDEST]
        ],
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
    got = dict(session.execute(q).tuples().all())
    return {key: got.get(name, 0) for key, name in COUNTED_EVENTS.items()}


def _pending_at_year_end(session: Session, scope: Scope) -> list[Case]:
    """The cases carried out of the year, oldest first, each as it stood on 31 December.

    A case that changed after the year end is replayed from its history up to 31 December (the
    same machine as live use); the others are read as they are."""
    q = (
        select(Case)
        .where(scope.cases(), rows.carried_out(scope.start, scope.end))
        .order_by(col(Case.received_on), col(Case.id))
    )
    cases = list(session.exec(q))
    changed = [c for c in cases if c.last_event_on is not None and c.last_event_on > scope.end]
    as_of_end = dict(_replayed(session, changed, scope.end))
    return [as_of_end.get(c.id, c) for c in cases]


def _replayed(session: Session, cases: Sequence[Case], end: dt.date) -> Iterator[tuple[int | None, Case]]:
    for i in range(0, len(cases), _BATCH):
        batch = {c.id: c for c in cases[i : i + _BATCH]}
        q = (
            select(CaseEvent)
            .where(col(CaseEvent.case_id).in_(batch), col(CaseEvent.effective_on) <= end)
            .order_by(col(CaseEvent.case_id), col(CaseEvent.seq))
        )
        for case_id, history in groupby(session.exec(q), key=lambda h: h.case_id):
            yield case_id, replay(batch[case_id], list(history))
