"""Which reminder a case is due for on a given day, and writing it to the outbox (DESIGN §7).

This module decides and writes rows inside the caller's transaction; it never sends anything.
The relay (`delivery.outbox`) does the side effect afterwards, so a reminder exists exactly when
the transaction that made it due committed, whatever happens to the broker or the mail server.

A reminder's key is (case, deadline kind, due date, offset, recipient): a second sweep, a
redelivered task or two sweeps at once cannot queue it twice, and a moved deadline gets new keys
while the stale pending rows are cancelled. The recipient is part of the key because an overdue
case is escalated to each of the organ's supervisors.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cache
from typing import Any

import jinja2
from sqlalchemy import select as sa_select
from sqlalchemy import update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlmodel import Session, col, select

from codes import DeadlineKind, Role, State
from codes.labels import label
from config.i18n import N_, _, current_language, ngettext
from config.settings import get_settings
from models.cases import Case
from models.db import is_postgres
from models.organs import Organ, User
from models.outbox import OutboxMessage
from workflow import clock
from workflow.calendar import WorkCalendar, default_calendar

AFTER = -1  # offset_days of a message about a deadline that has already passed
_WEEKDAYS = (
    N_("Monday"),
    N_("Tuesday"),
    N_("Wednesday"),
    N_("Thursday"),
    N_("Friday"),
    N_("Saturday"),
    N_("Sunday"),
)
# the applicant's own periods: the caseworker acts once they have ended (decide whether to lapse)
_ENDED_ONLY = frozenset({DeadlineKind.correction_period, DeadlineKind.fee_period})


@dataclass(frozen=True)
class Deadline:
    kind: DeadlineKind
    due: dt.date


def live_deadlines(row: Case) -> list[Deadline]:
    """The deadlines a reminder can be about in the case's current state."""
    if row.state == State.received and row.reply_due is not None:
        out = [Deadline(DeadlineKind.reply, row.reply_due)]
        if row.correction_notice_due is not None:
            out.append(Deadline(DeadlineKind.correction_notice, row.correction_notice_due))
        return out
    if row.state == State.awaiting_correction and row.correction_until is not None:
        return [Deadline(DeadlineKind.correction_period, row.correction_until)]
    if row.state == State.awaiting_fee and row.fee_due is not None:
        return [Deadline(DeadlineKind.fee_period, row.fee_due)]
    return []


def is_current(row: Case, kind: str, due_on: dt.date | None) -> bool:
    """Is a queued message still about a deadline the case has? (Else it is stale: cancel it.)"""
    if kind == DeadlineKind.overdue:
        return row.state == State.received and row.reply_due == due_on
    return any(d.kind == kind and d.due == due_on for d in live_deadlines(row))


def worth_sending(row: Case, kind: str, due_on: dt.date | None, today: dt.date) -> bool:
    """A queued message still worth sending today: about a deadline the case still has, and not
    an "N days left" whose day has passed (never sent in time: the overdue notice replaces it)."""
    if not is_current(row, kind, due_on):
        return False
    ahead = kind not in _ENDED_ONLY and kind != DeadlineKind.overdue
    return not (ahead and due_on is not None and today > due_on)


def stage(d: Deadline, today: dt.date, offsets: Sequence[int], cal: WorkCalendar) -> int | None:
    """The nearest reminder stage reached on `today`: an offset in working days, AFTER, or None.

    Only the nearest one is ever queued, so a case first seen late (imported, or after a missed
    sweep) gets one reminder, not one per offset already passed.
    """
    if d.kind in _ENDED_ONLY:
        return AFTER if today > d.due else None
    if today > d.due:
        # the reply: the overdue escalation takes over; the correction notice: nothing left to do
        return None
    remaining = cal.workdays_between(today, d.due)
    reached = [k for k in offsets if remaining <= k]
    return min(reached) if reached else None


def horizon(today: dt.date, offsets: Sequence[int], cal: WorkCalendar) -> dt.date:
    """Deadlines before this day have a reminder stage reached today (the sweep's window)."""
    return cal.add_workdays(today, max(offsets, default=0) + 1)


