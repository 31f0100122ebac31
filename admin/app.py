"""The web admin: case-work pages (FastAPI + Jinja2) and the reference-data admin (starlette-admin,
mounted at /admin). `create_app()` reads the settings when called, so tests and `ogi serve` each
get an app bound to their database."""

from __future__ import annotations

from http import HTTPStatus

from fastapi import Depends, FastAPI, Request
from fastapi.encoders import jsonable_encoder
from fastapi.exceptions import HTTPException, RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.middleware import Middleware
from starlette.middleware.trustedhost import TrustedHostMiddleware
from starlette.staticfiles import StaticFiles

from admin import auth, cases, dashboard, documents_page, ledger_page, reference, reports_page
from admin.security import LoginRequired, SecurityHeaders, csrf_protect, login_url, session_middleware
from admin.templating import render
from codes.labels import FieldList, FieldName
from config.i18n import N_, _
from config.i18n import render as render_message
from config.settings import get_settings
from workflow.errors import Conflict, NotFound, OgiError, PermissionDenied

TITLE = "政府信息公开申请办理系统"
ROUTERS = (
    auth.router,
    dashboard.router,
    cases.router,
    documents_page.router,
    reports_page.router,
    ledger_page.router,
)
STATUS: dict[type[OgiError], int] = {NotFound: 404, PermissionDenied: 403, Conflict: 409}


def create_app() -> FastAPI:
    app = FastAPI(
        title=TITLE,
        docs_url=None,
        redoc_url=None,
        openapi_url=None,
        # outermost first: the session is read before the login check runs
        middleware=[
            # a request naming another host is refused first: pages build absolute URLs from it
            Middleware(TrustedHostMiddleware, allowed_hosts=list(get_settings().trusted_hosts)),
            Middleware(SecurityHeaders),
            session_middleware(),
            Middleware(LoginRequired),
        ],
        dependencies=[Depends(csrf_protect)],
    )
    for router in ROUTERS:
        app.include_router(router)
    # our stylesheet, the report's (report.css), and starlette-admin's vendored Tabler build (no CDN:
    # offices may be offline)
    packages: list[str | tuple[str, str]] = [
        ("admin", "static"),
        ("reports", "static"),
        ("starlette_admin", "static"),
    ]
    app.mount("/static", StaticFiles(packages=packages), name="static")
    reference.mount(app)
    app.add_exception_handler(auth.NotLoggedIn, _to_login)
    app.add_exception_handler(OgiError, _refusal)
    app.add_exception_handler(StarletteHTTPException, _http_error)
    # a malformed path or query value (an id of twenty digits, a word where a number goes) is the
    # user's input: a page saying what was wrong, never FastAPI's JSON
    app.add_exception_handler(RequestValidationError, _invalid_request)
    return app


async def _to_login(request: Request, exc: Exception) -> Response:
    target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    return RedirectResponse(login_url(target), status_code=303)


# Starlette's reason phrases, as a person reads them (an API client gets them as JSON, in English)
HTTP_MESSAGES: dict[int, str] = {
    400: N_("Bad request"),
    401: N_("Not logged in"),
    403: N_("You may not open this page"),
    404: N_("No such page"),
    405: N_("This page does not accept that kind of request"),
    422: N_("The request could not be read"),
}


def _wants_json(request: Request) -> bool:
    """An API client (it asks for JSON and not for a page) gets JSON; a person gets a page."""
    accept = request.headers.get("accept", "")
    return "application/json" in accept and "text/html" not in accept


def _problem(request: Request, status: int, message: str, detail: object) -> Response:
    if _wants_json(request):
        return JSONResponse({"detail": detail}, status_code=status)
    return render(request, "error.html", {"status": status, "message": message}, status_code=status)


async def _refusal(request: Request, exc: Exception) -> Response:
    status = next((code for kind, code in STATUS.items() if isinstance(exc, kind)), 422)
    return _problem(request, status, render_message(exc), str(exc))


async def _invalid_request(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, RequestValidationError)
    # each field by its label in the reader's language (an unknown one reads as its name)
    names = [
        FieldName(tuple(p for p in e.get("loc", ()) if p not in ("path", "query"))) for e in exc.errors()[:3]
    ]
    fields = FieldList.of(names)
    message = _("{fields}: not a valid value", fields=fields)
    return _problem(request, 422, message, jsonable_encoder(exc.errors()))


async def _http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException | StarletteHTTPException)
    known = HTTP_MESSAGES.get(exc.status_code)
    # our own details are already sentences in the reader's language; Starlette's are its reason phrases
    own = isinstance(exc.detail, str) and exc.detail != HTTPStatus(exc.status_code).phrase
    message = exc.detail if own or known is None else _(known)
    return _problem(request, exc.status_code, str(message), exc.detail)
