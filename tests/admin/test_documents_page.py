"""The case page's documents (DESIGN §11): offered after the event, issued, downloaded, served."""

from __future__ import annotations

import io
import re
from typing import Any

from docx import Document as Docx
from sqlmodel import select

from models.db import read_session, session_scope
from models.organs import Organ
from tests.admin.conftest import at, logged_in
from tests.support import D, receive, step
from workflow.directory import update_letter_data


def remedy_bodies(code: str = "east") -> None:
    with session_scope() as s:
        update_letter_data(
            s, code, {"short_name": "东区", "reconsideration_body": "某市人民政府", "court": "某区人民法院"}
        )


def test_after_an_answer_the_page_offers_the_reply_which_is_issued_downloaded_and_served(office: str) -> None:
    remedy_bodies()
    receive(D(2026, 4, 1), organ="east", ref="E-90", request="预算")
    step("E-90", "answer", on=D(2026, 4, 20), outcome="withheld_internal_affairs", reasons="属于内部管理信息")
    w = logged_in("east-worker")
    page = w.get("/cases/E-90").text
    assert 'data-kind="reply"' in page and 'data-kind="receipt"' in page
    r = w.post("/cases/E-90/documents", {"kind": "reply", "version": "2"})
    assert r.status_code == 303, r.text[:300]
    page = w.get("/cases/E-90").text
    assert 'data-kind="reply"' not in page and "东区公复〔2026〕1号" in page
    link = re.search(r'href="(/cases/E-90/documents/\d+)"', page)
    assert link is not None
    download = w.get(link.group(1))
    assert download.status_code == 200
    assert "东区公复〔2026〕1号" in "\n".join(p.text for p in Docx(io.BytesIO(download.content)).paragraphs)
    r = w.post(f"{link.group(1)}/serve", {"method": "post", "on": "2026-04-21", "version": "2"})
    assert r.status_code == 303, r.text[:300]
    assert "邮寄送达" in w.get("/cases/E-90").text


def test_a_reply_for_an_organ_without_remedy_bodies_comes_back_with_the_reason(office: str) -> None:
    receive(D(2026, 4, 1), organ="east", ref="E-91")
    step("E-91", "answer", on=D(2026, 4, 20), outcome="disclosed")
    r = logged_in("east-worker").post("/cases/E-91/documents", {"kind": "reply", "version": "2"})
    assert r.status_code == 422 and "--reconsideration-body" in r.text


def test_another_organs_documents_are_not_found(office: str) -> None:
    remedy_bodies()
    receive(D(2026, 4, 1), organ="east", ref="E-92")
    logged_in("east-worker").post("/cases/E-92/documents", {"kind": "receipt", "version": "1"})
    assert logged_in("west-worker").get("/cases/E-92/documents/1").status_code == 404


def test_the_dashboard_lists_documents_unserved_after_five_working_days(office: str, pinned: Any) -> None:
    remedy_bodies()
    pinned.move_to(at(D(2026, 4, 2)))
    receive(D(2026, 4, 1), organ="east", ref="E-93")
    logged_in("east-worker").post("/cases/E-93/documents", {"kind": "receipt", "version": "1"})
    assert 'id="unserved"' not in logged_in("east-head").get("/").text
    pinned.move_to(at(D(2026, 4, 13)))
    page = logged_in("east-head").get("/").text
    assert 'id="unserved"' in page and "东区公告〔2026〕1号" in page


def test_the_admin_sets_the_organs_letter_data_through_the_directory_service(office: str) -> None:
    w = logged_in("root")
    with read_session() as s:
        east = s.exec(select(Organ).where(Organ.code == "east")).one()
    form = {
        "name": "东区人民政府",
        "short_name": "东区",
        "reconsideration_body": "某市人民政府",
        "court": "某区人民法院",
    }
    assert w.admin_post(f"/admin/organ/edit?pk={east.id}", form).status_code == 303
    r = w.admin_post(f"/admin/organ/edit?pk={east.id}", {**form, "number_pattern": "{short}{code}"})
    assert r.status_code == 422 and "{seq}" in r.text
    with read_session() as s:
        east = s.exec(select(Organ).where(Organ.code == "east")).one()
    assert (east.short_name, east.reconsideration_body, east.court, east.number_pattern) == (
        "东区",
        "某市人民政府",
        "某区人民法院",
        None,
    )