def key(case_id: int, kind: str, due: dt.date, offset: int, user_id: int) -> str:
    return f"case:{case_id}:{kind}:{due.isoformat()}:{offset}:u{user_id}"


# --- who gets it -------------------------------------------------------------------------------
@dataclass
class People:
    """The organs and active users the messages of a batch of cases are addressed to."""

    organs: dict[int, Organ]
    users: dict[int, User]

    @classmethod
    def load(cls, session: Session, organ_ids: Iterable[int]) -> People:
        ids = sorted(set(organ_ids))
        organs = {o.id: o for o in session.exec(select(Organ).where(col(Organ.id).in_(ids)))}
        users = {u.id: u for u in session.exec(select(User).where(col(User.organ_id).in_(ids)))}
        return cls(organs={k: v for k, v in organs.items() if k is not None}, users=_ids(users))

    def assignee(self, row: Case) -> User | None:
        u = self.users.get(row.assignee_id) if row.assignee_id else None
        return u if u is not None and u.active else None

    def supervisors(self, organ_id: int) -> list[User]:
        return [
            u
            for u in self.users.values()
            if u.organ_id == organ_id and u.role == Role.supervisor and u.active
        ]

    def responsible(self, row: Case) -> list[User]:
        """The assignee; when nobody is assigned, the organ's supervisors (a deadline never goes unseen)."""
        a = self.assignee(row)
        return [a] if a is not None else self.supervisors(row.organ_id)

    def escalation(self, row: Case) -> list[User]:
        """An overdue case: the organ's supervisors, and the assignee too."""
        people = {u.id or 0: u for u in self.supervisors(row.organ_id)}
        a = self.assignee(row)
        if a is not None:
            people[a.id or 0] = a
        return [people[i] for i in sorted(people)]


def _ids(users: dict[int | None, User]) -> dict[int, User]:
    return {k: v for k, v in users.items() if k is not None}


# --- the text ----------------------------------------------------------------------------------
@cache
def _templates() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("workflow", "mail_templates"),
        autoescape=False,  # plain-text mail, nothing is HTML
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        extensions=["jinja2.ext.i18n"],
    )
    # the catalog's `_` (DESIGN §14): a mail reads in the language of the process that queues it
    env.install_gettext_callables(gettext=_, ngettext=ngettext, newstyle=False)  # type: ignore[attr-defined]
    return env


def render(template: str, **context: Any) -> tuple[str, str]:
    """(subject, body): a template's first line is the subject, the rest (after a blank line) the body."""
    text = _templates().get_template(template).render(**context)
    subject, _, body = text.partition("\n")
    return subject.strip()[:300], body.lstrip("\n")


def when(due: dt.date, offset: int, today: dt.date, cal: WorkCalendar) -> str:
    if offset == AFTER or today > due:
        return _(" (ended)")
    left = cal.workdays_between(today, due)
    if today == due:
        return _(" (ends today)")
    return ngettext(" ({n} working day left)", " ({n} working days left)", left)


def _context(row: Case, people: People, today: dt.date, due: dt.date, cal: WorkCalendar) -> dict[str, Any]:
    organ = people.organs.get(row.organ_id)
    assignee = people.assignee(row)
    return {
        "ref": row.ref,
        "organ": organ.name if organ else "",
        "applicant": row.applicant,
        "received_on": row.received_on.isoformat() if row.received_on else "",
        "state_label": label("state", row.state, current_language()),
        "assignee": assignee.name if assignee else None,
        "due": due.isoformat(),
        "weekday": _(_WEEKDAYS[due.weekday()]),
        "extension_possible": row.extension_days == 0,
        "extension_days": row.extension_days,
        "today": today.isoformat(),
    }


def _row(
    row: Case, kind: DeadlineKind, due: dt.date, offset: int, to: User, subject: str, body: str
) -> dict[str, Any]:
    assert row.id is not None and to.id is not None
    return outbox_row(
        key(row.id, kind, due, offset, to.id), row.id, str(kind), due, offset, to.email, subject, body
    )


