"""CSRF: every request that may change something carries the token of the session that sent it."""

from __future__ import annotations

import pytest
from fastapi.routing import APIRoute
from sqlmodel import select

from models.db import read_session
from models.organs import Organ
from tests.admin.conftest import Web, logged_in
from tests.support import D, receive
from workflow.case_json import history


def state_changing_paths() -> list[str]:
    from admin.app import ROUTERS

    paths = [
        route.path.replace("{ref}", "EAST-2026-00001").replace("{appeal_id}", "1")
        for router in ROUTERS
        for route in router.routes
        if isinstance(route, APIRoute) and route.methods & {"POST", "PUT", "PATCH", "DELETE"}
    ]
    assert (
        len(paths) >= 10
    )  # login, logout, case events, reassign, appeals, new case, report inputs/close/reopen
    return paths


def events_of(ref: str) -> list[str]:
    from workflow.service import get_case

    with read_session() as s:
        row = get_case(s, ref)
        assert row.id is not None
        return [h.event for h in history(s, row.id)]


def test_every_state_changing_route_refuses_a_request_without_the_token(office: str) -> None:
    receive(D(2026, 4, 1), organ="east", ref="EAST-2026-00001")
    w = logged_in("east-head")
    for path in state_changing_paths():
        r = w.client.post(path, data={"event": "withdraw", "version": "1", "organ": "east", "year": "2025"})
        assert r.status_code == 403, path
        assert "CSRF" in r.text, path
    assert events_of("EAST-2026-00001") == ["receive"]


def test_a_token_from_another_session_is_refused(office: str) -> None:
    receive(D(2026, 4, 1), organ="east", ref="EAST-2026-00001")
    victim, attacker = logged_in("east-worker"), logged_in("east-head")
    foreign = attacker.token()
    r = victim.client.post(
        "/cases/EAST-2026-00001/advance", data={"event": "withdraw", "version": "1", "csrf_token": foreign}
    )
    assert r.status_code == 403
    assert events_of("EAST-2026-00001") == ["receive"]


def test_the_token_may_come_in_a_header_for_scripts(office: str) -> None:
    receive(D(2026, 4, 1), organ="east", ref="EAST-2026-00001")
    w = logged_in("east-worker")
    r = w.client.post(
        "/cases/EAST-2026-00001/advance",
        data={"event": "withdraw", "version": "1", "on": "2026-06-15"},
        headers={"X-CSRF-Token": w.token()},
    )
    assert r.status_code == 303
    assert events_of("EAST-2026-00001") == ["receive", "withdraw"]


def test_the_login_form_itself_needs_the_token(web: Web) -> None:
    r = web.client.post("/login", data={"name": "east-worker", "password": "correct-horse-battery"})
    assert r.status_code == 403
    assert web.get("/").status_code == 303


@pytest.mark.parametrize("token", [None, "forged"])
def test_the_reference_admin_refuses_a_post_without_its_token(office: str, token: str | None) -> None:
    w = logged_in("root")
    data = {"code": "north", "name": "北区人民政府"} | ({"csrftoken": token} if token else {})
    r = w.client.post("/admin/organ/create", data=data)
    assert r.status_code == 403
    with read_session() as s:
        assert s.exec(select(Organ).where(Organ.code == "north")).first() is None
