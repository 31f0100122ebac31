"""A document is served to the applicant on record: the identity number and address print on it,
the number is never stored with the issued document, and re-rendering still gives the same bytes."""

from __future__ import annotations

import pytest
from sqlmodel import select

from config.settings import get_settings
from models.db import session_scope
from models.documents import Document
from tests.documents.support import D, office, receive, step, text_of
from tests.documents.test_issue import issue
from workflow.applicants import ApplicantDetailsIn
from workflow.data_key import generate_key

NUMBER = "11010519491231002X"


@pytest.fixture
def keyed(any_db: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OGI_DATA_KEY", generate_key())
    get_settings.cache_clear()


@pytest.mark.usefixtures("keyed")
def test_a_reply_prints_the_applicants_identity_number_and_address_which_are_not_stored_with_it() -> None:
    office()
    details = ApplicantDetailsIn(
        id_kind="resident_id", id_number=NUMBER, address="红星路8号3单元", postcode="150000"
    )
    receive(D(2026, 3, 2), ref="A-1", request="某企业的环评报告", applicant_details=details)
    step("A-1", "answer", on=D(2026, 3, 20), outcome="withheld_third_party_rights", reasons="涉及商业秘密")
    first = issue("A-1", "reply")
    text = text_of(first.content)
    assert NUMBER in text and "红星路8号3单元" in text and "150000" in text
    with session_scope() as s:
        stored = s.exec(select(Document)).one()
        assert NUMBER not in str(stored.inputs) and stored.inputs["applicant_address"] == "红星路8号3单元"
    again = issue("A-1", "reply")
    assert not again.new and again.content == first.content


@pytest.mark.usefixtures("keyed")
def test_a_fee_notice_prints_each_tier_of_the_computed_fee() -> None:
    office()
    receive(D(2026, 3, 2), ref="F-1", request="全部会议纪要")
    step("F-1", "notify_fee", on=D(2026, 3, 5), method="pages", pages=150)
    text = text_of(issue("F-1", "fee_notice").content)
    assert "第1–30页：30页×0元＝0元" in text
    assert "第31–100页：70页×10元＝700元" in text and "第101–200页：50页×20元＝1000元" in text
    assert "1700.00" in text
