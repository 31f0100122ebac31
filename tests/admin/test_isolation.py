"""Organ isolation: a user works on their own organ's cases and reports only, whatever URL they type."""

from __future__ import annotations

import pytest

from tests.admin.conftest import logged_in
from tests.admin.test_roles import case_state
from tests.support import D, receive


@pytest.fixture
def east_case(office: str) -> str:
    receive(D(2026, 4, 1), organ="east", ref="E-9", applicant_type="commercial_enterprise")
    return "E-9"


def test_another_organs_case_page_is_refused_and_shows_nothing_of_it(east_case: str) -> None:
    r = logged_in("west-worker").get(f"/cases/{east_case}")
    assert r.status_code == 403
    assert "张三" not in r.text and "E-9" in r.text  # the refusal names the case it refuses, nothing else


def test_the_case_list_shows_only_the_users_organ_even_when_asked_for_another(east_case: str) -> None:
    receive(D(2026, 4, 2), organ="west", ref="W-9")
    w = logged_in("west-worker")
    for path in ("/cases", "/cases?organ=east"):
        page = w.get(path).text
        assert 'data-ref="W-9"' in page and 'data-ref="E-9"' not in page


@pytest.mark.parametrize(
    ("path", "data"),
    [
        ("/cases/E-9/advance", {"event": "withdraw", "version": "1"}),
        ("/cases/E-9/reassign", {"assignee": "west-worker"}),
        ("/cases/E-9/appeals", {"kind": "reconsideration", "filed_on": "2026-05-01"}),
    ],
)
def test_changes_to_another_organs_case_are_refused_and_change_nothing(
    east_case: str, path: str, data: dict[str, str]
) -> None:
    before = case_state(east_case)
    r = logged_in("west-head").post(path, data)
    assert r.status_code == 403
    assert case_state(east_case) == before


def test_receiving_an_application_for_another_organ_is_refused(office: str) -> None:
    new = {"organ": "east", "mode": "received", "date": "2026-05-06", "applicant_type": "natural_person",
           "applicant": "王五", "channel": "in_person"}  # fmt: skip
    r = logged_in("west-worker").post("/cases-new", new)
    assert r.status_code == 403
    assert 'data-ref="EAST-2026-00001"' not in logged_in("root").get("/cases").text


@pytest.mark.parametrize(
    "path",
    [
        "/reports?organ=east&year=2026",
        "/reports/cell?organ=east&year=2026&row=new&column=total",
        "/reports/appeals?organ=east&year=2026&row=reconsideration&column=total",
        "/reports/download?organ=east&year=2026&format=xlsx",
    ],
)
def test_another_organs_report_is_refused(east_case: str, path: str) -> None:
    assert logged_in("west-head").get(path).status_code == 403


@pytest.mark.parametrize("path", ["/reports/inputs", "/reports/close"])
def test_another_organs_report_cannot_be_changed(office: str, path: str) -> None:
    r = logged_in("west-head").post(path, {"organ": "east", "year": "2025", "overview": "改写"})
    assert r.status_code == 403
