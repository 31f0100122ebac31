"""Reference data — organs, users, the working-day calendar — in starlette-admin, mounted at /admin
for the admin role. Its forms do not write rows themselves: create and edit call the workflow
services (directory, calendar import and recomputation), which check every value."""

from __future__ import annotations

import hmac
from collections.abc import Callable
from itertools import groupby
from pathlib import Path
from typing import Any, TypeVar

import anyio.to_thread
import yaml
from fastapi import FastAPI
from itsdangerous import BadSignature
from markupsafe import escape
from sqlalchemy.orm import sessionmaker
from sqlmodel import Session, col, select
from starlette.middleware import Middleware
from starlette.middleware.base import RequestResponseEndpoint
from starlette.requests import Request
from starlette.responses import HTMLResponse, PlainTextResponse, RedirectResponse, Response
from starlette.routing import Route
from starlette.templating import Jinja2Templates
from starlette_admin import (
    BooleanField,
    ComputedField,
    DateTimeField,
    EnumField,
    I18nConfig,
    IntegerField,
    Link,
    PasswordField,
    StringField,
    TextAreaField,
    TimezoneConfig,
)
from starlette_admin.auth import AdminUser, BaseAuthProvider
from starlette_admin.contrib.sqlmodel import Admin, ModelView
from starlette_admin.exceptions import FormValidationError
from starlette_admin.helpers import on_commit
from starlette_admin.security.csrf import CSRFMiddleware

from accounts.passwords import hash_password
from admin.auth import end_session, session_user
from admin.labels import ROLE_LABELS
from admin.security import csrf_token
from admin.templating import code_label
from codes import DEFAULT_NUMBER_PATTERN, Role
from config.i18n import _, current_language
from config.i18n import render as render_message
from config.settings import get_settings
from models.calendar import CalendarDay, CalendarYear
from models.db import get_engine, read_session
from models.organs import Organ, User
from workflow import calendar as wcal
from workflow.calendar_store import parse_arrangement, year_listing
from workflow.directory import (
    LETTER_FIELDS,
    add_organ,
    add_user,
    update_letter_data,
    update_organ,
    update_user,
)
from workflow.errors import OgiError
from workflow.recompute import import_arrangement

T = TypeVar("T")
TEMPLATE_OVERRIDES = Path(__file__).parent / "templates" / "sa"


# --- who may enter -------------------------------------------------------------------------------
def admin_user(request: Request) -> User | None:
    """The session's user when it may act (admin.auth.session_user) and is an administrator."""
    with read_session() as s:
        user = session_user(s, request.session)
    return user if user is not None and user.role == Role.admin else None


class SessionAuth(BaseAuthProvider):
    """The case-work login is the only login; this provider only reads its session."""

    async def authenticate(self, request: Request) -> AdminUser | None:
        user = await anyio.to_thread.run_sync(admin_user, request)
        if user is None:
            return None
        request.state.ogi_user = user
        return AdminUser(username=_("{name} ({role})", name=user.name, role=code_label(user.role, "role")))

    def get_routes(self, templates: Jinja2Templates) -> list[Route]:
        return [
            Route("/login", self.to_login, name="login"),
            Route("/logout", self.logout, methods=["POST"], name="logout"),
        ]

    async def to_login(self, request: Request) -> Response:
        if request.session.get("uid"):  # logged in, but not an administrator
            title, why = (
                _("No access"),
                _("Reference data (organs, users, the calendar) is for administrators."),
            )
            home = _("Back to the start page")
            return HTMLResponse(
                f"<!doctype html><meta charset=utf-8><title>{escape(title)}</title>"
                f"<p>{escape(why)} <a href='/'>{escape(home)}</a></p>",
                status_code=403,
            )
        return RedirectResponse("/login?next=/admin/", status_code=303)

    async def logout(self, request: Request) -> Response:
        await anyio.to_thread.run_sync(end_session, request)
        return RedirectResponse("/login", status_code=303)


# --- running the services from an async view ---------------------------------------------------
async def through_service(request: Request, work: Callable[[Session], T], field: str) -> T:
    """Run a service call on the request's session; a refusal becomes the form's error message."""
    session: Session = request.state.session
    try:
        return await anyio.to_thread.run_sync(work, session)
    except OgiError as e:
        raise FormValidationError({field: render_message(e)}) from None


def organ_choices(request: Request) -> list[tuple[str, str]]:
    with read_session() as s:
        return [(o.code, f"{o.code} {o.name}") for o in s.exec(select(Organ).order_by(col(Organ.code)))]


