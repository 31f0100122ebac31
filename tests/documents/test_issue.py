"""Issuing statutory documents (DESIGN §11): every kind read back, numbers, evidence, refusals."""

from __future__ import annotations

import datetime as dt
import io
import zipfile

import pytest
import time_machine
from docx import Document as Docx
from sqlmodel import select

from documents import service
from documents.defaults import default_template
from documents.kinds import required_fields
from models.db import session_scope
from models.documents import Document
from tests.documents.support import TESTER, D, dates_in, office, receive, step, text_of, withheld_case
from workflow.errors import InvalidInput, RuleViolation
from workflow.importer import Importer

pytestmark = pytest.mark.usefixtures("any_db")


def issue(ref: str, kind: str) -> service.Issued:
    with session_scope() as s:
        return service.issue(s, ref, kind, actor=TESTER)


def case_dates(ref: str) -> dict[str, dt.date | None]:
    with session_scope() as s:
        row = service.get_case(s, ref)
        return {"received_on": row.received_on, "reply_due": row.reply_due, "concluded_on": row.concluded_on}


def test_a_withheld_reply_prints_number_dates_reasons_article_and_both_remedies_with_the_organs_bodies() -> (
    None
):
    office()
    withheld_case()
    text = text_of(issue("W-1", "reply").content)
    assert "红星镇公复〔2026〕1号" in text
    dates = case_dates("W-1")
    assert dates_in(text) == {dates["received_on"], dates["concluded_on"]}
    assert "涉及该企业的商业秘密" in text and "第十五条" in text
    assert "六十日内向红星县人民政府申请行政复议" in text and "六个月内向红星县人民法院提起行政诉讼" in text


def test_issuing_again_renders_the_same_bytes_under_the_same_number_even_years_later() -> None:
    office()
    withheld_case()
    with time_machine.travel(dt.datetime(2026, 3, 20, 9, tzinfo=dt.UTC)):
        first = issue("W-1", "reply")
    with time_machine.travel(dt.datetime(2031, 7, 1, 15, tzinfo=dt.UTC)):
        again = issue("W-1", "reply")
    assert first.new and not again.new
    assert again.content == first.content and again.document.number == first.document.number
    with zipfile.ZipFile(io.BytesIO(again.content)) as z:
        assert {i.date_time for i in z.infolist()} == {(1980, 1, 1, 0, 0, 0)}
    assert Docx(io.BytesIO(again.content)).core_properties.created.date() == D(2026, 3, 20)


def test_numbers_run_per_organ_series_and_year_of_the_event_without_gaps() -> None:
    office()
    office("west", short_name="西城")
    receive(D(2025, 12, 30), ref="A", request="甲")
    receive(D(2026, 1, 5), ref="B", request="乙")
    receive(D(2026, 1, 6), ref="C", request="丙")
    receive(D(2026, 1, 6), ref="W", organ="west", request="丁")
    step("C", "request_correction", on=D(2026, 1, 7), items=["请写明文件名称"])
    step("C", "lapse_correction", on=D(2026, 2, 10))
    numbers = [
        issue(ref, kind).document.number
        for ref, kind in [
            ("B", "receipt"),
            ("A", "receipt"),
            ("C", "receipt"),
            ("C", "termination_notice"),
            ("W", "receipt"),
            ("C", "correction_notice"),
        ]
    ]
    assert numbers == [
        "红星镇公告〔2026〕1号",
        "红星镇公告〔2025〕1号",  # the year of the receipt, not of the day it is printed
        "红星镇公告〔2026〕2号",
        "红星镇公告〔2026〕3号",  # receipts and termination notices share the 公告 series
        "西城公告〔2026〕1号",
        "红星镇公补〔2026〕1号",
    ]


def test_an_organs_own_number_pattern_is_used() -> None:
    office(number_pattern="{short}政信{code}字〔{year}〕第{seq}号")
    withheld_case()
    assert issue("W-1", "reply").document.number == "红星镇政信公复字〔2026〕第1号"


