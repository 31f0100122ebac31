"""Case refs through the web form: one organ's caseworker cannot touch another organ's numbering,
and a ref the rules refuse is refused in the browser with the reason, nothing written."""

from __future__ import annotations

import html

import pytest
from sqlmodel import select

from models.cases import Case
from models.db import session_scope
from tests.admin.conftest import logged_in


def new_case(organ: str, ref: str = "", applicant: str = "王五") -> dict[str, str]:
    return {"organ": organ, "mode": "received", "date": "2026-05-06", "applicant_type": "natural_person",
            "applicant": applicant, "channel": "in_person", "ref": ref}  # fmt: skip


def stored_refs() -> set[str]:
    with session_scope() as s:
        return set(s.exec(select(Case.ref)))


def created_ref(response: object) -> str:
    location = response.headers["location"]  # type: ignore[attr-defined]
    assert response.status_code == 303 and location.startswith("/cases/"), location  # type: ignore[attr-defined]
    return str(location.removeprefix("/cases/"))


@pytest.mark.parametrize("typed", ["EAST-2026-00001", "east-2026-00002", "EAST-2026-99999"])
def test_a_caseworker_cannot_take_another_organs_automatic_numbers_through_the_form(
    office: str, typed: str
) -> None:
    west = logged_in("west-worker")
    r = west.post("/cases-new", new_case("west", typed))
    assert r.status_code == 422
    assert "其他机关" in html.unescape(r.text) and typed in html.unescape(r.text)
    assert stored_refs() == set()
    east = logged_in("east-worker")
    assert created_ref(east.post("/cases-new", new_case("east"))) == "EAST-2026-00001"
    assert created_ref(east.post("/cases-new", new_case("east"))) == "EAST-2026-00002"


def test_look_alike_refs_typed_in_one_organ_leave_the_other_organs_numbering_alone(office: str) -> None:
    west = logged_in("west-worker")
    for legacy in ("EAST-2026-A017", "EAST-2026-9x"):
        assert created_ref(west.post("/cases-new", new_case("west", legacy))) == legacy
    east = logged_in("east-worker")
    assert created_ref(east.post("/cases-new", new_case("east"))) == "EAST-2026-00001"
    assert created_ref(east.post("/cases-new", new_case("east"))) == "EAST-2026-00002"


@pytest.mark.parametrize(
    ("typed", "why"),
    [
        ("A/B", "'/'"),
        ("A?B", "'?'"),
        ("A#B", "'#'"),
        ("A%B", "'%'"),
        ("A B", "空白"),
        ("A\u200bB", "不可见"),
        ("12345", "全部为数字"),
        ("=HYPERLINK(1)", "公式"),
        ("@SUM(1)", "公式"),
        ("X" * 65, "1–64 个字符"),
    ],
)
def test_a_bad_ref_typed_in_the_web_form_is_refused_with_the_reason(
    office: str, typed: str, why: str
) -> None:
    r = logged_in("east-worker").post("/cases-new", new_case("east", typed))
    assert r.status_code == 422
    assert why in html.unescape(r.text)
    assert stored_refs() == set()
