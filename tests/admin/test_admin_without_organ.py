"""An administrator who belongs to no organ (the first one, made before any organ) works in the
browser like any administrator: every organ's cases, the reports, the reference data."""

from __future__ import annotations

from models.db import session_scope
from tests.admin.conftest import PASSWORD, hashed, logged_in
from tests.support import D, receive
from workflow.directory import add_user


def test_an_administrator_without_an_organ_logs_in_and_sees_every_organ(office: str) -> None:
    with session_scope() as s:
        add_user(s, name="first", organ=None, role="admin", email="first@example.org",
                 password_hash=hashed(PASSWORD))  # fmt: skip
    receive(D(2026, 6, 1), organ="east", ref="E-1")
    receive(D(2026, 6, 1), organ="west", ref="W-1")
    web = logged_in("first")
    home = web.get("/")
    assert home.status_code == 200 and "全部机关" in home.text
    cases = web.get("/cases")
    assert cases.status_code == 200 and "E-1" in cases.text and "W-1" in cases.text
    assert web.get("/reports").status_code == 200
    assert web.get("/admin/").status_code == 200