def outbox_row(
    key: str,
    case_id: int | None,
    kind: str,
    due: dt.date,
    offset: int | None,
    recipient: str,
    subject: str,
    body: str,
) -> dict[str, Any]:
    """A pending outbox row, due for sending now (the columns `queue` inserts)."""
    now = clock.now()
    return {
        "key": key,
        "case_id": case_id,
        "kind": kind,
        "due_on": due,
        "offset_days": offset,
        "recipient": recipient,
        "subject": subject,
        "body": body,
        "status": "pending",
        "attempts": 0,
        "next_attempt_at": now,
        "created_at": now,
    }


def reminder_rows(
    row: Case, d: Deadline, offset: int, people: People, today: dt.date, cal: WorkCalendar
) -> list[dict[str, Any]]:
    ctx = _context(row, people, today, d.due, cal)
    out = []
    for to in people.responsible(row):
        subject, body = render(
            "reminder.txt.j2",
            **ctx,
            kind=str(d.kind),
            kind_label=label("deadline_kind", d.kind, current_language()),
            when=when(d.due, offset, today, cal),
            recipient=to.name,
        )
        out.append(_row(row, d.kind, d.due, offset, to, subject, body))
    return out


def escalation_rows(row: Case, people: People, today: dt.date, cal: WorkCalendar) -> list[dict[str, Any]]:
    assert row.reply_due is not None
    due = row.reply_due
    ctx = _context(row, people, today, due, cal)
    late = cal.workdays_between(due, today)
    out = []
    for to in people.escalation(row):
        subject, body = render("overdue.txt.j2", **ctx, late_workdays=late, recipient=to.name)
        out.append(_row(row, DeadlineKind.overdue, due, AFTER, to, subject, body))
    return out


# --- planning and writing ----------------------------------------------------------------------
@dataclass(frozen=True)
class Queued:
    """What the planner needs to know of an outbox row already written for a case."""

    id: int
    key: str
    kind: str
    due_on: dt.date | None
    offset_days: int | None
    status: str

    @property
    def recipient_id(self) -> int:
        return int(self.key.rsplit(":u", 1)[1])


def queued_for(session: Session, case_ids: Sequence[int]) -> dict[int, list[Queued]]:
    """The outbox rows of these cases, by case (batched: one query per 500 cases)."""
    out: dict[int, list[Queued]] = {}
    m = OutboxMessage
    for i in range(0, len(case_ids), 500):
        q = sa_select(
            col(m.id),
            col(m.case_id),
            col(m.key),
            col(m.kind),
            col(m.due_on),
            col(m.offset_days),
            col(m.status),
        ).where(col(m.case_id).in_(case_ids[i : i + 500]))
        for oid, cid, k, kind, due, off, status in session.execute(q):
            assert oid is not None and cid is not None
            out.setdefault(cid, []).append(Queued(oid, k, kind, due, off, status))
    return out


@dataclass
class Plan:
    rows: list[dict[str, Any]] = field(default_factory=list)  # new reminders to queue
    cancel: list[int] = field(default_factory=list)  # pending rows that are stale or superseded

    @classmethod
    def merge(cls, plans: Iterable[Plan]) -> Plan:
        """Many cases' plans as one batch."""
        total = cls()
        for p in plans:
            total.rows += p.rows
            total.cancel += p.cancel
        return total


