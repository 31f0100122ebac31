"""The web forms report every bad field at once, each marked with its reason, named by its label;
a case's timeline shows a correction's items as numbered lines (DESIGN §14)."""

from __future__ import annotations

import re

from tests.admin.conftest import logged_in
from tests.support import D, receive, step


def new_case(**kw: str) -> dict[str, str]:
    return {"organ": "east", "mode": "received", "date": "2026-06-01", "applicant_type": "natural_person",
            "applicant": "张三", "channel": "online", "request": "申请公开道路维修合同", **kw}  # fmt: skip


def marked(page: str) -> set[str]:
    """The ids of the fields the page marks as refused."""
    return set(re.findall(r'class="form-(?:control|select) is-invalid"[^>]*? id="([a-z_]+)"', page))


def test_the_new_case_form_marks_every_bad_field_at_once(office: str) -> None:
    w = logged_in("east-worker")
    r = w.post("/cases-new", new_case(applicant="\u200b", request="请公开\x00", phone="abc", postcode="12"))
    assert r.status_code == 422
    assert marked(r.text) == {"applicant", "request", "phone", "postcode"}
    for words in ("申请人：为空", "申请内容：", "联系电话：", "邮政编码："):
        assert words in r.text
    assert "request：" not in r.text and "applicant：" not in r.text
    assert 'id="total">0<' in w.get("/cases").text  # nothing written


def test_a_refused_request_field_is_named_by_its_label_on_the_web(office: str) -> None:
    r = logged_in("east-worker").post("/cases-new", new_case(request="请公开复印件\x00"))
    assert r.status_code == 422 and "申请内容：" in r.text and "request：" not in r.text
    assert marked(r.text) == {"request"}


def test_the_event_form_marks_every_bad_field_at_once(office: str) -> None:
    receive(D(2026, 6, 1), ref="E-F1")
    w = logged_in("east-worker")
    r = w.advance("E-F1", "request_correction", 1, on="2026-13-01", days="999", items="")
    assert r.status_code == 422
    marks = re.findall(
        r'<div class="mb-2 field-invalid">\s*<label[^>]*for="request_correction-([a-z_]+)"', r.text
    )
    assert set(marks) == {"on", "days", "items"}
    assert "需补正的事项为必填项" in r.text and "工作日数：" in r.text and "日期：" in r.text


def test_a_corrections_items_are_shown_as_numbered_lines_on_the_timeline(office: str) -> None:
    receive(D(2026, 6, 1), ref="E-F2")
    step("E-F2", "request_correction", on=D(2026, 6, 2), items=["身份证明", "所需信息的名称"], days=10)
    page = logged_in("east-worker").get("/cases/E-F2").text
    assert "1. 身份证明\n2. 所需信息的名称" in page and "['身份证明'" not in page
