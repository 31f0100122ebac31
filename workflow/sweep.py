"""The deadline sweep (DESIGN §7): pure database work in the caller's one transaction.

It reads only the cases with a deadline inside its window, through the indexed deadline columns,
so its cost grows with the cases that are due, not with all cases; and it decides from dates, not
from when it last ran, so a missed run is caught up by the next one. For each such case it:

1. fires `lapse_consultation` (actor system) once a consultation period has passed, and, when
   `auto_lapse_grace_days` is set, lapses a correction or fee period that many working days after
   it ended (otherwise that stays the caseworker's decision: "without good reason", Art. 30, 42);
2. records `became_overdue` once per reply deadline in the history, and escalates the case to the
   organ's supervisors (and its assignee);
3. queues the nearest reminder stage reached today (`workflow.reminders`).

Every change goes through the service layer with a compare-and-set on the case's version. A
conflict means a person (or another sweep) got there first: skip, the next run looks again. A
case that fails for any other reason (a poison row) is logged and skipped inside a savepoint;
it never stops the sweep for the others.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import delete
from sqlalchemy.sql.elements import ColumnElement
from sqlmodel import Session, col, select

from codes import State
from config.logging import about_case
from config.settings import get_settings
from models.cases import Case, CaseEvent
from models.sweep import SweepHold
from workflow import clock, reminders
from workflow.access import SYSTEM
from workflow.calendar import WorkCalendar, default_calendar
from workflow.calendar_store import refresh_if_changed
from workflow.errors import Conflict, OgiError
from workflow.machine import CaseRecord, is_overdue
from workflow.service import advance, annotate

log = logging.getLogger(__name__)
_ONE_DAY = dt.timedelta(days=1)


@dataclass
class SweepResult:
    today: dt.date
    cases: int = 0  # cases inside the window
    queued: int = 0  # outbox rows written
    cancelled: int = 0  # stale or superseded pending rows cancelled
    lapsed: list[str] = field(default_factory=list)  # "REF event"
    became_overdue: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)  # "REF: why" (conflict or poison)
    # cases with a deadline to tell about and nobody to tell: no assignee, no active supervisor
    unattended: list[str] = field(default_factory=list)
    held: list[str] = field(default_factory=list)  # poison cases held back from this sweep

    def summary(self) -> dict[str, Any]:
        return {
            "today": self.today.isoformat(),
            "cases": self.cases,
            "queued": self.queued,
            "cancelled": self.cancelled,
            "lapsed": self.lapsed,
            "became_overdue": self.became_overdue,
            "skipped": self.skipped,
            "unattended": self.unattended,
            "held": self.held,
        }


@dataclass(frozen=True)
class Reach:
    """Which values of one deadline column the sweep of `today` reads: the half-open range
    [today if `only_to_come` else -inf, the reminder horizon if `to_come` else today), and only in
    `state` when one is given."""

    to_come: bool  # a deadline still ahead is reminded of up to the horizon; else only a passed one
    only_to_come: bool = False  # a passed one has nothing left to do
    state: State | None = None

    def bounds(self, today: dt.date, upto: dt.date) -> tuple[dt.date | None, dt.date]:
        return (today if self.only_to_come else None), (upto if self.to_come else today)

    def holds(self, value: dt.date | None, state: str, today: dt.date, upto: dt.date) -> bool:
        """Is a case in `state` with this column's `value` inside the window?"""
        low, high = self.bounds(today, upto)
        if value is None or (self.state is not None and state != self.state):
            return False
        return (low is None or value >= low) and value < high

    def condition(self, column: str, today: dt.date, upto: dt.date) -> ColumnElement[bool]:
        """The same test in SQL, served by the column's index (models/cases.py)."""
        low, high = self.bounds(today, upto)
        cond = col(getattr(Case, column)) < high
        if low is not None:
            cond = (col(getattr(Case, column)) >= low) & cond
        return (col(Case.state) == self.state) & cond if self.state is not None else cond


# The sweep's window, one entry per deadline column (codes.DEADLINE_COLUMNS: a test holds them
# equal, so a new deadline column cannot be left unswept). The benchmarks draw from it too.
WINDOW: dict[str, Reach] = {
    # reply due inside the window, or overdue (still to escalate); index (state, reply_due)
    "reply_due": Reach(to_come=True, state=State.received),
    # the 7-WD correction notice while it can still be given (a passed one has nothing to remind);
    # no condition on the state here: it would lead a planner to the (state, reply_due) index and
    # a scan of every received case (the column is set only on open cases; the rules filter later)
    "correction_notice_due": Reach(to_come=True, only_to_come=True),
    # the applicant's periods once ended (set only in awaiting_correction / awaiting_fee / consulting)
    "correction_until": Reach(to_come=False),
    "fee_due": Reach(to_come=False),
    "consultation_due": Reach(to_come=False),
}


