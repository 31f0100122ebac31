"""Web login attempts: wrong passwords lock an account for a while, and refuse a client address.

Guessing a caseworker's password online is then limited to `login_max_failures` tries per
`login_lock_minutes`, and guessing across accounts from one address to
`login_max_failures_per_address` tries in that window. Every attempt is *claimed* before its
password is verified, each claim one atomic statement (UPDATE … WHERE not locked, or an upsert
whose update is conditional) that counts it as a failure: N parallel attempts cannot all read
"not locked yet" and then all be verified. A correct password gives its claims back: the account's
count starts again, and the address's failure is refunded. A new password set by an administrator
also lifts an account's lock (workflow.directory)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import case, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import Session, col

from config.settings import get_settings
from models.db import is_postgres
from models.organs import LoginSource, User
from workflow import clock

# a client address as the server sees it is at most an IPv6 text; anything longer is cut (the column)
ADDRESS_LENGTH = 64


def is_locked(user: User, now: dt.datetime | None = None) -> bool:
    return user.locked_until is not None and user.locked_until > (now or clock.now())


def claim_account(session: Session, user_id: int) -> bool:
    """Count one attempt on the account as a failure before its password is checked; False (and
    nothing counted) when the account is locked. The claim that reaches the limit locks it."""
    settings = get_settings()
    now = clock.now()
    until = now + dt.timedelta(minutes=settings.login_lock_minutes)
    reached = col(User.failed_logins) + 1 >= settings.login_max_failures
    claimed = session.execute(
        update(User)
        .where(col(User.id) == user_id)
        .where(col(User.locked_until).is_(None) | (col(User.locked_until) <= now))
        .values(
            # a lock starts a fresh count: after it ends, the user has the full number of tries again
            failed_logins=case((reached, 0), else_=col(User.failed_logins) + 1),
            locked_until=case((reached, until), else_=None),
        )
        .returning(col(User.id))
    ).first()
    return claimed is not None


def record_success(session: Session, user_id: int) -> None:
    """The password was right: the account's claims are given back."""
    session.execute(
        update(User)
        .where(col(User.id) == user_id, (col(User.failed_logins) > 0) | col(User.locked_until).is_not(None))
        .values(failed_logins=0, locked_until=None)
    )


def claim_address(session: Session, address: str) -> bool:
    """Count one attempt from the client address as a failure; False (nothing counted) when the
    address has used up its failures in the current window. The window starts at the first failure
    and lasts `login_lock_minutes`."""
    settings = get_settings()
    now = clock.now()
    expired = now - dt.timedelta(minutes=settings.login_lock_minutes)
    table = LoginSource.__table__  # type: ignore[attr-defined]
    insert = (postgresql.insert if is_postgres(session) else sqlite.insert)(table)
    stale = table.c.window_start <= expired
    stmt = (
        insert.values(address=address[:ADDRESS_LENGTH], failures=1, window_start=now)
        .on_conflict_do_update(
            index_elements=[table.c.address],
            set_={
                "failures": case((stale, 1), else_=table.c.failures + 1),
                "window_start": case((stale, now), else_=table.c.window_start),
            },
            # the row is locked while this is evaluated: parallel claims are counted one by one
            where=stale | (table.c.failures < settings.login_max_failures_per_address),
        )
        .returning(table.c.failures)
    )
    return session.execute(stmt).first() is not None


def refund_address(session: Session, address: str) -> None:
    """A correct password: the attempt claimed for its address was not a failure."""
    session.execute(
        update(LoginSource)
        .where(col(LoginSource.address) == address[:ADDRESS_LENGTH], col(LoginSource.failures) > 0)
        .values(failures=col(LoginSource.failures) - 1)
    )


def end_sessions(session: Session, user_id: int) -> None:
    """Logging out: every session cookie opened before now stops working, copies included."""
    session.execute(
        update(User).where(col(User.id) == user_id).values(session_version=col(User.session_version) + 1)
    )
