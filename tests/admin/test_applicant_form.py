"""The web form takes the applicant's details; the case page shows the number to the organ; a
closely matching earlier request of the same applicant is pointed out after receiving."""

from __future__ import annotations

import pytest

from config.settings import get_settings
from tests.admin.conftest import logged_in
from workflow.data_key import generate_key

NUMBER = "11010519491231002X"


@pytest.fixture
def keyed(any_office: str, monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setenv("OGI_DATA_KEY", generate_key())
    get_settings.cache_clear()
    return any_office


def form(**kw: str) -> dict[str, str]:
    return {"organ": "east", "mode": "received", "date": "2026-06-01", "applicant_type": "natural_person",
            "applicant": "张三", "channel": "online", "request": "申请公开2025年道路维修工程的招标文件和合同",
            "id_kind": "resident_id", "id_number": NUMBER, "phone": "13800000000",
            "email": "zhang@example.org", "address": "红星镇幸福路1号", "postcode": "150000",
            **kw}  # fmt: skip


def test_the_form_records_the_details_and_the_case_page_shows_the_number_to_the_organ(keyed: str) -> None:
    w = logged_in("east-worker")
    r = w.post("/cases-new", form())
    assert r.status_code == 303
    page = w.get(r.headers["location"]).text
    assert f'id="id-number">{NUMBER}<' in page and "zhang@example.org" in page and "150000" in page
    assert NUMBER not in w.get("/cases").text


def test_the_case_page_masks_the_number_for_an_administrator_of_another_organ(keyed: str) -> None:
    r = logged_in("west-worker").post("/cases-new", form(organ="west"))
    path = r.headers["location"]
    assert f'id="id-number">{NUMBER}<' in logged_in("west-head").get(path).text
    other = logged_in("root").get(path).text  # an administrator, of east
    assert NUMBER not in other and 'id="id-number">1101' in other


def test_a_wrong_number_keeps_the_form_and_writes_nothing(keyed: str) -> None:
    w = logged_in("east-worker")
    r = w.post("/cases-new", form(id_number="11010519491231002Y"))
    assert r.status_code == 422 and "GB 11643" in r.text
    assert 'id="total">0<' in w.get("/cases").text


def test_a_closely_matching_earlier_request_is_pointed_out_after_receiving(keyed: str) -> None:
    w = logged_in("east-worker")
    first = w.post("/cases-new", form()).headers["location"].rsplit("/", 1)[1]
    r = w.post("/cases-new", form(date="2026-06-08", request="申请公开2025年道路维修工程的招标文件及合同"))
    page = w.get(r.headers["location"]).text
    assert "重复申请" in page and first in page


def test_the_fee_form_computes_the_amount_from_the_method_and_pages(keyed: str) -> None:
    from models.db import read_session
    from workflow.case_json import case_detail
    from workflow.service import get_case

    w = logged_in("east-worker")
    ref = w.post("/cases-new", form()).headers["location"].rsplit("/", 1)[1]
    r = w.advance(ref, "notify_fee", 1, on="2026-06-05", method="pages", pages="120")
    assert r.status_code == 303, r.text
    r = w.advance(ref, "receive_payment", 2, on="2026-06-08")
    with read_session() as s:
        last = case_detail(s, get_case(s, ref))["events"][1]
    assert (last["method"], last["pages"], last["amount"], last["computed_amount"]) == (
        "pages",
        120,
        "1100",
        "1100",
    )
    assert "计算金额" in w.get(f"/cases/{ref}").text


@pytest.mark.parametrize(("language", "field"), [("en", "how the case opens: ''"), ("zh", "登记方式：''")])
def test_a_missing_way_to_open_a_case_names_the_field_by_its_label(
    keyed: str, language: str, field: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("OGI_LANG", language)
    get_settings.cache_clear()
    page = logged_in("east-worker").post("/cases-new", form(mode="")).text
    assert field in page.replace("&#39;", "'") and "mode:" not in page
