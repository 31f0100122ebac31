"""Roles: caseworkers handle their organ's cases; supervisors also approve extensions and deferrals and
close and reopen years; administrators keep the reference data. Every rule is checked on the server."""

from __future__ import annotations

import re

import pytest
import time_machine
from sqlmodel import select

from models.db import read_session
from models.reports import ReportSnapshot
from tests.admin.conftest import at, logged_in
from tests.support import D, receive, step
from workflow.case_json import history
from workflow.service import get_case


def case_state(ref: str) -> tuple[object, list[str]]:
    with read_session() as s:
        row = get_case(s, ref)
        assert row.id is not None
        return row.reply_due, [h.event for h in history(s, row.id)]


@pytest.mark.parametrize(
    ("event", "params"),
    [("extend", {"on": "2026-04-10", "days": "10", "approver": "east-head"}),
     ("defer", {"on": "2026-04-10", "until": "2026-06-30", "reason": "申请数量大"})],
)  # fmt: skip
def test_a_caseworker_cannot_record_an_extension_or_a_deferral(office: str, event: str, params: dict) -> None:
    receive(D(2026, 4, 1), organ="east", ref="E-1")
    before = case_state("E-1")
    r = logged_in("east-worker").advance("E-1", event, 1, **params)
    assert r.status_code == 403 and "负责人" in r.text
    assert case_state("E-1") == before


def test_a_supervisor_extends_the_reply_period_as_the_approving_head(
    office: str, pinned: time_machine.Traveller
) -> None:
    pinned.move_to(at(D(2026, 9, 10)))
    receive(D(2026, 9, 1), organ="east", ref="E-2")
    r = logged_in("east-head").advance("E-2", "extend", 1, on="2026-09-10", days=20, approver="east-head")
    assert r.status_code == 303
    assert case_state("E-2") == (D(2026, 11, 2), ["receive", "extend"])  # DESIGN §4: 2026-09-29 → 2026-11-02


@pytest.mark.parametrize("colleague", ["west-head", "east-head-2", "east-worker"])
def test_in_the_browser_the_approver_is_the_logged_in_supervisor_not_a_named_colleague(
    office: str, colleague: str
) -> None:
    from tests.admin.conftest import person

    person("east-head-2", "east", "supervisor")
    receive(D(2026, 4, 1), organ="east", ref="E-3")
    before = case_state("E-3")
    r = logged_in("east-head").advance("E-3", "extend", 1, on="2026-04-10", days=5, approver=colleague)
    assert r.status_code == 403 and "当前登录的负责人" in r.text
    assert case_state("E-3") == before
    # without an approver the logged-in supervisor approves, and is recorded as the approver
    assert logged_in("east-head").advance("E-3", "extend", 1, on="2026-04-10", days=5).status_code == 303
    with read_session() as s:
        row = get_case(s, "E-3")
        assert row.id is not None
        assert history(s, row.id)[-1].params["approver"] == "east-head"


def test_the_case_page_offers_extension_forms_only_to_supervisors(office: str) -> None:
    receive(D(2026, 4, 1), organ="east", ref="E-4")
    worker_page = logged_in("east-worker").get("/cases/E-4").text
    head_page = logged_in("east-head").get("/cases/E-4").text
    assert 'data-event="extend"' not in worker_page and 'data-event="defer"' not in worker_page
    assert 'id="held"' in worker_page and "须由本机关负责人办理" in worker_page
    assert 'data-event="extend"' in head_page and 'data-event="defer"' in head_page
    approvers = re.search(r'id="extend-approver"[^>]*>(.*?)</select>', head_page, re.S)
    assert approvers is not None
    assert re.findall(r'<option value="([^"]+)"', approvers.group(1)) == ["east-head"]


def sealed(organ_id_code: str, year: int) -> list[ReportSnapshot]:
    from workflow.directory import get_organ

    with read_session() as s:
        organ = get_organ(s, organ_id_code)
        q = select(ReportSnapshot).where(ReportSnapshot.organ_id == organ.id, ReportSnapshot.year == year)
        return list(s.exec(q))


def test_only_a_supervisor_closes_and_reopens_a_year(any_office: str) -> None:
    receive(D(2025, 3, 2), organ="east", ref="E-5")
    step("E-5", "answer", on=D(2025, 3, 20), outcome="disclosed")
    worker, head = logged_in("east-worker"), logged_in("east-head")
    form = {"organ": "east", "year": "2025"}

    assert worker.post("/reports/close", form).status_code == 403
    assert sealed("east", 2025) == []
    assert head.post("/reports/close", form).status_code == 303
    [seal] = sealed("east", 2025)
    assert seal.sealed_by == "east-head" and seal.reopened_at is None

    # the sealed year refuses an application dated in it, whoever sends it
    new = {"organ": "east", "mode": "received", "date": "2025-12-01", "applicant_type": "natural_person",
           "applicant": "李四", "channel": "online"}  # fmt: skip
    r = head.post("/cases-new", new)
    assert r.status_code == 422 and "2025 年度已关闭" in r.text

    assert worker.post("/reports/reopen", {**form, "reason": "更正"}).status_code == 403
    r = head.post("/reports/reopen", {**form, "reason": ""})
    assert r.status_code == 422 and "reason" in r.text
    assert head.post("/reports/reopen", {**form, "reason": "更正申请人类型"}).status_code == 303
    [seal] = sealed("east", 2025)
    assert seal.reopened_by == "east-head" and seal.reopen_reason == "更正申请人类型"


@pytest.mark.parametrize("name", ["east-worker", "east-head"])
def test_only_administrators_reach_the_reference_data_admin(office: str, name: str) -> None:
    w = logged_in(name)
    r = w.client.get("/admin/organ/list", follow_redirects=True)
    assert r.status_code == 403 and "仅限系统管理员" in r.text
    assert logged_in("root").get("/admin/organ/list").status_code == 200


def test_an_administrator_sees_the_cases_of_every_organ(office: str) -> None:
    receive(D(2026, 4, 1), organ="east", ref="E-6")
    receive(D(2026, 4, 2), organ="west", ref="W-6")
    page = logged_in("root").get("/cases").text
    assert 'data-ref="E-6"' in page and 'data-ref="W-6"' in page