def organ_code(session: Session, organ_id: int | None) -> str | None:
    organ = session.get(Organ, organ_id) if organ_id else None
    return organ.code if organ else None


class ServiceView(ModelView):
    """Reference data: only administrators; rows are never deleted (the history names them)."""

    def __init__(self, model: type[Any], **kw: Any) -> None:
        self.fields = self.field_list()  # built per admin: the labels are read in its language
        super().__init__(model, **kw)

    @staticmethod
    def field_list() -> tuple[Any, ...]:
        return ()

    def is_accessible(self, request: Request) -> bool:
        user = getattr(request.state, "ogi_user", None)
        return user is not None and user.role == Role.admin

    def can_delete(self, request: Request) -> bool:
        return False

    def can_import(self, request: Request) -> bool:
        return False  # a bulk import would write rows without the services' checks


# --- organs ------------------------------------------------------------------------------------
class OrganView(ServiceView):
    @staticmethod
    def field_list() -> tuple[Any, ...]:
        """The fields, labelled in the reader's language when the admin is built."""
        return (
            IntegerField("id", label=_("ID no."), exclude_from_create=True, exclude_from_edit=True),
            StringField(
                "code",
                label=_("Code"),
                required=True,
                exclude_from_edit=True,
                help_text=_("letters, digits, -, _ and .; refs start with it; it cannot change once created"),
            ),
            StringField("name", label=_("Name"), required=True),
            EnumField(
                "parent",
                label=_("Parent organ"),
                choices_loader=organ_choices,
                getter=lambda request, obj: organ_code(request.state.session, obj.parent_id),
                orderable=False,
                searchable=False,
            ),
            # what the organ's documents print (DESIGN §11); the remedy bodies are needed for reply letters
            StringField(
                "short_name", label=_("Short name (prefix of document numbers)"), exclude_from_list=True
            ),
            StringField("address", label=_("Contact address"), exclude_from_list=True),
            StringField("phone", label=_("Telephone"), exclude_from_list=True),
            StringField("reconsideration_body", label=_("Reconsideration body"), exclude_from_list=True),
            StringField("court", label=_("Competent court"), exclude_from_list=True),
            StringField(
                "number_pattern",
                label=_("Document number format"),
                exclude_from_list=True,
                help_text=_("default: {pattern}", pattern=DEFAULT_NUMBER_PATTERN),
            ),
        )

    sortable_fields = ("id", "code", "name")
    searchable_fields = ("code", "name")

    async def validate(self, request: Request, data: dict[str, Any]) -> None:
        return None  # the directory service checks every value

    async def create(self, request: Request, data: dict[str, Any]) -> Any:
        return await through_service(
            request,
            lambda s: add_organ(
                s, code=data["code"] or "", name=data["name"] or "", parent=data.get("parent")
            ),
            "code",
        )

    async def edit(self, request: Request, pk: Any, data: dict[str, Any]) -> Any:
        def work(s: Session) -> Organ:
            organ = s.get(Organ, int(pk))
            if organ is None:
                raise FormValidationError({"name": _("unknown organ {pk}", pk=pk)})
            update_organ(s, organ.code, name=data["name"] or "", parent=data.get("parent"))
            letter = {name: str(data.get(name) or "") for name in LETTER_FIELDS}
            return update_letter_data(s, organ.code, letter)

        return await through_service(request, work, "name")