def plan_case(
    row: Case,
    queued: Sequence[Queued],
    people: People,
    today: dt.date,
    offsets: Sequence[int],
    cal: WorkCalendar,
) -> Plan:
    """The reminders `row` is due for today that are not queued yet, and the pending ones to cancel."""
    plan = Plan()
    live = {k.key: k for k in queued if k.status != "cancelled"}
    # a reassigned case: what was queued for the previous assignee goes to the new one instead
    addressed = {u.id for u in people.responsible(row)}
    reached: dict[tuple[str, dt.date], int] = {}
    for d in live_deadlines(row):
        s = stage(d, today, offsets, cal)
        if s is None:
            continue
        reached[(str(d.kind), d.due)] = s
        assert row.id is not None
        wanted = [key(row.id, d.kind, d.due, s, u.id) for u in people.responsible(row) if u.id is not None]
        if any(k not in live for k in wanted):
            plan.rows += [r for r in reminder_rows(row, d, s, people, today, cal) if r["key"] not in live]
    for q in queued:
        if q.status != "pending":
            continue
        nearer = reached.get((q.kind, q.due_on)) if q.due_on else None
        superseded = nearer is not None and q.offset_days is not None and q.offset_days > nearer
        readdressed = q.kind != DeadlineKind.overdue and q.recipient_id not in addressed
        if superseded or readdressed or not worth_sending(row, q.kind, q.due_on, today):
            plan.cancel.append(q.id)
    return plan


def queue(session: Session, rows: list[dict[str, Any]]) -> int:
    """Insert outbox rows. A key already there is left alone, unless it was cancelled: then the
    reminder is due again (its deadline came back) and the row is revived. Returns rows written."""
    if not rows:
        return 0
    insert = pg_insert if is_postgres(session) else sqlite_insert
    new = insert(OutboxMessage)
    upsert = new.on_conflict_do_update(
        index_elements=[col(OutboxMessage.key)],
        set_={
            "status": "pending",
            "subject": new.excluded.subject,
            "body": new.excluded.body,
            "recipient": new.excluded.recipient,
            "next_attempt_at": new.excluded.next_attempt_at,
            "last_error": None,
        },
        where=col(OutboxMessage.status) == "cancelled",
    ).returning(col(OutboxMessage.id))
    return len(session.execute(upsert, rows).all())


def cancel(session: Session, ids: Sequence[int]) -> int:
    """Cancel pending rows (a row the relay already claimed is in flight and left alone)."""
    if not ids:
        return 0
    result = session.execute(
        update(OutboxMessage)
        .where(col(OutboxMessage.id).in_(ids), col(OutboxMessage.status) == "pending")
        .values(status="cancelled")
        .execution_options(synchronize_session=False)
    )
    return int(result.rowcount)  # type: ignore[attr-defined]


def apply(session: Session, plan: Plan) -> tuple[int, int]:
    return queue(session, plan.rows), cancel(session, plan.cancel)


def queue_opened(session: Session, rows: Sequence[Case], today: dt.date) -> int:
    """Queue what cases just opened (received by hand, imported) are due for, in the transaction
    that opened them. New cases have no outbox rows, so nothing is read or cancelled: one load of
    their organs' people, then one insert. Returns rows written."""
    offsets, cal = get_settings().reminder_offsets, default_calendar()
    due = [r for r in rows if any(stage(d, today, offsets, cal) is not None for d in live_deadlines(r))]
    if not due:
        return 0
    people = People.load(session, {r.organ_id for r in due})
    return queue(session, [m for r in due for m in plan_case(r, [], people, today, offsets, cal).rows])


def refresh(
    session: Session, row: Case, today: dt.date, *, has_pending: bool | None = None
) -> tuple[int, int]:
    """After a case changed (an event, a recomputation): queue what it is now due for, cancel what
    went stale. Runs in the transaction that changed the case. Returns (queued, cancelled).
    `has_pending`, when the caller already knows it, saves reading the outbox in the common case."""
    assert row.id is not None
    offsets, cal = get_settings().reminder_offsets, default_calendar()
    nothing_due = all(stage(d, today, offsets, cal) is None for d in live_deadlines(row))
    if has_pending is False and nothing_due:
        return 0, 0  # the common case: nothing due, nothing to cancel
    queued = queued_for(session, [row.id]).get(row.id, [])
    pending = any(q.status == "pending" for q in queued)
    if not pending and nothing_due:
        return 0, 0  # nothing due, nothing to cancel; no need to load people
    people = People.load(session, [row.organ_id])
    return apply(session, plan_case(row, queued, people, today, offsets, cal))
