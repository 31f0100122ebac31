"""Logging in: argon2 passwords, signed session cookies, and nothing but the login page for strangers."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from fastapi.routing import APIRoute

from accounts.passwords import hash_password
from models.db import session_scope
from tests.admin.conftest import PASSWORD, Web, logged_in
from tests.cli_support import ogi
from tests.support import D, receive
from workflow.directory import update_user


def every_page() -> list[str]:
    """Every GET path of the case-work app (path parameters filled in), and the reference admin."""
    from admin.app import ROUTERS

    paths = [
        route.path.replace("{ref}", "EAST-2026-00001").replace("{appeal_id}", "1")
        for router in ROUTERS
        for route in router.routes
        if isinstance(route, APIRoute) and "GET" in route.methods and route.path != "/login"
    ]
    return [*paths, "/admin/", "/admin/organ/list", "/admin/user/create"]


def test_anonymous_requests_to_any_page_but_login_are_sent_to_the_login_page(web: Web) -> None:
    receive(D(2026, 4, 1), organ="east", ref="EAST-2026-00001")
    pages = every_page()
    assert {"/", "/cases", "/cases/EAST-2026-00001", "/reports", "/reports/download"} <= set(pages)
    for path in pages:
        r = web.get(path)
        assert r.status_code == 303, path
        assert r.headers["location"].startswith("/login"), path
    # and a POST from a stranger goes the same way before anything else is looked at
    r = web.client.post("/cases/EAST-2026-00001/advance", data={"event": "withdraw", "version": "1"})
    assert r.status_code == 303 and r.headers["location"].startswith("/login")


def test_the_login_page_remembers_where_the_user_was_going(web: Web) -> None:
    r = web.get("/cases?state=received")
    assert r.headers["location"] == "/login?next=/cases%3Fstate%3Dreceived"
    r = web.post("/login", {"name": "east-worker", "password": PASSWORD, "next": "/cases?state=received"})
    assert r.status_code == 303 and r.headers["location"] == "/cases?state=received"


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/x", "/\\evil.example"])
def test_after_login_the_browser_only_goes_to_a_path_on_this_site(web: Web, target: str) -> None:
    r = web.post("/login", {"name": "east-worker", "password": PASSWORD, "next": target})
    assert r.status_code == 303 and r.headers["location"] == "/"


def test_the_login_page_and_its_static_files_need_no_login(web: Web) -> None:
    assert web.get("/login").status_code == 200
    assert web.get("/static/admin.css").status_code == 200
    assert web.get("/static/css/vendor/tabler.min.css").status_code == 200


def test_a_user_added_with_password_stdin_logs_in_and_sees_their_name(web: Web) -> None:
    ogi(None, "user", "add", "zhou", "--organ", "east", "--role", "caseworker", "--email", "z@e.org",
        "--password-stdin", stdin="zhou-secret-42\n")  # fmt: skip
    r = web.login("zhou", "zhou-secret-42")
    assert r.status_code == 303 and r.headers["location"] == "/"
    page = web.get("/")
    assert page.status_code == 200 and 'id="whoami">zhou（办理人员，东区人民政府）' in page.text


@pytest.mark.parametrize(("name", "password"), [("east-worker", "wrong-password"), ("nobody", PASSWORD)])
def test_a_wrong_password_or_unknown_name_is_refused_and_logs_nobody_in(
    web: Web, name: str, password: str
) -> None:
    r = web.login(name, password)
    assert r.status_code == 401 and "用户名或密码错误" in r.text
    assert web.get("/").status_code == 303


def test_a_user_without_a_password_cannot_log_in(web: Web) -> None:
    from tests.admin.conftest import person

    person("nopass", "east", "caseworker", password=None)
    assert web.login("nopass", "").status_code == 401
    assert web.login("nopass", "anything-at-all").status_code == 401


def test_deactivating_a_user_refuses_their_login_and_ends_their_session(office: str) -> None:
    w = logged_in("east-worker")
    assert w.get("/cases").status_code == 200
    with session_scope() as s:
        update_user(s, "east-worker", organ="east", role="caseworker", email="w@e.org", active=False)
    assert w.get("/cases").status_code == 303
    assert Web().login("east-worker").status_code == 401


def test_a_new_password_ends_the_sessions_opened_with_the_old_one(office: str) -> None:
    w = logged_in("east-worker")
    with session_scope() as s:
        update_user(
            s, "east-worker", organ="east", role="caseworker", email="w@e.org", active=True,
            password_hash=hash_password("a-brand-new-one"),
        )  # fmt: skip
    assert w.get("/cases").status_code == 303
    assert Web().login("east-worker", "a-brand-new-one").status_code == 303


def test_a_tampered_session_cookie_counts_as_no_session(office: str) -> None:
    w = logged_in("east-worker")
    cookie = w.client.cookies["ogi_session"]
    payload, signature = cookie.split(".", 1)
    w.client.cookies.set(
        "ogi_session", payload[:-2] + ("AA" if payload[-2:] != "AA" else "BB") + "." + signature
    )
    assert w.get("/cases").status_code == 303


def test_the_session_cookie_is_signed_http_only_and_same_site(web: Web) -> None:
    r = web.login("east-worker")
    cookie = r.headers["set-cookie"]
    assert (
        cookie.startswith("ogi_session=")
        and "httponly" in cookie.lower()
        and "samesite=lax" in cookie.lower()
    )
    assert "east-worker" not in cookie  # only a signed id travels, never the name or the password


def test_logging_out_takes_a_post_with_the_token_and_ends_the_session(office: str) -> None:
    w = logged_in("east-worker")
    assert w.get("/logout").status_code == 405
    assert w.post("/logout", token=False).status_code == 403
    assert w.get("/cases").status_code == 200
    r = w.post("/logout")
    assert r.status_code == 303 and r.headers["location"] == "/login"
    assert w.get("/cases").status_code == 303


def test_five_wrong_passwords_in_a_row_lock_the_login_for_fifteen_minutes(
    web: Web, pinned: time_machine.Traveller
) -> None:
    for _ in range(4):
        assert web.login("east-worker", "wrong-password").status_code == 401
    assert web.login("east-worker").status_code == 303  # a correct one before the fifth resets the count
    w = Web()
    for _ in range(5):
        r = w.login("east-worker", "wrong-password")
    assert r.status_code == 401 and "锁定 15 分钟" in r.text
    assert w.login("east-worker").status_code == 401  # locked: even the right password is refused
    assert Web().login("east-head").status_code == 303  # nobody else is
    pinned.shift(dt.timedelta(minutes=16))
    assert w.login("east-worker").status_code == 303


def test_a_new_password_from_an_administrator_lifts_a_login_lock(web: Web) -> None:
    for _ in range(5):
        web.login("east-worker", "wrong-password")
    with session_scope() as s:
        update_user(
            s, "east-worker", organ="east", role="caseworker", email="w@e.org", active=True,
            password_hash=hash_password("a-brand-new-one"),
        )  # fmt: skip
    assert web.login("east-worker", "a-brand-new-one").status_code == 303
