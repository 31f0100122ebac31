"""The web-only rules: signed session cookies, login required everywhere but the login page, and a
CSRF token bound to the session on every state-changing request."""

from __future__ import annotations

import hmac
import secrets
from urllib.parse import quote

from fastapi import HTTPException, Request
from starlette.datastructures import URL
from starlette.middleware import Middleware
from starlette.middleware.sessions import SessionMiddleware
from starlette.responses import RedirectResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from config.i18n import _
from config.settings import get_settings

SESSION_COOKIE = "ogi_session"
SESSION_MAX_AGE = 10 * 60 * 60  # a working day and some: the cookie's signature expires after that
CSRF_FIELD = "csrf_token"
CSRF_HEADER = "x-csrf-token"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})
# what an anonymous visitor may fetch: the login page and the static assets it uses
PUBLIC_PATHS = ("/login", "/static/", "/admin/static/", "/favicon.ico")


def session_middleware() -> Middleware:
    s = get_settings()
    return Middleware(
        SessionMiddleware,
        secret_key=s.secret_key,
        session_cookie=SESSION_COOKIE,
        max_age=SESSION_MAX_AGE,
        same_site="lax",
        # in production the admin runs behind HTTPS; the cookie must never travel in clear text
        https_only=s.environment == "production",
    )


def csrf_token(request: Request) -> str:
    """The session's token (created on first use); forms carry it in a hidden field."""
    token = request.session.get("csrf")
    if not token:
        token = request.session["csrf"] = secrets.token_urlsafe(32)
    return str(token)


def new_csrf_token(request: Request) -> None:
    """A fresh token when the session changes hands (login, logout)."""
    request.session["csrf"] = secrets.token_urlsafe(32)


async def csrf_protect(request: Request) -> None:
    """A dependency of every route: a request that may change something must carry the session's
    token (form field or header). The token is bound to the signed session, so another site can
    neither read nor forge it."""
    if request.method in SAFE_METHODS:
        return
    expected = request.session.get("csrf")
    given = request.headers.get(CSRF_HEADER)
    if given is None and "form" in request.headers.get("content-type", ""):
        given = str((await request.form()).get(CSRF_FIELD) or "")
    if not expected or not given or not hmac.compare_digest(str(expected), given):
        raise HTTPException(
            403,
            _("The form failed its check (CSRF): reload the page and send it again"),
        )


def is_public(path: str) -> bool:
    return any(path == p or (p.endswith("/") and path.startswith(p)) for p in PUBLIC_PATHS)


def login_url(next_path: str) -> str:
    return f"/login?next={quote(next_path, safe='/')}" if next_path not in ("", "/") else "/login"


def safe_next(target: str | None) -> str:
    """Only a path on this site: an open redirect would let a phishing link borrow our login page."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return "/"
    return target


class LoginRequired:
    """Anonymous requests to anything but the login page and static files go to the login page.

    Runs inside the session middleware, before any route (the reference-data admin included), so
    no page can be reached by forgetting a dependency."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or is_public(scope["path"]) or scope.get("session", {}).get("uid"):
            await self.app(scope, receive, send)
            return
        url = URL(scope=scope)
        target = url.path + (f"?{url.query}" if url.query else "")
        await RedirectResponse(login_url(target), status_code=303)(scope, receive, send)


# The browser enforces what the app promises: nothing from another host (offices may be offline,
# and a page that cannot load foreign code cannot run it), no framing (clickjacking), forms post
# only here. The case-work pages, which show applicant data, get a strict policy: scripts and styles
# only from our own files, no inline script or style at all (an injected <script> or style attribute
# does nothing). Only starlette-admin's section (/admin/…), which is built on inline scripts and
# styles, gets 'unsafe-inline'; it is for administrators and shows no applicant data.
_COMMON = (
    b"default-src 'self'; img-src 'self' data:; font-src 'self' data:; connect-src 'self'; "
    b"object-src 'none'; frame-ancestors 'none'; form-action 'self'; base-uri 'self'"
)
STRICT_CSP = _COMMON + b"; script-src 'self'; style-src 'self'"
ADMIN_CSP = _COMMON + b"; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'"
ADMIN_PREFIX = "/admin"
OTHER_HEADERS: tuple[tuple[bytes, bytes], ...] = (
    (b"x-frame-options", b"DENY"),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"same-origin"),
)


def csp_for(path: str) -> bytes:
    in_admin = path == ADMIN_PREFIX or path.startswith(ADMIN_PREFIX + "/")
    return ADMIN_CSP if in_admin else STRICT_CSP


class SecurityHeaders:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                policy = (b"content-security-policy", csp_for(scope["path"]))
                message["headers"] = [*message.get("headers", []), policy, *OTHER_HEADERS]
            await send(message)

        await self.app(scope, receive, send_with_headers)