@pytest.mark.parametrize("missing", ["reconsideration_body", "court"])
def test_a_reply_for_an_organ_without_a_remedy_body_is_refused_saying_which_to_set(missing: str) -> None:
    office(**{missing: ""})
    withheld_case()
    with pytest.raises(RuleViolation, match=f"--{missing.replace('_', '-')}"):
        issue("W-1", "reply")
    with session_scope() as s:
        assert s.exec(select(Document)).all() == []


def test_live_events_without_what_their_document_prints_are_refused_naming_it() -> None:
    office()
    receive(D(2026, 3, 2), ref="L")
    with pytest.raises(InvalidInput, match="items"):
        step("L", "request_correction", on=D(2026, 3, 3))
    with pytest.raises(InvalidInput, match="reasons"):
        step("L", "answer", on=D(2026, 3, 4), outcome="withheld_state_secret")
    with pytest.raises(InvalidInput, match="refer_to"):
        step("L", "answer", on=D(2026, 3, 4), outcome="not_processed_publication")
    assert step("L", "answer", on=D(2026, 3, 4), outcome="disclosed").state == "answered"


def test_an_imported_answer_without_reasons_is_kept_but_gets_no_letter() -> None:
    office()
    line = (
        '{"organ": "east", "applicant_type": "natural_person", "applicant": "李四", "channel": "online", '
        '"received_on": "2025-03-03", "ref": "OLD", "events": [{"event": "answer", "on": "2025-03-20", '
        '"outcome": "withheld_state_secret"}]}'
    )
    with session_scope() as s:
        Importer(s, actor=TESTER).run([line])
    with pytest.raises(RuleViolation, match="reasons"):
        issue("OLD", "reply")
    assert issue("OLD", "receipt").document.number == "红星镇公告〔2025〕1号"


def test_every_kind_prints_its_required_fields_and_the_case_dates() -> None:
    office()
    receive(D(2026, 3, 2), ref="K", request="道路维修预算")
    step("K", "request_correction", on=D(2026, 3, 3), items=["请写明年度", "请写明路段"])
    step("K", "receive_correction", on=D(2026, 3, 9))
    step("K", "consult", on=D(2026, 3, 10), party="third_party")
    step("K", "receive_opinion", on=D(2026, 3, 16))
    step("K", "extend", on=D(2026, 3, 30), days=10, approver="east-head")
    step("K", "notify_fee", on=D(2026, 4, 1), amount="120.50")
    step("K", "receive_payment", on=D(2026, 4, 3))
    step(
        "K",
        "answer",
        on=D(2026, 4, 20),
        outcome="partially_disclosed",
        reasons="部分内容涉及个人隐私",
        provided="以电子邮件方式提供预算表一份",
    )
    texts = {}
    for kind in (
        "receipt",
        "correction_notice",
        "third_party_consultation",
        "consultation_notice",
        "extension_notice",
        "fee_notice",
        "reply",
    ):
        texts[kind] = text_of(issue("K", kind).content)
    assert "1. 请写明年度" in texts["correction_notice"] and "2. 请写明路段" in texts["correction_notice"]
    assert "视为放弃申请" in texts["correction_notice"]
    assert "120.50" in texts["fee_notice"] and "不再处理" in texts["fee_notice"]
    assert "不计算在答复期限内" in texts["consultation_notice"]
    assert "east-head" in texts["extension_notice"]
    assert "以电子邮件方式提供预算表一份" in texts["reply"] and "部分内容涉及个人隐私" in texts["reply"]
    with session_scope() as s:
        row = service.get_case(s, "K")
        docs = {d.kind: d for d in service.documents_of(s, row.id or 0)}
    assert row.reply_due not in dates_in(texts["extension_notice"])  # the fee's pause moved it later
    for kind, doc in docs.items():
        assert dt.date(doc.year, 1, 1) <= doc.issued_on and doc.issued_on in dates_in(texts[kind])
        assert set(required_fields(kind)) <= set(doc.inputs)


