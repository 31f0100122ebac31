"""The reference-data admin's CSRF token is bound to the session (it dies with logout and is worthless
in another session), and the app answers only to the host names it is configured for."""

from __future__ import annotations

import pytest
from sqlmodel import select

from config.settings import Settings, get_settings
from models.db import read_session
from models.organs import Organ
from tests.admin.conftest import ADMIN_TOKEN, Web, logged_in, person


def admin_token(w: Web) -> str:
    match = ADMIN_TOKEN.search(w.get("/admin/organ/create").text)
    assert match
    return match.group(1)


def organ_exists(code: str) -> bool:
    with read_session() as s:
        return s.exec(select(Organ).where(Organ.code == code)).first() is not None


def test_the_admins_token_from_before_a_logout_is_refused_after_logging_in_again(office: str) -> None:
    w = logged_in("root")
    old = admin_token(w)
    assert w.post("/logout").status_code == 303
    assert w.login("root").status_code == 303
    r = w.client.post("/admin/organ/create", data={"csrftoken": old, "code": "north", "name": "北区"})
    assert r.status_code == 403 and not organ_exists("north")
    fresh = admin_token(w)
    assert fresh != old
    r = w.client.post("/admin/organ/create", data={"csrftoken": fresh, "code": "north", "name": "北区"})
    assert r.status_code == 303 and organ_exists("north")


def test_the_admins_token_and_cookie_from_another_session_are_refused(office: str) -> None:
    person("root2", "west", "admin")
    attacker, victim = logged_in("root2"), logged_in("root")
    token = admin_token(attacker)
    # double-submit: the attacker's token with the cookie it came with, planted beside the victim's session
    cookie = attacker.client.cookies["starlette_admin_csrftoken"]
    victim.client.cookies.set("starlette_admin_csrftoken", cookie, path="/admin")
    r = victim.client.post("/admin/organ/create", data={"csrftoken": token, "code": "south", "name": "南区"})
    assert r.status_code == 403 and not organ_exists("south")


@pytest.mark.parametrize("host", ["evil.example", "127.0.0.1.nip.io", "ogi.example.org.evil.example"])
def test_a_request_naming_another_host_is_refused(office: str, host: str) -> None:
    w = logged_in("east-worker")
    for path in ("/login", "/cases", "/admin/"):
        r = w.client.get(path, headers={"host": host})
        assert r.status_code == 400, path


def test_production_needs_ogi_allowed_hosts_and_answers_only_to_them(
    office: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    with pytest.raises(ValueError, match="OGI_ALLOWED_HOSTS"):
        Settings(environment="production", secret_key="x" * 40)
    monkeypatch.setenv("OGI_ALLOWED_HOSTS", "ogi.example.org, ogi.internal")
    get_settings.cache_clear()
    w = Web()
    assert w.client.get("/login", headers={"host": "ogi.example.org"}).status_code == 200
    assert w.client.get("/login", headers={"host": "ogi.internal:8443"}).status_code == 200
    assert w.client.get("/login", headers={"host": "testserver"}).status_code == 400
    assert w.client.get("/login", headers={"host": "localhost"}).status_code == 400