# --- users -------------------------------------------------------------------------------------
class UserView(ServiceView):
    @staticmethod
    def field_list() -> tuple[Any, ...]:
        """The fields, labelled in the reader's language when the admin is built."""
        return (
            IntegerField("id", label=_("ID no."), exclude_from_create=True, exclude_from_edit=True),
            StringField("name", label=_("User name"), required=True, exclude_from_edit=True),
            EnumField(
                "organ",
                label=_("Organ"),
                required=True,
                choices_loader=organ_choices,
                getter=lambda request, obj: organ_code(request.state.session, obj.organ_id),
                orderable=False,
                searchable=False,
            ),
            EnumField(
                "role",
                label=_("Role"),
                required=True,
                choices=[(r, code_label(r, "role")) for r in ROLE_LABELS],
            ),
            StringField("email", label=_("E-mail address"), required=True),
            BooleanField("active", label=_("Active"), default=True),
            PasswordField(
                "password",
                label=_("Login password"),
                help_text=_("at least 8 characters; left blank when editing, it stays as it is"),
                getter=lambda request, obj: "",
                exclude_from_list=True,
                exclude_from_detail=True,
                searchable=False,
                orderable=False,
            ),
        )

    exclude_fields_from_list = ("password",)
    sortable_fields = ("id", "name", "role", "email", "active")
    searchable_fields = ("name", "email", "role")

    async def validate(self, request: Request, data: dict[str, Any]) -> None:
        return None

    async def create(self, request: Request, data: dict[str, Any]) -> Any:
        def work(s: Session) -> User:
            pw = hash_password(data["password"]) if data.get("password") else None
            return add_user(
                s, name=data["name"] or "", organ=data["organ"] or None, role=data["role"] or "",
                email=data["email"] or "", password_hash=pw,
            )  # fmt: skip

        return await through_service(request, work, "name")

    async def edit(self, request: Request, pk: Any, data: dict[str, Any]) -> Any:
        me: User = request.state.ogi_user

        def work(s: Session) -> User:
            user = s.get(User, int(pk))
            if user is None:
                raise FormValidationError({"name": _("unknown user {pk}", pk=pk)})
            if user.id == me.id and (data["role"] != Role.admin or not data["active"]):
                # an administrator cannot lock themselves (and possibly everyone) out
                raise FormValidationError(
                    {"role": _("You cannot deactivate yourself or give up your own administrator role")}
                )
            pw = hash_password(data["password"]) if data.get("password") else None
            return update_user(
                s, user.name, organ=data["organ"] or None, role=data["role"] or "", email=data["email"] or "",
                active=bool(data["active"]), password_hash=pw,
            )  # fmt: skip

        return await through_service(request, work, "email")


# --- the working-day calendar ------------------------------------------------------------------
def arrangement_yaml(listing: dict[str, Any]) -> str:
    """A stored year in the import format, holidays folded back into periods (to edit and re-import)."""
    periods = []
    for name, days in groupby(listing["holidays"], key=lambda d: d["name"]):
        run = [d["date"] for d in days]
        periods.append({"name": name, "from": run[0], "to": run[-1]})
    doc = {
        "year": listing["year"],
        "source": listing["source"] or "",
        "holidays": periods,
        "workdays": [{"date": d["date"], "name": d["name"]} for d in listing["workdays"]],
    }
    return yaml.safe_dump(doc, allow_unicode=True, sort_keys=False, default_flow_style=None)


def day_summary(request: Request, obj: CalendarYear) -> str:
    session: Session = request.state.session
    days = session.exec(select(CalendarDay.kind).where(CalendarDay.year == obj.year)).all()
    return _(
        "{holidays} holidays, {workdays} working days moved to a weekend",
        holidays=days.count("holiday"),
        workdays=days.count("workday"),
    )


class CalendarYearView(ServiceView):
    @staticmethod
    def field_list() -> tuple[Any, ...]:
        """The fields, labelled in the reader's language when the admin is built."""
        return (
            IntegerField("year", label=_("Calendar year"), exclude_from_create=True, exclude_from_edit=True),
            StringField("source", label=_("Source"), exclude_from_create=True, exclude_from_edit=True),
            ComputedField("days", label=_("Special days"), getter=day_summary),
            StringField(
                "imported_by", label=_("Imported by"), exclude_from_create=True, exclude_from_edit=True
            ),
            DateTimeField(
                "imported_at", label=_("Imported at"), exclude_from_create=True, exclude_from_edit=True
            ),
            TextAreaField(
                "arrangement",
                label=_("Holiday arrangement (YAML)"),
                required=True,
                rows=18,
                help_text=_(
                    "format: see the README; saving recomputes the open deadlines it affects and records it"
                ),
                getter=lambda request, obj: arrangement_yaml(year_listing(request.state.session, obj.year)),
                exclude_from_list=True,
                exclude_from_detail=True,
                searchable=False,
                orderable=False,
            ),
        )

    fields_default_sort = (("year", True),)
    sortable_fields = ("year", "imported_at")
    searchable_fields = ("source",)

    async def validate(self, request: Request, data: dict[str, Any]) -> None:
        return None

    async def create(self, request: Request, data: dict[str, Any]) -> Any:
        return await self._install(request, data, expected_year=None)

    async def edit(self, request: Request, pk: Any, data: dict[str, Any]) -> Any:
        return await self._install(request, data, expected_year=int(pk))

    async def _install(self, request: Request, data: dict[str, Any], expected_year: int | None) -> Any:
        me: User = request.state.ogi_user

        def work(s: Session) -> CalendarYear:
            arrangement = parse_arrangement(data.get("arrangement") or "", _("holiday arrangement"))
            if expected_year is not None and arrangement.year != expected_year:
                raise FormValidationError(
                    {
                        "arrangement": _(
                            "Only the arrangement of {year} can be changed here", year=expected_year
                        )
                    }
                )
            result = import_arrangement(s, arrangement, actor=me.name)
            request.state.recompute_result = result
            row = s.get(CalendarYear, arrangement.year)
            assert row is not None
            return row

        try:
            row = await through_service(request, work, "arrangement")
        except BaseException:
            wcal.reset_default_calendar()  # the refused import's calendar must not linger
            raise
        # the import made its calendar the default for its transaction; reload what was committed
        on_commit(request, wcal.reset_default_calendar)
        return row


