"""The server enforces what the forms promise: every value bounded where the admin parses it, a
refusal is a 4xx page in the normal frame with the reason and the user's input kept, nothing is
written, and never a 500 nor FastAPI's JSON."""

from __future__ import annotations

import re
from typing import Any

import pytest

from tests.admin.conftest import Web, logged_in
from tests.admin.test_roles import case_state
from tests.support import D, receive, step

# these tests are about bounds and rules; they assert the English text of the refusals
pytestmark = pytest.mark.usefixtures("english")


def error_of(html: str) -> str:
    found = re.search(r'id="error">(.*?)</div>', html, re.S) or re.search(
        r'class="error-message">(.*?)</p>', html, re.S
    )
    assert found, html[:800]
    return found.group(1)


def a_page(r: Any) -> None:
    """An HTML page of the app's frame (never JSON, never a traceback)."""
    assert r.headers["content-type"].startswith("text/html"), r.text[:300]
    assert "Government information disclosure cases" in r.text and "Traceback" not in r.text


@pytest.mark.parametrize(
    ("event", "params", "says"),
    [
        ("request_correction", {"on": "2026-04-03", "days": "1000000"}, "outside 1–60"),
        ("request_correction", {"on": "2026-04-03", "days": "61"}, "outside 1–60"),
        ("request_correction", {"on": "2026-04-03", "days": "9" * 5000}, "outside 1–60"),
        ("request_correction", {"on": "2026-04-03", "days": "ten"}, "whole number"),
        ("request_correction", {"on": "2026-04-03", "until": "9999-12-31"}, "outside"),
        (
            "request_correction",
            {"on": "2026-04-03", "until": "2026-07-31", "items": "年度"},
            "more than 60 working days",
        ),
        ("request_correction", {"on": "", "days": "10"}, "is required"),
        ("request_correction", {"on": "1989-12-31", "days": "10"}, "outside"),
        ("answer", {"on": "2026-04-20"}, "is required"),
        ("answer", {"on": "2026-04-20", "outcome": "made_up"}, "made_up"),
        ("consult", {"on": "2026-04-20", "party": "nobody"}, "not one of the choices"),
        ("withdraw", {}, "is required"),
    ],
)
def test_a_value_beyond_what_the_form_promises_is_a_422_page_with_the_input_kept(
    office: str, event: str, params: dict[str, str], says: str
) -> None:
    receive(D(2026, 4, 1), organ="east", ref="E-1")
    before = case_state("E-1")
    r = logged_in("east-worker").advance("E-1", event, 1, **params)
    assert r.status_code == 422
    a_page(r)
    assert says in error_of(r.text)
    assert case_state("E-1") == before
    form = re.search(rf'data-event="{event}">(.*?)</form>', r.text, re.S)
    assert form, "the refused form is shown again"
    for name, value in params.items():
        if value and len(value) < 100 and name in ("on", "days", "until"):  # typed, not chosen
            assert f'name="{name}" value="{value}"' in form.group(1), name


@pytest.mark.parametrize(
    ("params", "says"),
    [
        ({"on": "2026-04-10", "until": "9999-12-31", "reason": "申请人同意"}, "outside"),
        ({"on": "2026-04-10", "reason": "申请人同意"}, "is required"),
        ({"on": "2026-04-10", "until": "2026-06-30", "reason": ""}, "is required"),
        ({"on": "2026-04-10", "days": "21", "approver": "east-head"}, "outside 1–20"),
    ],
)
def test_a_supervisors_deferral_or_extension_out_of_bounds_is_refused_with_the_input_kept(
    office: str, params: dict[str, str], says: str
) -> None:
    receive(D(2026, 4, 1), organ="east", ref="E-2")
    event = "extend" if "days" in params else "defer"
    before = case_state("E-2")
    r = logged_in("east-head").advance("E-2", event, 1, **params)
    assert r.status_code == 422 and says in error_of(r.text)
    assert case_state("E-2") == before
    if params.get("reason"):
        assert f">{params['reason']}</textarea>" in r.text


@pytest.mark.parametrize(
    ("changes", "says"),
    [
        ({"mode": "received_yesterday"}, "mode"),
        ({"mode": ""}, "mode"),
        ({"date": "1989-12-31"}, "outside"),
        ({"date": "9999-12-31"}, "outside"),
        ({"date": ""}, "required"),
        ({"date": "2026-13-01"}, "not a valid date"),
        ({"applicant": "张" * 300}, "longer than"),
    ],
)
def test_receiving_an_application_with_a_value_out_of_bounds_is_refused_and_keeps_the_form(
    web: Web, changes: dict[str, str], says: str
) -> None:
    w = logged_in("east-worker")
    form = {"organ": "east", "mode": "received", "date": "2026-05-06", "applicant_type": "natural_person",
            "applicant": "王五", "channel": "in_person", "request": "某路段的维修记录",
            **changes}  # fmt: skip
    r = w.post("/cases-new", form)
    assert r.status_code == 422
    a_page(r)
    assert says in r.text
    assert "某路段的维修记录" in r.text  # the user's input is kept
    assert 'data-ref="EAST-2026-00001"' not in w.get("/cases").text


