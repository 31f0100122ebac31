"""Reference data in starlette-admin: organs, users and the calendar change only through the services."""

from __future__ import annotations

import re

import time_machine
from sqlmodel import select

from models.db import read_session
from models.organs import Organ, User
from tests.admin.conftest import Web, at, logged_in
from tests.support import D, receive
from workflow.case_json import history
from workflow.service import get_case

ERROR = re.compile(r"invalid-feedback[^>]*>\s*([^<]+?)\s*<")


def organ(code: str) -> Organ | None:
    with read_session() as s:
        return s.exec(select(Organ).where(Organ.code == code)).first()


def errors(html: str) -> list[str]:
    return [e.replace("&#39;", "'") for e in ERROR.findall(html)]


def test_an_organ_is_added_through_the_directory_service_and_its_rules(office: str) -> None:
    w = logged_in("root")
    r = w.admin_post("/admin/organ/create", {"code": "north", "name": "北区人民政府", "parent": "east"})
    assert r.status_code == 303
    north, east = organ("north"), organ("east")
    assert north is not None and east is not None and north.parent_id == east.id
    r = w.admin_post("/admin/organ/create", {"code": "bad code!", "name": "x"})
    assert r.status_code == 422 and errors(r.text) == [
        "机关代码 'bad code!'：只能使用字母、数字、'-'、'_' 或 '.'（最多 64 个字符）"
    ]
    assert organ("bad code!") is None
    r = w.admin_post("/admin/organ/create", {"code": "east", "name": "重复"})
    assert r.status_code == 422 and errors(r.text) == ["机关 'east' 已存在"]


def test_an_organ_cannot_be_moved_below_itself(office: str) -> None:
    w = logged_in("root")
    assert (
        w.admin_post("/admin/organ/create", {"code": "north", "name": "北区", "parent": "east"}).status_code
        == 303
    )
    east = organ("east")
    assert east is not None
    r = w.admin_post(f"/admin/organ/edit?pk={east.id}", {"name": "东区人民政府", "parent": "north"})
    assert r.status_code == 422 and "机关层级不能成环" in r.text
    assert organ("east").parent_id is None  # type: ignore[union-attr]


def test_a_user_added_in_the_admin_can_log_in_with_the_password_given_there(office: str) -> None:
    w = logged_in("root")
    form = {"name": "sun", "organ": "west", "role": "supervisor", "email": "sun@w.org", "active": "on"}
    r = w.admin_post("/admin/user/create", {**form, "password": "short"})
    assert r.status_code == 422 and errors(r.text) == ["密码：至少 8 个字符"]
    r = w.admin_post("/admin/user/create", {**form, "password": "sun-secret-77"})
    assert r.status_code == 303
    with read_session() as s:
        user = s.exec(select(User).where(User.name == "sun")).one()
        assert (
            user.role == "supervisor" and user.password_hash and user.password_hash.startswith("$argon2id$")
        )
    assert Web().login("sun", "sun-secret-77").status_code == 303


def test_an_administrator_cannot_lock_themselves_out(office: str) -> None:
    w = logged_in("root")
    with read_session() as s:
        root = s.exec(select(User).where(User.name == "root")).one()
    form = {"organ": "east", "role": "caseworker", "email": "root@example.org", "active": "on"}
    r = w.admin_post(f"/admin/user/edit?pk={root.id}", form)
    assert r.status_code == 422 and "不能停用自己" in r.text
    assert w.get("/admin/user/list").status_code == 200


def test_organs_and_users_are_never_deleted_nor_bulk_imported(office: str) -> None:
    w = logged_in("root")
    w.get("/admin/organ/list")
    token = w.client.cookies["starlette_admin_csrftoken"]
    east = organ("east")
    assert east is not None
    r = w.client.post(f"/admin/_api/organ/action?name=delete&pks={east.id}", headers={"X-CSRFToken": token})
    assert r.status_code == 400 and r.json() == {"msg": "禁止访问"}  # starlette-admin's refusal of an action
    r = w.client.post(
        "/admin/_api/organ/import",
        headers={"X-CSRFToken": token},
        files={"file": ("o.csv", b"code,name\nx,y\n")},
    )
    assert r.status_code == 403
    assert organ("east") is not None and organ("x") is None


def test_importing_a_years_holidays_recomputes_open_cases_and_the_case_page_says_why(
    office: str, pinned: time_machine.Traveller
) -> None:
    pinned.move_to(at(D(2026, 12, 15)))
    receive(D(2026, 12, 15), organ="east", ref="E-60")
    with read_session() as s:
        before = get_case(s, "E-60")
    assert before.provisional  # 2027 has no official data yet: weekends only
    arrangement = (
        "year: 2027\nsource: 国务院办公厅关于2027年部分节假日安排的通知\n"
        "holidays:\n  - {name: 元旦, from: 2027-01-01, to: 2027-01-05}\nworkdays: []\n"
    )
    w = logged_in("root")
    r = w.admin_post("/admin/calendar-year/create", {"arrangement": arrangement})
    assert r.status_code == 303
    with read_session() as s:
        after = get_case(s, "E-60")
        assert after.id is not None
        assert [h.event for h in history(s, after.id)] == ["receive", "deadlines_recomputed"]
    assert not after.provisional and after.reply_due is not None and before.reply_due is not None
    assert after.reply_due > before.reply_due
    page = w.get("/cases/E-60").text
    assert f"答复期限由 {before.reply_due} 调整为 {after.reply_due}：节假日安排更新后重新计算" in page


def test_a_malformed_calendar_is_refused_with_the_line_at_fault(office: str) -> None:
    w = logged_in("root")
    r = w.admin_post(
        "/admin/calendar-year/create",
        {"arrangement": "year: 2027\nsource: x\nholidays: []\nworkdays: [2027-03-01]\n"},
    )
    assert r.status_code == 422
    assert errors(r.text) == ["节假日安排：调休上班日 2027-03-01 是工作日；只有周末才能调休上班"]


def test_no_page_loads_anything_from_another_host(office: str) -> None:
    receive(D(2026, 4, 1), organ="east", ref="E-61")
    w = logged_in("root")
    pages = ["/", "/cases", "/cases/E-61", "/cases-new", "/reports", "/admin/", "/admin/organ/list",
             "/admin/user/create", "/admin/calendar-year/edit?pk=2026"]  # fmt: skip
    for path in [*pages, "/login"]:
        html = (w if path != "/login" else Web()).get(path).text
        urls = re.findall(
            r'(?:src|href|action)="([^"]+)"|url\(["\']?([^"\')]+)|@import\s+["\']([^"\']+)', html
        )
        for groups in urls:
            url = next(u for u in groups if u)
            external = re.match(r"(?:https?:)?//([^/]+)", url)
            assert external is None or external.group(1) == "testserver", (path, url)
