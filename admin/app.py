"""The web admin: case-work pages (FastAPI + Jinja2) and the reference-data admin (starlette-admin,
mounted at /admin). `create_app()` reads the settings when called, so tests and `ogi serve` each
get an app bound to their database."""

from __future__ import annotations

from fastapi import Depends, FastAPI, Request
from fastapi.exceptions import HTTPException, RequestValidationError
from fastapi.responses import RedirectResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.middleware import Middleware
from starlette.middleware.trustedhost import TrustedHostMiddleware
from starlette.staticfiles import StaticFiles

from admin import auth, cases, dashboard, documents_page, reference, reports_page
from admin.security import LoginRequired, SecurityHeaders, csrf_protect, login_url, session_middleware
from admin.templating import render
from config.settings import get_settings
from workflow.errors import Conflict, NotFound, OgiError, PermissionDenied

TITLE = "政府信息公开申请办理系统"
ROUTERS = (auth.router, dashboard.router, cases.router, documents_page.router, reports_page.router)
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


async def _refusal(request: Request, exc: Exception) -> Response:
    status = next((code for kind, code in STATUS.items() if isinstance(exc, kind)), 422)
    return render(request, "error.html", {"status": status, "message": str(exc)}, status_code=status)


async def _invalid_request(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, RequestValidationError)
    problems = "; ".join(
        f"{'.'.join(str(p) for p in e.get('loc', ()))}: {e.get('msg', '')}" for e in exc.errors()[:3]
    )
    return render(request, "error.html", {"status": 422, "message": problems}, status_code=422)


async def _http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException | StarletteHTTPException)
    return render(
        request, "error.html", {"status": exc.status_code, "message": exc.detail}, status_code=exc.status_code
    )