@pytest.mark.parametrize("appeal", ["1" * 20, "99999999999", "abc", "-1", "0", "²", "١٢"])
def test_an_appeal_id_out_of_range_or_not_a_number_is_a_404_page(office: str, appeal: str) -> None:
    receive(D(2026, 4, 1), organ="east", ref="E-3")
    r = logged_in("east-worker").post(
        f"/cases/E-3/appeals/{appeal}", {"result": "upheld", "decided_on": "2026-05-01", "version": "1"}
    )
    assert r.status_code == 404
    a_page(r)


@pytest.mark.parametrize(
    "path",
    ["/cases/" + "9" * 20, "/cases/99999999999", "/cases/²", "/cases?page=" + "9" * 30, "/cases?page=²"],
)
def test_a_huge_number_in_a_path_or_query_is_a_4xx_page_not_a_500(office: str, path: str) -> None:
    r = logged_in("east-worker").get(path)
    assert r.status_code in (404, 422)
    a_page(r)


@pytest.mark.parametrize("field", ["rules.issued", "licensing"])
@pytest.mark.parametrize("value", ["99999999999999999999", "-1", "abc"])
def test_report_figures_out_of_range_are_refused_with_the_input_kept(
    office: str, field: str, value: str
) -> None:
    r = logged_in("east-head").post(
        "/reports/inputs", {"organ": "east", "year": "2025", field: value, "overview": "本年度概况的草稿"}
    )
    assert r.status_code == 422
    a_page(r)
    assert f'value="{value}"' in r.text and "本年度概况的草稿" in r.text


# --- versions on every change ----------------------------------------------------------------------
@pytest.mark.parametrize(
    ("path", "data"),
    [
        ("/cases/E-5/reassign", {"assignee": "east-head"}),
        ("/cases/E-5/appeals", {"kind": "reconsideration", "filed_on": "2026-05-06"}),
    ],
)
def test_reassigning_and_recording_an_appeal_from_a_stale_page_is_a_409_and_writes_nothing(
    any_office: str, path: str, data: dict[str, str]
) -> None:
    receive(D(2026, 4, 1), organ="east", ref="E-5", assignee="east-worker")
    w = logged_in("east-worker")
    page_version = "1"
    step("E-5", "answer", on=D(2026, 4, 20), outcome="disclosed")  # someone else, meanwhile
    before = case_state("E-5")
    r = w.post(path, {**data, "version": page_version})
    assert r.status_code == 409
    assert "reload" in error_of(r.text)
    assert case_state("E-5") == before
    assert "data-appeal" not in r.text and "行政复议，2026-05-06" not in r.text
    assert w.post(path, data).status_code == 422  # and a form without a version is refused too
    assert w.post(path, {**data, "version": "2"}).status_code == 303


def test_deciding_an_appeal_from_a_stale_page_is_a_409_and_writes_nothing(office: str) -> None:
    receive(D(2026, 4, 1), organ="east", ref="E-6")
    step("E-6", "answer", on=D(2026, 4, 20), outcome="disclosed")
    w = logged_in("east-worker")
    assert (
        w.post(
            "/cases/E-6/appeals", {"kind": "litigation", "filed_on": "2026-05-06", "version": "2"}
        ).status_code
        == 303
    )
    appeal_id = re.search(r'/cases/E-6/appeals/(\d+)"', w.get("/cases/E-6").text)
    assert appeal_id
    from models.db import session_scope
    from workflow.access import SYSTEM
    from workflow.service import reassign

    with session_scope() as s:
        reassign(s, "E-6", "east-head", actor=SYSTEM)  # the case moves on meanwhile (version 3)
    r = w.post(
        f"/cases/E-6/appeals/{appeal_id.group(1)}",
        {"result": "upheld", "decided_on": "2026-06-01", "version": "2"},
    )
    assert r.status_code == 409
    assert "维持（2026-06-01）" not in w.get("/cases/E-6").text


def test_a_typed_parameter_that_fails_validation_is_a_page_not_fastapis_json(office: str) -> None:
    """Any route that declares a typed parameter (none of today's do: they parse by hand) answers a
    malformed value with the app's page."""
    w = logged_in("east-worker")
    app = w.client.app

    @app.get("/probe/{n}")  # type: ignore[attr-defined, misc]
    def probe(n: int) -> str:
        return str(n)

    r = w.get("/probe/not-a-number")
    assert r.status_code == 422
    a_page(r)
    assert "n" in error_of(r.text) and '"detail"' not in r.text
