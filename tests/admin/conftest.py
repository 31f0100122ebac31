"""The web admin on a real database: a TestClient per user, logged in through the login form, and a
clock pinned to a known business day (the app and the services read the same patched clock)."""

from __future__ import annotations

import datetime as dt
import re
import warnings
from collections.abc import Iterator
from functools import cache
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine

from accounts.passwords import hash_password
from models.db import session_scope
from workflow.directory import add_organ, add_user

with warnings.catch_warnings():
    warnings.simplefilter("ignore")  # starlette suggests httpx2; httpx is what the project installs
    from starlette.testclient import TestClient

SHANGHAI = ZoneInfo("Asia/Shanghai")
PASSWORD = "correct-horse-battery"
TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')
ADMIN_TOKEN = re.compile(r'name="csrftoken" value="([^"]+)"')
# a Monday in June 2026: every date the tests use lies before it
TODAY = dt.date(2026, 6, 15)


@pytest.fixture(autouse=True)
def chinese_web(monkeypatch: pytest.MonkeyPatch) -> None:
    """The web admin is read in Chinese (the default language); its pages' words are asserted so."""
    from config.settings import get_settings

    monkeypatch.setenv("OGI_LANG", "zh")
    get_settings.cache_clear()


def at(day: dt.date, hour: int = 10) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, hour, tzinfo=SHANGHAI)


@pytest.fixture
def pinned() -> Iterator[time_machine.Traveller]:
    with time_machine.travel(at(TODAY), tick=True) as traveller:
        yield traveller


@cache
def hashed(password: str) -> str:
    """argon2 is slow on purpose (~0.4 s here); the tests' users share one hash of each password."""
    return hash_password(password)


def person(name: str, organ: str, role: str, *, password: str | None = PASSWORD) -> None:
    with session_scope() as s:
        add_user(
            s,
            name=name,
            organ=organ,
            role=role,
            email=f"{name}@example.org",
            password_hash=hashed(password) if password else None,
        )


@pytest.fixture
def office(sqlite_db: str, pinned: time_machine.Traveller) -> str:
    """Two organs, each with a caseworker and a supervisor, and an administrator (all can log in)."""
    staff()
    return sqlite_db


@pytest.fixture
def any_office(any_db: str, pinned: time_machine.Traveller) -> str:
    """The same office on SQLite and on PostgreSQL."""
    staff()
    return any_db


def staff() -> None:
    with session_scope() as s:
        add_organ(s, code="east", name="东区人民政府")
        add_organ(s, code="west", name="西区人民政府")
    for organ in ("east", "west"):
        person(f"{organ}-worker", organ, "caseworker")
        person(f"{organ}-head", organ, "supervisor")
    person("root", "east", "admin")


class Web:
    """A browser-like client of the app: cookies, the CSRF token of its session, form posts."""

    def __init__(self, address: str = "testclient") -> None:
        from admin.app import create_app

        self.client = TestClient(create_app(), follow_redirects=False, client=(address, 50000))

    def get(self, path: str, **kw: Any) -> Any:
        return self.client.get(path, **kw)

    def token(self) -> str:
        page = self.client.get("/login")
        if page.status_code == 303:  # logged in: any page with a form carries the token
            page = self.client.get("/cases-new")
        match = TOKEN.search(page.text)
        assert match, page.text[:500]
        return match.group(1)

    def post(self, path: str, data: dict[str, Any] | None = None, *, token: bool = True) -> Any:
        form = dict(data or {})
        if token:
            form["csrf_token"] = self.token()
        return self.client.post(path, data=form)

    def login(self, name: str, password: str = PASSWORD) -> Any:
        return self.post("/login", {"name": name, "password": password, "next": "/"})

    def advance(self, ref: str, event: str, version: int, **params: Any) -> Any:
        data = {"event": event, "version": str(version), **{k: str(v) for k, v in params.items()}}
        return self.post(f"/cases/{ref}/advance", data)

    def admin_post(self, path: str, data: dict[str, Any]) -> Any:
        """A form post to the reference-data admin, with starlette-admin's own CSRF token."""
        page = self.client.get("/admin/organ/create")
        match = ADMIN_TOKEN.search(page.text)
        assert match, page.text[:500]
        return self.client.post(path, data={"csrftoken": match.group(1), **data})


@pytest.fixture
def web(office: str) -> Web:
    return Web()


def logged_in(name: str) -> Web:
    w = Web()
    response = w.login(name)
    assert response.status_code == 303, response.text[:500]
    return w


def texts(html: str, css_class: str) -> list[str]:
    """The text of every element with this class (the pages mark what tests read)."""
    return [
        re.sub(r"<[^>]+>", "", m).strip()
        for m in re.findall(rf'class="{css_class}"[^>]*>(.*?)</', html, re.S)
    ]