class CalendarDayView(ServiceView):
    @staticmethod
    def field_list() -> tuple[Any, ...]:
        """The fields, labelled in the reader's language when the admin is built."""
        return (
            StringField("day", label=_("Date")),
            EnumField(
                "kind",
                label=_("Kind"),
                choices=[("holiday", _("Holiday")), ("workday", _("Working day moved to a weekend"))],
            ),
            StringField("name", label=_("Name")),
            IntegerField("year", label=_("Arrangement of the year")),
        )

    fields_default_sort = (("day", True),)

    def can_create(self, request: Request) -> bool:
        return False

    def can_edit(self, request: Request) -> bool:
        return False


class SessionBoundCSRF(CSRFMiddleware):
    """starlette-admin's CSRF check with the token of our signed session instead of its free-standing
    double-submit cookie: the token changes at login and logout (admin.security.new_csrf_token), and a
    token taken from one session is worthless in another. The cookie its scripts read for their own
    requests is set to the same session-bound token."""

    async def dispatch(self, request: Request, call_next: RequestResponseEndpoint) -> Response:
        expected = csrf_token(request)
        request.state.csrf_token = self._signer.dumps(expected)
        if request.method not in self.safe_methods:
            submitted = await self._get_submitted_token(request)
            try:
                given = self._signer.loads(submitted) if submitted else None
            except BadSignature:
                given = None
            if not isinstance(given, str) or not hmac.compare_digest(given, expected):
                return PlainTextResponse(
                    _("The form failed its check (CSRF): reload the page and send it again"), status_code=403
                )
        response = await call_next(request)
        response.set_cookie(
            self.cookie_name, request.state.csrf_token, httponly=False, samesite="strict",
            secure=request.url.scheme == "https", path="/admin",
        )  # fmt: skip
        return response


def bind_csrf_to_session(admin: Admin, secret_key: str) -> None:
    """Replace the CSRF middleware starlette-admin installs by default with the session-bound one."""
    admin.middlewares = [
        Middleware(SessionBoundCSRF, secret_key=secret_key)
        if getattr(m, "cls", None) is CSRFMiddleware
        else m
        for m in admin.middlewares
    ]
    assert any(getattr(m, "cls", None) is SessionBoundCSRF for m in admin.middlewares)


def build_admin() -> Admin:
    s = get_settings()
    admin = Admin(
        sessionmaker(bind=get_engine(), class_=Session, expire_on_commit=False),
        title=_("Reference data management"),
        base_url="/admin",
        templates_dir=str(TEMPLATE_OVERRIDES),
        favicon_url="/static/favicon.svg",
        auth_provider=SessionAuth(),
        secret_key=s.secret_key,
        i18n_config=I18nConfig(
            default_locale="zh" if current_language() == "zh" else "en",
            language_cookie_name=None,
            language_header_name=None,
        ),
        timezone_config=TimezoneConfig(
            default_timezone=s.timezone, timezone_cookie_name=None, use_user_locale_timezone=False
        ),
    )
    views = [
        OrganView(Organ, icon="fa fa-building", display_name=_("Organ"), menu_label=_("Organs")),
        UserView(User, icon="fa fa-users", display_name=_("User"), menu_label=_("Users")),
        CalendarYearView(
            CalendarYear,
            icon="fa fa-calendar",
            display_name=_("Holiday arrangement of a year"),
            menu_label=_("Working-day calendar"),
        ),
        CalendarDayView(
            CalendarDay,
            icon="fa fa-calendar-day",
            display_name=_("Special days"),
            menu_label=_("Holidays and moved working days"),
        ),
    ]
    bind_csrf_to_session(admin, s.secret_key)
    for view in views:
        admin.add_view(view)
    admin.add_link(Link(menu_label=_("Back to case work"), icon="fa fa-arrow-left", url="/"))
    return admin


def mount(app: FastAPI) -> None:
    build_admin().mount_to(app)