def window(today: dt.date, upto: dt.date) -> list[ColumnElement[bool]]:
    """One condition per deadline column, each served by that column's index (models/cases.py)."""
    return [reach.condition(column, today, upto) for column, reach in WINDOW.items()]


def in_window(row: Case | CaseRecord, today: dt.date, upto: dt.date) -> bool:
    """Does the sweep of `today` (reminding up to `upto`) find this case? `window` in Python."""
    return any(reach.holds(getattr(row, c), row.state, today, upto) for c, reach in WINDOW.items())


def due_cases(session: Session, today: dt.date, cal: WorkCalendar, offsets: Sequence[int]) -> list[Case]:
    """The cases with something to do today. Separate queries rather than one OR, so each uses its
    own index on every database; the union is small (the due cases)."""
    upto = reminders.horizon(today, offsets, cal)
    found: dict[int, Case] = {}
    for cond in window(today, upto):
        for row in session.exec(select(Case).where(cond)):
            assert row.id is not None
            found[row.id] = row
    rows = [found[i] for i in sorted(found)]
    for row in rows:
        session.expunge(row)  # the service writes with compare-and-set; the ORM must not flush these
    return rows


def sweep(session: Session, *, today: dt.date | None = None) -> SweepResult:
    today = today or clock.today()
    refresh_if_changed(session)  # another process may have imported a year's holidays
    settings = get_settings()
    cal, offsets = default_calendar(), settings.reminder_offsets
    due = due_cases(session, today, cal, offsets)
    held = _holds(session)
    rows = [r for r in due if r.id not in held]
    out = SweepResult(today=today, cases=len(rows), held=[r.ref for r in due if r.id in held])
    grace = settings.auto_lapse_grace_days
    # a case still open after its lapse (a consultation ended) goes on to the overdue and reminder steps
    rest = [r for r in (_lapse(session, r, today, cal, grace, out) for r in rows) if r is not None]
    people = reminders.People.load(session, {r.organ_id for r in rest})
    _escalate(session, [r for r in rest if is_overdue(r, today)], people, today, cal, out)
    _remind(session, rest, people, today, offsets, cal, out)
    _unattended(rest, people, today, offsets, cal, out)
    log.info("sweep %s", out.summary())
    return out


# --- 1. lapses ---------------------------------------------------------------------------------
def lapse_due(
    row: Case, today: dt.date, cal: WorkCalendar, grace: int | None
) -> tuple[str, dict[str, Any]] | None:
    """The lapse event the system fires today for this case, with its parameters, or None."""
    if row.state == State.consulting and row.consultation_due is not None and today > row.consultation_due:
        return "lapse_consultation", {}  # dated on the consultation's due date by the rules
    if grace is None:
        return None
    for state, due, event in (
        (State.awaiting_correction, row.correction_until, "lapse_correction"),
        (State.awaiting_fee, row.fee_due, "lapse_fee"),
    ):
        if row.state == state and due is not None:
            # dated on the first working day after the grace period, whenever the sweep runs
            on = cal.add_workdays(due, grace + 1)
            return (event, {"on": on.isoformat()}) if on <= today else None
    return None


def _lapse(
    session: Session, row: Case, today: dt.date, cal: WorkCalendar, grace: int | None, out: SweepResult
) -> Case | None:
    """Fire the lapse due for `row`, if any. Returns the case as it now is when it is still open, or
    None when it was concluded here or skipped (a conflict or a poison row)."""
    due = lapse_due(row, today, cal, grace)
    if due is None:
        return row
    event, params = due
    after: list[Case] = []

    def fire() -> None:
        # the service's own hook queues the case's new reminders in this same savepoint
        new = advance(
            session, row.ref, event, params, actor=SYSTEM, expected_version=row.version, today=today
        )
        out.lapsed.append(f"{row.ref} {event}")
        after.append(new)

    _isolated(session, row, fire, out)
    return after[0] if after and after[0].state != State.answered else None


# --- 2. overdue --------------------------------------------------------------------------------
def overdue_marks(session: Session, case_ids: Sequence[int]) -> set[tuple[int, str]]:
    """(case id, reply due date) of every `became_overdue` already in the histories."""
    out: set[tuple[int, str]] = set()
    for i in range(0, len(case_ids), 500):
        q = select(CaseEvent.case_id, CaseEvent.params).where(
            col(CaseEvent.case_id).in_(case_ids[i : i + 500]), CaseEvent.event == "became_overdue"
        )
        out |= {(cid, str(p.get("reply_due"))) for cid, p in session.exec(q)}
    return out