def test_an_extension_notice_prints_the_original_and_the_new_reply_date_of_the_case() -> None:
    office()
    before = receive(D(2026, 3, 2), ref="X").reply_due
    after = step("X", "extend", on=D(2026, 3, 27), days=15, approver="east-head").reply_due
    assert dates_in(text_of(issue("X", "extension_notice").content)) == {
        D(2026, 3, 2),
        before,
        after,
        D(2026, 3, 27),
    }


def test_an_organs_template_lacking_a_required_field_is_refused_at_upload_naming_the_field() -> None:
    office()
    doc = Docx(io.BytesIO(default_template("reply")))
    for p in doc.paragraphs:
        if "{{ court }}" in p.text:
            for run in p.runs:
                run.text = run.text.replace("{{ court }}", "法院")
    out = io.BytesIO()
    doc.save(out)
    with session_scope() as s, pytest.raises(InvalidInput, match=r"\{\{ court \}\}"):
        service.set_template(s, "east", "reply", out.getvalue(), actor=TESTER)
    with session_scope() as s, pytest.raises(InvalidInput, match="Word"):
        service.set_template(s, "east", "reply", b"not a docx", actor=TESTER)


def test_an_issued_document_rerenders_from_its_own_template_after_the_organ_sets_a_new_one() -> None:
    office()
    withheld_case()
    first = issue("W-1", "reply")
    doc = Docx(io.BytesIO(default_template("reply")))
    doc.paragraphs[0].add_run("红星镇人民政府文件")  # the organ's letterhead
    out = io.BytesIO()
    doc.save(out)
    with session_scope() as s:
        service.set_template(s, "east", "reply", out.getvalue(), actor=TESTER)
    assert issue("W-1", "reply").content == first.content
    withheld_case("W-2")
    assert "红星镇人民政府文件" in text_of(issue("W-2", "reply").content)


def test_verify_names_the_issued_document_and_knows_no_other_file() -> None:
    office()
    withheld_case()
    issued = issue("W-1", "reply")
    with session_scope() as s:
        assert service.verify(s, issued.content).number == issued.document.number  # type: ignore[union-attr]
        assert service.verify(s, issued.content + b"\0") is None


def test_serving_records_method_and_day_once_within_the_documents_date_and_today() -> None:
    office()
    withheld_case()
    number = issue("W-1", "reply").document.number
    with session_scope() as s, pytest.raises(InvalidInput, match="2026-03-19"):
        service.serve(s, number, "post", D(2026, 3, 19), actor=TESTER, today=D(2026, 3, 25))
    with session_scope() as s, pytest.raises(InvalidInput, match="fax"):
        service.serve(s, number, "fax", D(2026, 3, 21), actor=TESTER, today=D(2026, 3, 25))
    with session_scope() as s:
        service.serve(s, number, "post", D(2026, 3, 21), actor=TESTER, today=D(2026, 3, 25))
    with session_scope() as s, pytest.raises(RuleViolation, match="2026-03-21"):
        service.serve(s, number, "email", D(2026, 3, 22), actor=TESTER, today=D(2026, 3, 25))
    with session_scope() as s:
        doc = service.get_document(s, number, actor=TESTER)
        assert service.document_json(doc, "W-1") == {
            "number": number,
            "kind": "reply",
            "case": "W-1",
            "issued_on": "2026-03-20",
            "issued_by": "tester",
            "sha256": doc.sha256,
            "served_on": "2026-03-21",
            "served_by_method": "post",
        }


def test_a_document_nothing_calls_for_is_refused() -> None:
    office()
    receive(D(2026, 3, 2), ref="N")
    with pytest.raises(RuleViolation, match="answer"):
        issue("N", "reply")
    with pytest.raises(InvalidInput, match="'letter'"):
        issue("N", "letter")
