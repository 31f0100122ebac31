"""Organ isolation: a user works on their own organ's cases and reports only, whatever URL they type."""

from __future__ import annotations

from typing import Any

import pytest

from models.db import session_scope
from tests.admin.conftest import Web, logged_in
from tests.admin.test_roles import case_state
from tests.support import D, receive
from workflow.access import SYSTEM


@pytest.fixture
def east_case(office: str) -> str:
    receive(D(2026, 4, 1), organ="east", ref="E-9", applicant_type="commercial_enterprise")
    return "E-9"


def same_answer(w: Web, method: str, path: str, hidden: str, missing: str, data: dict | None = None) -> Any:
    """The response for a hidden thing and for a missing one, which must be the same (its name aside)."""
    send = (lambda p: w.get(p)) if method == "GET" else (lambda p: w.post(p, data))
    seen, absent = send(path.format(hidden)), send(path.format(missing))
    assert seen.status_code == absent.status_code == 404, path
    assert seen.text.replace(hidden, "{}") == absent.text.replace(missing, "{}"), path
    return seen


def test_another_organs_case_page_answers_exactly_as_a_missing_case(east_case: str) -> None:
    r = same_answer(logged_in("west-worker"), "GET", "/cases/{}", east_case, "E-0")
    assert "张三" not in r.text


def test_an_appeal_of_another_organs_case_answers_exactly_as_a_missing_one(east_case: str) -> None:
    from workflow.appeals import file_appeal

    with session_scope() as s:
        file_appeal(s, east_case, kind="reconsideration", filed_on=D(2026, 5, 1), actor=SYSTEM)
    form = {"result": "upheld", "decided_on": "2026-06-01", "version": "2"}  # the filing made it 2
    same_answer(logged_in("west-head"), "POST", "/cases/{}/appeals/1", east_case, "E-0", form)
    assert case_state(east_case)[1] == ["receive", "appeal_filed"]  # no decision recorded


def test_the_case_list_shows_only_the_users_organ_even_when_asked_for_another(east_case: str) -> None:
    receive(D(2026, 4, 2), organ="west", ref="W-9")
    w = logged_in("west-worker")
    for path in ("/cases", "/cases?organ=east"):
        page = w.get(path).text
        assert 'data-ref="W-9"' in page and 'data-ref="E-9"' not in page


@pytest.mark.parametrize(
    ("path", "data"),
    [
        ("/cases/E-9/advance", {"event": "withdraw", "version": "1", "on": "2026-05-01"}),
        ("/cases/E-9/reassign", {"assignee": "west-worker", "version": "1"}),
        ("/cases/E-9/appeals", {"kind": "reconsideration", "filed_on": "2026-05-01", "version": "1"}),
    ],
)
def test_changes_to_another_organs_case_answer_as_for_a_missing_case_and_change_nothing(
    east_case: str, path: str, data: dict[str, str]
) -> None:
    before = case_state(east_case)
    same_answer(logged_in("west-head"), "POST", path.replace("E-9", "{}"), east_case, "E-0", data)
    assert case_state(east_case) == before


def test_receiving_an_application_for_another_organ_answers_as_for_a_missing_organ(office: str) -> None:
    new = {"organ": "{}", "mode": "received", "date": "2026-05-06", "applicant_type": "natural_person",
           "applicant": "王五", "channel": "in_person"}  # fmt: skip
    w = logged_in("west-worker")
    seen = w.post("/cases-new", {**new, "organ": "east"})
    absent = w.post("/cases-new", {**new, "organ": "nowhere"})
    assert seen.status_code == absent.status_code == 404
    assert seen.text.replace("east", "{}") == absent.text.replace("nowhere", "{}")
    assert 'data-ref="EAST-2026-00001"' not in logged_in("root").get("/cases").text


@pytest.mark.parametrize(
    "path",
    [
        "/reports?organ={}&year=2026",
        "/reports/cell?organ={}&year=2026&row=new&column=total",
        "/reports/appeals?organ={}&year=2026&row=reconsideration&column=total",
        "/reports/download?organ={}&year=2026&format=xlsx",
        "/reports/download?organ={}&year=2026&format=docx",
    ],
)
def test_another_organs_report_answers_exactly_as_a_missing_organs(east_case: str, path: str) -> None:
    same_answer(logged_in("west-head"), "GET", path, "east", "nowhere")


@pytest.mark.parametrize("path", ["/reports/inputs", "/reports/close", "/reports/reopen"])
def test_another_organs_report_cannot_be_changed_and_answers_as_a_missing_one(office: str, path: str) -> None:
    w = logged_in("west-head")
    seen = w.post(path, {"organ": "east", "year": "2025", "overview": "改写", "reason": "试"})
    absent = w.post(path, {"organ": "nowhere", "year": "2025", "overview": "改写", "reason": "试"})
    assert seen.status_code == absent.status_code == 404
    assert seen.text.replace("east", "{}") == absent.text.replace("nowhere", "{}")


def test_a_typed_ref_taken_by_another_organ_is_refused_exactly_as_one_taken_by_the_users_own(
    east_case: str,
) -> None:
    """Refs are unique across organs (they are the public key of a case), so a taken ref cannot be
    accepted; the refusal says only that, the same words whichever organ holds it, nothing of the case."""
    receive(D(2026, 4, 2), organ="west", ref="W-9")
    w = logged_in("west-worker")
    form = {"organ": "west", "mode": "received", "date": "2026-05-06", "applicant_type": "natural_person",
            "applicant": "王五", "channel": "in_person"}  # fmt: skip
    theirs, ours = (
        w.post("/cases-new", {**form, "ref": east_case}),
        w.post("/cases-new", {**form, "ref": "W-9"}),
    )
    assert theirs.status_code == ours.status_code == 422
    assert theirs.text.replace(east_case, "{}") == ours.text.replace("W-9", "{}")
    assert "east" not in theirs.text and "东区" not in theirs.text
    assert "已存在" not in theirs.text and "不能使用" in theirs.text


@pytest.mark.parametrize(
    ("path", "form"),
    [
        ("/cases/W-9/reassign", {"assignee": "{}", "version": "1"}),
        ("/cases-new", {"organ": "west", "mode": "received", "date": "2026-05-06", "assignee": "{}",
                        "applicant_type": "natural_person", "applicant": "王五", "channel": "in_person"}),
    ],
)  # fmt: skip
def test_another_organs_user_answers_exactly_as_an_unknown_name(office: str, path: str, form: dict) -> None:
    receive(D(2026, 4, 2), organ="west", ref="W-9")
    w = logged_in("west-worker")
    fill = lambda name: {k: v.replace("{}", name) for k, v in form.items()}  # noqa: E731
    seen, absent = w.post(path, fill("east-worker")), w.post(path, fill("nobody-at-all"))
    assert seen.status_code == absent.status_code == 422
    assert seen.text.replace("east-worker", "{}") == absent.text.replace("nobody-at-all", "{}")
    listed, unknown = w.get("/cases?assignee=east-worker"), w.get("/cases?assignee=nobody-at-all")
    assert listed.status_code == unknown.status_code == 404
    assert listed.text.replace("east-worker", "{}") == unknown.text.replace("nobody-at-all", "{}")
