"""Logging in and out, and the user behind each request (reloaded every time, so a deactivated
user or a changed password ends existing sessions at once)."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from typing import Any

from fastapi import APIRouter, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import RedirectResponse, Response
from sqlmodel import Session, col, select

from accounts import logins
from accounts.passwords import hash_password, needs_rehash, verify_password
from admin.security import new_csrf_token, safe_next
from admin.templating import render
from codes import Role
from config.i18n import _
from config.settings import get_settings
from models.db import read_session, session_scope
from models.organs import Organ, User
from workflow.access import Actor
from workflow.calendar_store import refresh_if_changed
from workflow.directory import find_user
from workflow.errors import InvalidInput

router = APIRouter()


class NotLoggedIn(Exception):
    """The session names no active user: the app sends the browser to the login page."""


@dataclass(frozen=True)
class WebUser:
    """The logged-in user, their organ, and the actor the services record."""

    user: User
    organ_code: str
    organ_name: str

    @property
    def name(self) -> str:
        return self.user.name

    @property
    def role(self) -> str:
        return self.user.role

    @property
    def is_admin(self) -> bool:
        return self.user.role == Role.admin

    @property
    def is_supervisor(self) -> bool:
        return self.user.role in (Role.supervisor, Role.admin)

    @property
    def actor(self) -> Actor:
        return Actor(self.user.name, self.user)

    @property
    def organ_ids(self) -> tuple[int, ...] | None:
        """The organs whose cases the user may see: their own, or every organ for an admin."""
        if self.is_admin:
            return None
        assert self.user.organ_id is not None  # ck_user_organ: only an administrator has no organ
        return (self.user.organ_id,)


def password_stamp(user: User) -> str:
    """Changes when the password does: a session carries it and dies with the old password."""
    return hashlib.sha256((user.password_hash or "").encode()).hexdigest()[:16]


def session_marks(user: User) -> dict[str, object]:
    """What a session cookie holds about its user; every mark must still match on each request."""
    return {"uid": user.id, "pw": password_stamp(user), "sv": user.session_version}


def session_user(s: Session, data: Mapping[str, Any]) -> User | None:
    """The user a session cookie names, when it may still act: active, with a password (a user
    without one can never hold a session, whoever signed the cookie), the password and the session
    version it was opened under unchanged (a new password, a logout end it)."""
    uid = data.get("uid")
    user = s.get(User, uid) if isinstance(uid, int) else None
    if user is None or not user.active or not user.password_hash:
        return None
    if data.get("pw") != password_stamp(user) or data.get("sv") != user.session_version:
        return None
    return user


def current_user(request: Request) -> WebUser:
    """A dependency: the request's user, or NotLoggedIn (→ the login page)."""
    with read_session() as s:
        refresh_if_changed(s)  # another process may have imported a year's calendar
        user = session_user(s, request.session)
        if user is None:
            request.session.clear()
            raise NotLoggedIn
        me = web_user(s, user)
    request.state.me = me  # the page layout shows who is logged in
    return me


def web_user(s: Session, user: User) -> WebUser:
    """The user with their organ; an administrator without one starts from the first top-level organ
    (the reports page's default scope) and is shown as serving every organ."""
    organ = s.get(Organ, user.organ_id) if user.organ_id is not None else None
    if organ is not None:
        return WebUser(user=user, organ_code=organ.code, organ_name=organ.name)
    top = s.exec(select(Organ).where(col(Organ.parent_id).is_(None)).order_by(col(Organ.code))).first()
    return WebUser(user=user, organ_code=top.code if top else "", organ_name=_("all organs"))


@cache
def _decoy_hash() -> str:
    return hash_password("a password nobody has")


def check_credentials(name: str, password: str, address: str) -> User | None:
    """The user, when the name and password match an active account that is not locked; None otherwise.

    The attempt is counted against the client address and the account *before* the password is
    verified, each in one atomic statement committed at once (accounts.logins), so parallel attempts
    cannot exceed either limit. An unknown name, a locked account or a refused address costs the
    same argon2 verification as a wrong password, so response times do not reveal which user names
    exist or which are locked."""
    with session_scope() as s:
        user = find_user(s, name.strip())  # PostgreSQL refuses NUL in a parameter: no such user
        claimed = logins.claim_address(s, address)
        if user is None or user.id is None or not user.password_hash:
            user = None
        elif claimed:
            claimed = logins.claim_account(s, user.id)
    if not claimed or user is None or user.id is None or not user.password_hash:
        verify_password(_decoy_hash(), password)
        return None
    if not verify_password(user.password_hash, password):
        return None  # already counted by the claims
    if not user.active:
        return None
    with session_scope() as s:
        logins.record_success(s, user.id)
        logins.refund_address(s, address)
    if needs_rehash(user.password_hash):
        user.password_hash = _rehash(user.id, password) or user.password_hash
    return user


def client_address(request: Request) -> str:
    """The client's address (behind a reverse proxy, uvicorn takes it from X-Forwarded-For when the
    proxy is one of its --forwarded-allow-ips)."""
    return request.client.host if request.client else "unknown"


def login_refused() -> str:
    settings = get_settings()
    return _(
        "wrong user name or password, or the account is deactivated; after {failures} failures in a row "
        "the account is locked for {minutes} minutes",
        failures=settings.login_max_failures,
        minutes=settings.login_lock_minutes,
    )


def _rehash(user_id: int | None, password: str) -> str | None:
    """Store the password under the current argon2 parameters; the new hash, or None if kept."""
    try:
        fresh = hash_password(password)
    except InvalidInput:  # a password from before the length rule: keep the old hash
        return None
    with session_scope() as s:
        row = s.get(User, user_id)
        if row is None:
            return None
        row.password_hash = fresh
        s.add(row)
    return fresh


@router.get("/login")
def login_page(request: Request, next: str = "/") -> Response:
    if request.session.get("uid"):
        return RedirectResponse(safe_next(next), status_code=303)
    return render(request, "login.html", {"next": safe_next(next), "error": None, "name": ""})


@router.post("/login")
async def login(request: Request) -> Response:
    form = await request.form()
    name, password = str(form.get("name") or ""), str(form.get("password") or "")
    target = safe_next(str(form.get("next") or "/"))
    user = (
        await run_in_threadpool(check_credentials, name, password, client_address(request))
        if name and password
        else None
    )
    if user is None:
        context = {"next": target, "error": login_refused(), "name": name}
        return render(request, "login.html", context, status_code=401)
    request.session.clear()  # nothing from the anonymous session carries over
    request.session.update(session_marks(user))
    new_csrf_token(request)
    return RedirectResponse(target, status_code=303)


def end_session(request: Request) -> None:
    """Log out: the user's session version moves on, so this cookie and every copy of it stop
    working on the server, not only in this browser."""
    uid = request.session.get("uid")
    if isinstance(uid, int):
        with session_scope() as s:
            logins.end_sessions(s, uid)
    request.session.clear()


@router.post("/logout")
def logout(request: Request) -> Response:
    end_session(request)
    new_csrf_token(request)
    return RedirectResponse("/login", status_code=303)
