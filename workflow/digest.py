"""The daily digest: one email per person with due cases, beside the day's single reminders.

It reads what the sweep (workflow.sweep) finds due and what the reminders already told today;
like them, it only writes outbox rows, inside the caller's transaction (the relay sends them)."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlmodel import Session, col, select

from codes.labels import label
from config.i18n import current_language
from config.settings import get_settings
from models.cases import Case
from models.organs import User
from models.outbox import OutboxMessage
from workflow import clock, reminders
from workflow.calendar import WorkCalendar, default_calendar
from workflow.machine import is_overdue
from workflow.sweep import due_cases
from workflow.unserved import Unserved, unserved_documents

log = logging.getLogger(__name__)


def queue_digests(session: Session, *, today: dt.date | None = None) -> int:
    """One digest per person with due cases: what needs doing, beside the day's single reminders.

    A case that already had its own reminder to that person today is counted, not listed again,
    so one deadline never produces two emails on the same day. Keyed per person and day: queued once.
    """
    today = today or clock.today()
    cal, offsets = default_calendar(), get_settings().reminder_offsets
    rows = due_cases(session, today, cal, offsets)
    flagged = flagged_cases(session)
    unserved = unserved_documents(session, today)
    people = reminders.People.load(
        session, {r.organ_id for r in [*rows, *flagged]} | {u.organ_id for u in unserved}
    )
    due = _due_items(session, rows, people, today, cal)
    attention = _attention_lines(flagged, people)
    not_served = _unserved_lines(unserved, people)
    out = [
        _digest_row(people.users[uid], today, due, attention.get(uid, []), not_served.get(uid, []))
        for uid in sorted(due.items.keys() | attention.keys() | not_served.keys())
    ]
    return reminders.queue(session, out)


@dataclass
class _Due:
    """Per user id: the due-case lines of the digest, and how many of the cases had their own
    reminder to that person today (counted, not listed again)."""

    items: dict[int, list[dict[str, str]]] = field(default_factory=dict)
    already: dict[int, int] = field(default_factory=dict)


def _due_items(
    session: Session, rows: Sequence[Case], people: reminders.People, today: dt.date, cal: WorkCalendar
) -> _Due:
    reminded = _reminded_today(session, [r.id for r in rows if r.id is not None], today)
    out = _Due()
    for row in rows:
        lines = _digest_lines(row, today, cal)
        for to in people.responsible(row):
            assert to.id is not None
            if (row.id, to.email) in reminded:
                out.already[to.id] = out.already.get(to.id, 0) + 1
            elif lines:
                out.items.setdefault(to.id, []).extend(lines)
    return out


def _digest_row(
    to: User, today: dt.date, due: _Due, attention: list[dict[str, str]], unserved: list[dict[str, str]]
) -> dict[str, Any]:
    """The outbox row of one person's digest of `today` (keyed per person and day)."""
    assert to.id is not None
    subject, body = reminders.render(
        "digest.txt.j2",
        today=today.isoformat(),
        items=due.items.get(to.id, []),
        attention=attention,
        unserved=unserved,
        unserved_workdays=get_settings().unserved_document_workdays,
        already_reminded=due.already.get(to.id, 0),
        recipient=to.name,
    )
    key = f"digest:{today.isoformat()}:u{to.id}"
    return reminders.outbox_row(key, None, "digest", today, None, to.email, subject, body)


def flagged_cases(session: Session) -> list[Case]:
    """The cases flagged for a supervisor's attention (few; a partial index finds them)."""
    return list(session.exec(select(Case).where(col(Case.attention).is_not(None)).order_by(col(Case.id))))


def _attention_lines(flagged: Sequence[Case], people: reminders.People) -> dict[int, list[dict[str, str]]]:
    """Each flagged case, with its reason, for every supervisor of its organ, every day until one of
    them acknowledges it (or a recompute finds its history valid again)."""
    lines = [
        (
            row.organ_id,
            {
                "ref": row.ref,
                "applicant": row.applicant,
                "state_label": label("state", row.state, current_language()),
                "reason": row.attention or "",
            },
        )
        for row in flagged
    ]
    return _to_supervisors(lines, people)


def _unserved_lines(
    unserved: Sequence[Unserved], people: reminders.People
) -> dict[int, list[dict[str, str]]]:
    """Each document issued some working days ago and not yet served, for its organ's supervisors."""
    lines = [
        (
            doc.organ_id,
            {
                "ref": doc.ref,
                "number": doc.number,
                "kind_label": doc.kind_label,
                "issued_on": str(doc.issued_on),
            },
        )
        for doc in unserved
    ]
    return _to_supervisors(lines, people)


def _to_supervisors(
    lines: Sequence[tuple[int, dict[str, str]]], people: reminders.People
) -> dict[int, list[dict[str, str]]]:
    """{supervisor id: the lines of their organ}, in the order given."""
    out: dict[int, list[dict[str, str]]] = {}
    for organ_id, line in lines:
        for sup in people.supervisors(organ_id):
            assert sup.id is not None
            out.setdefault(sup.id, []).append(line)
    return out


def _digest_lines(row: Case, today: dt.date, cal: WorkCalendar) -> list[dict[str, str]]:
    out = []
    for d in reminders.live_deadlines(row):
        if d.kind == "correction_notice_due" and d.due < today:
            continue
        offset = reminders.AFTER if today > d.due else 0
        out.append(
            {
                "ref": row.ref,
                "applicant": row.applicant,
                "state_label": label("state", row.state, current_language()),
                "kind_label": label(
                    "deadline_kind", "overdue" if is_overdue(row, today) else d.kind, current_language()
                ),
                "due": d.due.isoformat(),
                "when": reminders.when(d.due, offset, today, cal),
            }
        )
    return out


def _reminded_today(session: Session, case_ids: Sequence[int], today: dt.date) -> set[tuple[int, str]]:
    tz = get_settings().tz
    start = dt.datetime.combine(today, dt.time(), tz).astimezone(dt.UTC)
    m = OutboxMessage
    out: set[tuple[int, str]] = set()
    for i in range(0, len(case_ids), 500):
        q = select(m.case_id, m.recipient).where(
            col(m.case_id).in_(case_ids[i : i + 500]),
            col(m.created_at) >= start,
            col(m.created_at) < start + dt.timedelta(days=1),
            col(m.status) != "cancelled",
        )
        out |= {(cid, r) for cid, r in session.exec(q) if cid is not None}
    return out
