"""Web login attempts: consecutive wrong passwords lock an account for a while.

Guessing a caseworker's password online is then limited to `login_max_failures` tries per
`login_lock_minutes`. The count is kept on the user row and changed with single UPDATE statements,
so concurrent attempts (several app workers) cannot lose one. A correct password resets it; so
does a new password set by an administrator (workflow.directory)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import case, update
from sqlmodel import Session, col

from config.settings import get_settings
from models.organs import User
from workflow import clock


def is_locked(user: User, now: dt.datetime | None = None) -> bool:
    return user.locked_until is not None and user.locked_until > (now or clock.now())


def record_failure(session: Session, user_id: int) -> None:
    """One more wrong password; the last one allowed locks the account from now."""
    settings = get_settings()
    until = clock.now() + dt.timedelta(minutes=settings.login_lock_minutes)
    reached = col(User.failed_logins) + 1 >= settings.login_max_failures
    session.execute(
        update(User)
        .where(col(User.id) == user_id)
        .values(
            # a lock starts a fresh count: after it ends, the user has the full number of tries again
            failed_logins=case((reached, 0), else_=col(User.failed_logins) + 1),
            locked_until=case((reached, until), else_=col(User.locked_until)),
        )
    )


def record_success(session: Session, user_id: int) -> None:
    session.execute(
        update(User)
        .where(col(User.id) == user_id, (col(User.failed_logins) > 0) | col(User.locked_until).is_not(None))
        .values(failed_logins=0, locked_until=None)
    )