def _escalate(
    session: Session,
    rows: list[Case],
    people: reminders.People,
    today: dt.date,
    cal: WorkCalendar,
    out: SweepResult,
) -> None:
    marks = overdue_marks(session, [r.id for r in rows if r.id is not None])
    for row in rows:
        assert row.id is not None and row.reply_due is not None
        due = row.reply_due
        if (row.id, due.isoformat()) in marks:
            continue

        def mark(row: Case = row, due: dt.date = due) -> None:
            on = max(due + _ONE_DAY, row.last_event_on or due)
            annotate(session, row, "became_overdue", on, {"reply_due": due.isoformat()}, actor=SYSTEM.name)
            out.queued += reminders.queue(session, reminders.escalation_rows(row, people, today, cal))
            out.became_overdue.append(row.ref)

        _isolated(session, row, mark, out)


# --- 3. reminders ------------------------------------------------------------------------------
def _remind(
    session: Session,
    rows: list[Case],
    people: reminders.People,
    today: dt.date,
    offsets: Sequence[int],
    cal: WorkCalendar,
    out: SweepResult,
) -> None:
    queued = reminders.queued_for(session, [r.id for r in rows if r.id is not None])
    plans: list[tuple[Case, reminders.Plan]] = []
    for row in rows:
        try:
            with about_case(row.ref):
                plan = reminders.plan_case(row, queued.get(row.id or 0, []), people, today, offsets, cal)
            plans.append((row, plan))
        except Exception as e:  # a poison case: log it, hold it back, keep going
            _poison(session, row, e, out)
    try:
        with session.begin_nested():
            q, c = reminders.apply(session, reminders.Plan.merge(p for _, p in plans))
    except Exception:  # one bad row spoils the batch: write case by case to isolate it
        log.warning("sweep: batch write failed; retrying case by case", exc_info=True)
        q, c = _apply_each(session, plans, out)
    out.queued += q
    out.cancelled += c


def _apply_each(
    session: Session, plans: list[tuple[Case, reminders.Plan]], out: SweepResult
) -> tuple[int, int]:
    """Each case's reminders in a savepoint of its own; returns (queued, cancelled)."""
    q = c = 0
    for row, p in plans:
        counts: list[tuple[int, int]] = []

        def write(p: reminders.Plan = p, counts: list[tuple[int, int]] = counts) -> None:
            counts.append(reminders.apply(session, p))

        _isolated(session, row, write, out)
        q, c = q + sum(x for x, _ in counts), c + sum(y for _, y in counts)
    return q, c


def _unattended(
    rows: list[Case],
    people: reminders.People,
    today: dt.date,
    offsets: Sequence[int],
    cal: WorkCalendar,
    out: SweepResult,
) -> None:
    """Say which cases are overdue or due a reminder with nobody to send it to: otherwise the
    sweep would queue nothing for them, and nobody would know."""
    for row in rows:
        if people.escalation(row):
            continue
        due = is_overdue(row, today) or any(
            reminders.stage(d, today, offsets, cal) is not None for d in reminders.live_deadlines(row)
        )
        if due:
            what = "is overdue" if is_overdue(row, today) else "has a deadline to remind of"
            log.warning(
                "sweep: case %s %s but nobody to tell: no assignee and no active supervisor of its organ",
                row.ref,
                what,
            )
            out.unattended.append(row.ref)


# --- isolation -----------------------------------------------------------------------------------
def _isolated(session: Session, row: Case, work: Callable[[], None], out: SweepResult) -> None:
    """Run one case's writes in a savepoint: a conflict or a poison row undoes only that case."""
    try:
        with about_case(row.ref), session.begin_nested():
            work()
    except Conflict:
        out.skipped.append(f"{row.ref}: changed by someone else meanwhile; next sweep")
    except Exception as e:
        _poison(session, row, e, out)


# healthchecks pushes a failing row forward instead of retrying it on every loop: a poison case is
# logged once and left alone for an hour, then tried again
HOLD = dt.timedelta(hours=1)


def _holds(session: Session) -> set[int]:
    """The held cases, after dropping the holds whose hour has passed."""
    now = clock.now()
    session.execute(delete(SweepHold).where(col(SweepHold.until) <= now))
    return set(session.exec(select(SweepHold.case_id)))


def _poison(session: Session, row: Case, e: Exception, out: SweepResult) -> None:
    """Hold the case back (in the sweep's own transaction: its savepoint was rolled back), and log why."""
    assert row.id is not None
    now = clock.now()
    first = str(e).splitlines()[0] if str(e) else type(e).__name__
    session.merge(SweepHold(case_id=row.id, until=now + HOLD, error=first[:500], held_at=now))
    session.flush()
    with about_case(row.ref):
        if isinstance(e, OgiError):
            log.warning("sweep: case %s skipped: %s", row.ref, e)
        else:
            log.exception("sweep: case %s skipped after an unexpected error", row.ref)
    out.skipped.append(f"{row.ref}: {first}")
