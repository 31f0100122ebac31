"""The outbox relay: claim due rows, send them, mark them sent (DESIGN §7).

The side effect lives here and only here; the sweep and the service merely write rows.

Claiming is safe under concurrency: one statement moves a batch from `pending` to `sending` and
stamps it with this relay's id (`FOR UPDATE SKIP LOCKED` on PostgreSQL, so relays never wait for
or take each other's rows; on SQLite the writing transaction holds the database's write lock, so
the statement is atomic). A row still `sending` after CLAIM_TIMEOUT belongs to a relay that died
(a killed worker): the next relay reclaims it, so a message is never lost.

Delivery is at least once, and as close to exactly once as SMTP allows: each message is marked
`sent` in its own tiny transaction immediately after the server accepted it. The one window left
is between the server's "250 OK" and that commit (a crash, a kill, the database unreachable
there): the row stays `sending`, is reclaimed and sent again. The resend carries the same
Message-ID (derived from the outbox key), so it is recognisable as the same message, and with no
SMTP configured it rewrites the same .eml file. Marking a row sent *before* sending would close
the window by losing messages instead, which a statutory reminder must never do.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import secrets
import socket
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from sqlalchemy import Connection, Update, and_, bindparam, or_, update
from sqlmodel import Session, col, select

from codes import DeadlineKind
from config.logging import about_case
from config.settings import Settings, get_settings
from delivery.mail import Mailer, MailError, Transport, compose, mailer_from_settings
from models.cases import Case
from models.db import get_engine, is_postgres, session_scope
from models.outbox import OutboxMessage
from workflow import clock
from workflow.reminders import worth_sending

log = logging.getLogger(__name__)

# longer than the relay task's hard time limit (config/celery.py): a live relay is never robbed
CLAIM_TIMEOUT = dt.timedelta(minutes=10)
BACKOFF_CAP = dt.timedelta(hours=1)
BATCH = 100
_DEADLINE_KINDS = frozenset(k.value for k in DeadlineKind)
STATUSES = ("pending", "sending", "sent", "cancelled", "failed")
_CLAIM_COLUMNS = ("id", "key", "case_id", "kind", "due_on", "recipient", "subject", "body", "attempts")


@dataclass
class RelayResult:
    sent: int = 0
    retried: int = 0  # back to pending, to be tried again after a backoff
    failed: int = 0  # refused for good, or out of retries
    cancelled: int = 0  # their deadline changed before they went out
    errors: list[str] = field(default_factory=list)

    def summary(self) -> dict[str, Any]:
        return {
            "sent": self.sent,
            "retried": self.retried,
            "failed": self.failed,
            "cancelled": self.cancelled,
            "errors": self.errors[:10],
        }


@dataclass(frozen=True)
class Claimed:
    id: int
    key: str
    recipient: str
    subject: str
    body: str
    attempts: int
    case_ref: str | None


def worker_id() -> str:
    return f"{socket.gethostname()[:60]}:{os.getpid()}:{secrets.token_hex(4)}"


# --- claim ---------------------------------------------------------------------------------------
def claim(
    *, worker: str, limit: int = BATCH, stale_after: dt.timedelta = CLAIM_TIMEOUT
) -> tuple[list[Claimed], int]:
    """Claim up to `limit` due rows for `worker`. Reminders no longer worth sending (the deadline
    changed, or its day passed while the message waited) are cancelled instead, checked against the
    case in the same transaction. Returns (claimed, cancelled)."""
    with session_scope() as s:
        rows = _claim_rows(s, worker, clock.now(), limit, stale_after)
        cases = _cases(s, {r.case_id for r in rows if r.case_id is not None})
        stale = _stale(rows, cases, clock.today())
        _cancel(s, stale)
    return _claimed(rows, cases, set(stale)), len(stale)


def _claim_rows(
    s: Session, worker: str, now: dt.datetime, limit: int, stale_after: dt.timedelta
) -> list[Any]:
    """Mark the due rows (and those a dead worker left claimed) as sending, for `worker`."""
    m = OutboxMessage
    due = or_(
        and_(col(m.status) == "pending", col(m.next_attempt_at) <= now),
        and_(col(m.status) == "sending", col(m.claimed_at) < now - stale_after),
    )
    pick = select(m.id).where(due).order_by(col(m.next_attempt_at), col(m.id)).limit(limit)
    if is_postgres(s):
        pick = pick.with_for_update(skip_locked=True)
    return list(
        s.execute(
            update(m)
            .where(col(m.id).in_(pick.scalar_subquery()))
            .values(status="sending", claimed_at=now, claimed_by=worker)
            .returning(*(col(getattr(m, c)) for c in _CLAIM_COLUMNS))
            .execution_options(synchronize_session=False)
        ).all()
    )


def _stale(rows: list[Any], cases: dict[int, Case], today: dt.date) -> list[int]:
    """The claimed reminders whose case no longer needs them."""
    return [
        r.id
        for r in rows
        if r.case_id is not None
        and r.kind in _DEADLINE_KINDS
        and not worth_sending(cases[r.case_id], r.kind, r.due_on, today)
    ]


def _cancel(s: Session, ids: list[int]) -> None:
    if ids:
        s.execute(
            update(OutboxMessage)
            .where(col(OutboxMessage.id).in_(ids))
            .values(status="cancelled", claimed_at=None, claimed_by=None)
            .execution_options(synchronize_session=False)
        )


def _claimed(rows: list[Any], cases: dict[int, Case], stale: set[int]) -> list[Claimed]:
    return [
        Claimed(
            r.id,
            r.key,
            r.recipient,
            r.subject,
            r.body,
            r.attempts,
            cases[r.case_id].ref if r.case_id else None,
        )
        for r in sorted(rows, key=lambda r: r.id)
        if r.id not in stale
    ]


def _cases(s: Session, ids: set[int]) -> dict[int, Case]:
    if not ids:
        return {}
    return {c.id: c for c in s.exec(select(Case).where(col(Case.id).in_(ids))) if c.id is not None}


# --- finish --------------------------------------------------------------------------------------
_TABLE = OutboxMessage.__table__  # type: ignore[attr-defined]


@cache
def _finish_statement(fields: tuple[str, ...]) -> Update:
    """UPDATE … WHERE the row is still ours, built once per set of fields (a per-message ORM
    statement cost more than the database round trip)."""
    t = _TABLE
    return (
        update(t)
        .where(t.c.id == bindparam("oid"), t.c.status == "sending", t.c.claimed_by == bindparam("worker"))
        .values({f: bindparam(f"v_{f}") for f in fields})
    )


@dataclass
class _Run:
    """One relay run: its id, its own database connection, and what happened."""

    worker: str
    settings: Settings
    conn: Connection
    out: RelayResult = field(default_factory=RelayResult)

    def finish(self, msg: Claimed, **values: Any) -> bool:
        """Record the outcome of one attempt in its own transaction, if the row is still ours."""
        with self.conn.begin():
            params = {"oid": msg.id, "worker": self.worker, **{f"v_{k}": v for k, v in values.items()}}
            result = self.conn.execute(_finish_statement(tuple(values)), params)
        if result.rowcount != 1:
            log.warning("outbox %s: reclaimed by another relay while this one held it", msg.key)
            return False
        return True

    def sent(self, msg: Claimed) -> None:
        self.finish(msg, status="sent", sent_at=clock.now(), attempts=msg.attempts + 1, last_error=None)
        self.out.sent += 1

    def failed(self, msg: Claimed, error: MailError) -> None:
        """Back off and retry, or give up: a refusal for good fails at once; other errors about the
        message stop after `smtp_max_retries`; an unreachable server never fails a message."""
        attempts = msg.attempts + 1
        give_up = error.permanent or (not error.broken and attempts > self.settings.smtp_max_retries)
        values: dict[str, Any] = {"attempts": attempts, "last_error": str(error)[:2000], "claimed_by": None}
        if give_up:
            values["status"] = "failed"
            log.error("outbox %s to %s failed for good: %s", msg.key, msg.recipient, error)
            self.out.failed += 1
        else:
            values["status"] = "pending"
            values["next_attempt_at"] = clock.now() + backoff(attempts, self.settings.smtp_retry_base)
            self.out.retried += 1
        self.out.errors.append(f"{msg.key}: {error}")
        self.finish(msg, **values)

    def release(self, msgs: Sequence[Claimed]) -> None:
        """Give back rows never attempted (the batch stopped early): pending again at once."""
        for msg in msgs:
            self.finish(msg, status="pending", claimed_by=None, claimed_at=None)


@contextmanager
def _mark_connection() -> Iterator[Connection]:
    """The relay's own connection for its per-message marks.

    On PostgreSQL each mark is one autocommitted statement (one round trip instead of three) that
    does not wait for the WAL flush (a third of the time per message). A mark is then lost only
    if the database *server* crashes in that instant, and the message is resent with the same
    Message-ID: the same at-least-once window. Our own process dying after the UPDATE loses
    nothing. Both settings are undone before the connection goes back to the pool.
    """
    with get_engine().connect() as conn:
        if conn.dialect.name != "postgresql":
            yield conn
            return
        auto = conn.execution_options(isolation_level="AUTOCOMMIT")
        auto.exec_driver_sql("SET synchronous_commit TO OFF")
        auto.commit()  # ends SQLAlchemy's logical transaction; nothing is sent in autocommit mode
        try:
            yield auto
        finally:
            if auto.in_transaction():
                auto.rollback()
            auto.exec_driver_sql("RESET synchronous_commit")
            auto.commit()


def backoff(attempts: int, base: float) -> dt.timedelta:
    """base, 2·base, 4·base, … seconds after the 1st, 2nd, 3rd failed attempt; at most an hour."""
    return min(dt.timedelta(seconds=base * 2 ** max(attempts - 1, 0)), BACKOFF_CAP)


# --- send ----------------------------------------------------------------------------------------
def send_batch(msgs: Sequence[Claimed], mailer: Mailer, run: _Run) -> None:
    try:
        transport = mailer.connect()
    except MailError as e:
        log.warning("outbox: %s", e)
        for msg in msgs:
            run.failed(msg, e)
        return
    done = 0
    try:
        for msg in msgs:
            done += 1  # counted before sending: an interrupted send is neither released nor marked
            if not _send_one(transport, msg, run):
                lost = MailError("connection lost earlier in the batch", broken=True)
                for rest in msgs[done:]:
                    run.failed(rest, lost)
                done = len(msgs)
                break
    finally:
        # interrupted (a time limit, a signal): the unsent rest goes back now, not after CLAIM_TIMEOUT
        run.release(msgs[done:])
        transport.close()


def _send_one(transport: Transport, msg: Claimed, run: _Run) -> bool:
    """Send one message. False when the connection is gone (the rest of the batch must wait)."""
    with about_case(msg.case_ref):
        return _send(transport, msg, run)


def _send(transport: Transport, msg: Claimed, run: _Run) -> bool:
    email = compose(
        key=msg.key,
        recipient=msg.recipient,
        subject=msg.subject,
        body=msg.body,
        mail_from=run.settings.mail_from,
        case_ref=msg.case_ref,
    )
    try:
        transport.send(email)
    except MailError as e:
        run.failed(msg, e)
        return not e.broken
    # the at-least-once window is from the server's acceptance to this commit: one UPDATE
    run.sent(msg)
    return True


def relay(
    *,
    mailer: Mailer | None = None,
    batch: int = BATCH,
    max_seconds: float = 120.0,
    stale_after: dt.timedelta = CLAIM_TIMEOUT,
    worker: str | None = None,
) -> RelayResult:
    """Send every due outbox row, batch by batch, for at most `max_seconds` (the rest waits for
    the next run, well inside the task's time limit). Safe to run in any number of processes."""
    settings = get_settings()
    mailer = mailer or mailer_from_settings(settings)
    worker = worker or worker_id()
    started = time.monotonic()
    with _mark_connection() as conn:
        run = _Run(worker, settings, conn)
        while time.monotonic() - started < max_seconds:
            msgs, cancelled = claim(worker=worker, limit=batch, stale_after=stale_after)
            run.out.cancelled += cancelled
            if not msgs:
                if cancelled:
                    continue
                break
            send_batch(msgs, mailer, run)
    out = run.out
    if out.sent or out.retried or out.failed or out.cancelled:
        log.info("relay via %s: %s", mailer.describe(), out.summary())
    return out


# --- operators -----------------------------------------------------------------------------------
def list_messages(
    session: Session, *, status: str | None = None, case_id: int | None = None, limit: int = 50
) -> list[OutboxMessage]:
    q = select(OutboxMessage)
    if status:
        q = q.where(OutboxMessage.status == status)
    if case_id is not None:
        q = q.where(OutboxMessage.case_id == case_id)
    return list(session.exec(q.order_by(col(OutboxMessage.id).desc()).limit(limit)))


def retry_failed(session: Session, *, key: str | None = None) -> int:
    """Queue failed messages again (all of them, or the one with `key`) once the cause is fixed."""
    m = OutboxMessage
    q = update(m).where(col(m.status) == "failed")
    if key is not None:
        q = q.where(col(m.key) == key)
    result = session.execute(
        q.values(
            status="pending", attempts=0, next_attempt_at=clock.now(), last_error=None
        ).execution_options(synchronize_session=False)
    )
    return int(result.rowcount)  # type: ignore[attr-defined]


def message_json(m: OutboxMessage) -> dict[str, Any]:
    return {
        "id": m.id,
        "key": m.key,
        "case_id": m.case_id,
        "kind": m.kind,
        "due_on": m.due_on.isoformat() if m.due_on else None,
        "offset_days": m.offset_days,
        "recipient": m.recipient,
        "subject": m.subject,
        "status": m.status,
        "attempts": m.attempts,
        "next_attempt_at": m.next_attempt_at.isoformat(),
        "sent_at": m.sent_at.isoformat() if m.sent_at else None,
        "last_error": m.last_error,
        "created_at": m.created_at.isoformat(),
    }
