"""Free text through the web admin's forms, on both databases: the same one validation as every
other door (PostgreSQL would otherwise fail on U+0000 with a 500), refused with the reason."""

from __future__ import annotations

import html
from collections.abc import Callable
from typing import Any

import pytest
from sqlalchemy import func, select

from models.cases import Case, CaseEvent
from models.db import session_scope
from models.organs import Organ
from models.reports import ReportInput
from tests.admin.conftest import Web, logged_in
from tests.support import D, receive

# these tests are about bounds and rules; they assert the English text of the refusals
pytestmark = pytest.mark.usefixtures("english")

BAD = {
    "NUL": ("张\x00三", "U+0000"),
    "invisible only": ("\u200b\u3000", "empty"),
    "bell": ("张三\x07", "U+0007"),
}


def rows() -> tuple[int, ...]:
    with session_scope() as s:
        return tuple(
            int(s.execute(select(func.count()).select_from(m)).scalar_one())
            for m in (Case, CaseEvent, Organ, ReportInput)
        )


def new_case(**over: str) -> dict[str, str]:
    return {"organ": "east", "mode": "received", "date": "2026-05-06", "applicant_type": "natural_person",
            "applicant": "王五", "channel": "in_person", **over}  # fmt: skip


def _applicant(value: str) -> Any:
    return logged_in("east-worker").post("/cases-new", new_case(applicant=value))


def _request(value: str) -> Any:
    return logged_in("east-worker").post("/cases-new", new_case(request=value))


def _defer_reason(value: str) -> Any:
    w = logged_in("east-head")
    return w.advance("E-1", "defer", 1, on="2026-05-07", until="2026-06-30", reason=value)


def _narrative(value: str) -> Any:
    w = logged_in("east-head")
    return w.post("/reports/inputs", {"organ": "east", "year": "2025", "overview": value})


def _reopen_reason(value: str) -> Any:
    return logged_in("east-head").post("/reports/reopen", {"organ": "east", "year": "2025", "reason": value})


def _organ_name(value: str) -> Any:
    return logged_in("root").admin_post("/admin/organ/create", {"code": "north", "name": value})


FORMS: dict[str, Callable[[str], Any]] = {
    "applicant": _applicant,
    "request": _request,
    "defer reason": _defer_reason,
    "narrative": _narrative,
    "reopen reason": _reopen_reason,
    "organ name (reference data)": _organ_name,
}
# optional text: blank or invisible-only is "not given", accepted without storing anything invisible
OPTIONAL = {"request", "narrative"}


@pytest.mark.parametrize("bad", BAD)
@pytest.mark.parametrize("form", FORMS)
def test_a_web_form_refuses_bad_free_text_with_the_reason_on_both_databases(
    any_office: str, form: str, bad: str
) -> None:
    receive(D(2026, 5, 6), organ="east", ref="E-1")
    value, why = BAD[bad]
    before = rows()
    r = FORMS[form](value)
    if form in OPTIONAL and why == "empty":
        assert r.status_code == 303
        return
    assert r.status_code == 422, r.text[:300]
    assert why in html.unescape(r.text)
    assert rows() == before


@pytest.mark.parametrize("name", ["east-worker\x00", "\x00", "\u200b", "x" * 5000])
def test_a_login_name_no_user_can_have_is_a_wrong_login_not_a_server_error(
    any_office: str, name: str
) -> None:
    r = Web().post("/login", {"name": name, "password": "whatever-it-is", "next": "/"})
    assert r.status_code < 500 and "session" not in r.headers.get("location", "")
    assert logged_in("east-worker").get("/cases").status_code == 200  # no lock on the real account
