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
from codes import Role
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
        return AdminUser(username=f"{user.name}（{ROLE_LABELS[user.role]}）")

    def get_routes(self, templates: Jinja2Templates) -> list[Route]:
        return [
            Route("/login", self.to_login, name="login"),
            Route("/logout", self.logout, methods=["POST"], name="logout"),
        ]

    async def to_login(self, request: Request) -> Response:
        if request.session.get("uid"):  # logged in, but not an administrator
            return HTMLResponse(
                "<!doctype html><meta charset=utf-8><title>无权访问</title>"
                "<p>基础数据管理（机关、用户、工作日历）仅限系统管理员。<a href='/'>返回首页</a></p>",
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

    def is_accessible(self, request: Request) -> bool:
        user = getattr(request.state, "ogi_user", None)
        return user is not None and user.role == Role.admin

    def can_delete(self, request: Request) -> bool:
        return False

    def can_import(self, request: Request) -> bool:
        return False  # a bulk import would write rows without the services' checks


# --- organs ------------------------------------------------------------------------------------
class OrganView(ServiceView):
    fields = (
        IntegerField("id", label="编号", exclude_from_create=True, exclude_from_edit=True),
        StringField(
            "code",
            label="代码",
            required=True,
            exclude_from_edit=True,
            help_text="字母、数字、-、_、.；案号以此开头，创建后不可更改",
        ),
        StringField("name", label="名称", required=True),
        EnumField(
            "parent",
            label="上级机关",
            choices_loader=organ_choices,
            getter=lambda request, obj: organ_code(request.state.session, obj.parent_id),
            orderable=False,
            searchable=False,
        ),
        # what the organ's documents print (DESIGN §11); the remedy bodies are needed for reply letters
        StringField("short_name", label="简称（文号前缀）", exclude_from_list=True),
        StringField("address", label="联系地址", exclude_from_list=True),
        StringField("phone", label="联系电话", exclude_from_list=True),
        StringField("reconsideration_body", label="行政复议机关", exclude_from_list=True),
        StringField("court", label="管辖法院", exclude_from_list=True),
        StringField(
            "number_pattern",
            label="文号格式",
            exclude_from_list=True,
            help_text="默认 {short}{code}〔{year}〕{seq}号",
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
                raise FormValidationError({"name": f"unknown organ {pk}"})
            update_organ(s, organ.code, name=data["name"] or "", parent=data.get("parent"))
            letter = {name: str(data.get(name) or "") for name in LETTER_FIELDS}
            return update_letter_data(s, organ.code, letter)

        return await through_service(request, work, "name")


# --- users -------------------------------------------------------------------------------------
class UserView(ServiceView):
    fields = (
        IntegerField("id", label="编号", exclude_from_create=True, exclude_from_edit=True),
        StringField("name", label="用户名", required=True, exclude_from_edit=True),
        EnumField(
            "organ",
            label="机关",
            required=True,
            choices_loader=organ_choices,
            getter=lambda request, obj: organ_code(request.state.session, obj.organ_id),
            orderable=False,
            searchable=False,
        ),
        EnumField("role", label="角色", required=True, choices=list(ROLE_LABELS.items())),
        StringField("email", label="电子邮箱", required=True),
        BooleanField("active", label="启用", default=True),
        PasswordField(
            "password",
            label="登录密码",
            help_text="至少 8 位；编辑时留空则不修改",
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
                raise FormValidationError({"name": f"unknown user {pk}"})
            if user.id == me.id and (data["role"] != Role.admin or not data["active"]):
                # an administrator cannot lock themselves (and possibly everyone) out
                raise FormValidationError({"role": "不能停用自己或取消自己的管理员角色"})
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
    return f"{days.count('holiday')} 天节假日，{days.count('workday')} 天调休上班"


class CalendarYearView(ServiceView):
    fields = (
        IntegerField("year", label="年份", exclude_from_create=True, exclude_from_edit=True),
        StringField("source", label="依据", exclude_from_create=True, exclude_from_edit=True),
        ComputedField("days", label="特殊日期", getter=day_summary),
        StringField("imported_by", label="导入人", exclude_from_create=True, exclude_from_edit=True),
        DateTimeField("imported_at", label="导入时间", exclude_from_create=True, exclude_from_edit=True),
        TextAreaField(
            "arrangement",
            label="节假日安排（YAML）",
            required=True,
            rows=18,
            help_text="国务院办公厅通知的格式见 README；保存后重新计算受影响的在办申请期限，并记入办理记录",
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
            arrangement = parse_arrangement(data.get("arrangement") or "", "节假日安排")
            if expected_year is not None and arrangement.year != expected_year:
                raise FormValidationError({"arrangement": f"此处只能修改 {expected_year} 年的安排"})
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
    fields = (
        StringField("day", label="日期"),
        EnumField("kind", label="类别", choices=[("holiday", "节假日"), ("workday", "调休上班")]),
        StringField("name", label="名称"),
        IntegerField("year", label="所属年度安排"),
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
                return PlainTextResponse("CSRF 校验失败：请刷新页面后重新提交", status_code=403)
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
        title="基础数据管理",
        base_url="/admin",
        templates_dir=str(TEMPLATE_OVERRIDES),
        favicon_url="/static/favicon.svg",
        auth_provider=SessionAuth(),
        secret_key=s.secret_key,
        i18n_config=I18nConfig(default_locale="zh", language_cookie_name=None, language_header_name=None),
        timezone_config=TimezoneConfig(
            default_timezone=s.timezone, timezone_cookie_name=None, use_user_locale_timezone=False
        ),
    )
    views = [
        OrganView(Organ, icon="fa fa-building", display_name="机关", menu_label="机关"),
        UserView(User, icon="fa fa-users", display_name="用户", menu_label="用户"),
        CalendarYearView(
            CalendarYear, icon="fa fa-calendar", display_name="年度节假日安排", menu_label="工作日历"
        ),
        CalendarDayView(
            CalendarDay, icon="fa fa-calendar-day", display_name="特殊日期", menu_label="节假日与调休"
        ),
    ]
    bind_csrf_to_session(admin, s.secret_key)
    for view in views:
        admin.add_view(view)
    admin.add_link(Link(menu_label="返回办理系统", icon="fa fa-arrow-left", url="/"))
    return admin


def mount(app: FastAPI) -> None:
    build_admin().mount_to(app)
