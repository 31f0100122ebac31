"""The report page: section 三 and 四 from the cases, the cases behind each number, the downloads,
the user's inputs, and the sealed state of a closed year."""

from __future__ import annotations

import io
import re

import docx
import openpyxl
import pytest

from codes import COLUMNS
from models.db import read_session, session_scope
from reports.inputs import load_inputs
from tests.admin.conftest import logged_in
from tests.support import TESTER, D, receive, step
from workflow.appeals import decide_appeal, file_appeal


def cell(page: str, row: str, column: str) -> str:
    m = re.search(rf'data-row="{row}" data-column="{column}">(.*?)</td>', page, re.S)
    assert m is not None, (row, column)
    return re.sub(r"<[^>]+>", "", m.group(1)).strip()


@pytest.fixture
def year_2025(office: str) -> None:
    receive(D(2024, 12, 20), organ="east", ref="OLD", applicant_type="other_org")  # carried into 2025
    receive(D(2025, 3, 2), organ="east", ref="P1")
    receive(D(2025, 4, 1), organ="east", ref="P2")
    receive(D(2025, 5, 6), organ="east", ref="C1", applicant_type="commercial_enterprise")
    receive(D(2025, 12, 22), organ="east", ref="OPEN")  # carried out of 2025
    step("OLD", "answer", on=D(2025, 1, 10), outcome="unable_not_held")
    step("P1", "answer", on=D(2025, 3, 20), outcome="disclosed")
    step("P2", "answer", on=D(2025, 4, 20), outcome="disclosed")
    step("C1", "request_correction", on=D(2025, 5, 8), items=["申请内容的描述"], until=D(2025, 5, 20))
    step("C1", "lapse_correction", on=D(2025, 5, 21))


def test_section_three_shows_the_years_counts_and_the_checks_pass(year_2025: None) -> None:
    page = logged_in("east-worker").get("/reports?organ=east&year=2025").text
    assert "东区人民政府2025年政府信息公开工作年度报告" in page
    assert cell(page, "new", "natural_person") == "3" and cell(page, "new", "total") == "4"
    assert cell(page, "carried_in", "other_org") == "1"
    assert cell(page, "disclosed", "natural_person") == "2"
    assert cell(page, "other_no_correction", "commercial_enterprise") == "1"
    assert cell(page, "carried_out", "total") == "1"
    assert cell(page, "total", "total") == "4"
    checks = dict(re.findall(r'data-check="(\w+)" data-ok="(\w+)"', page))
    assert checks and set(checks.values()) == {"true"}
    assert len(re.findall(r'data-column="(\w+)"', page)) == 25 * len(COLUMNS) + 3 * 5  # and section 四


def test_clicking_a_number_lists_the_cases_behind_it(year_2025: None) -> None:
    w = logged_in("east-worker")
    page = w.get("/reports?organ=east&year=2025").text
    link = re.search(r'data-row="disclosed" data-column="total"><a class="cell" href="([^"]+)"', page)
    assert link is not None
    listing = w.get(link.group(1).replace("&amp;", "&")).text
    assert re.findall(r'<tr data-ref="([^"]+)"', listing) == ["P1", "P2"]
    assert 'id="count">2<' in listing
    carried = w.get("/reports/cell?organ=east&year=2025&row=carried_out&column=total").text
    assert re.findall(r'<tr data-ref="([^"]+)"', carried) == ["OPEN"]


def test_clicking_a_section_four_number_lists_the_appeals_counted_there(year_2025: None) -> None:
    with session_scope() as s:
        upheld = file_appeal(s, "P1", kind="reconsideration", filed_on=D(2025, 4, 1), actor=TESTER)
        decide_appeal(s, upheld.id or 0, result="upheld", decided_on=D(2025, 6, 1), actor=TESTER)
        late = file_appeal(s, "P2", kind="litigation", filed_on=D(2025, 5, 1), actor=TESTER)
        decide_appeal(s, late.id or 0, result="corrected", decided_on=D(2026, 1, 10), actor=TESTER)
    w = logged_in("east-worker")
    page = w.get("/reports?organ=east&year=2025").text
    assert cell(page, "reconsideration", "upheld") == "1" and cell(page, "litigation", "pending") == "1"
    assert cell(page, "litigation", "corrected") == "0"  # decided after 31 December: still pending in 2025

    def listed(kind: str, column: str) -> list[str]:
        link = re.search(rf'data-row="{kind}" data-column="{column}"><a class="cell" href="([^"]+)"', page)
        assert link is not None and link.group(1).startswith("/reports/appeals?")
        return re.findall(r'<tr data-ref="([^"]+)"', w.get(link.group(1).replace("&amp;", "&")).text)

    assert listed("reconsideration", "upheld") == ["P1"]
    assert listed("litigation", "pending") == ["P2"] and listed("litigation", "total") == ["P2"]
    assert w.get("/reports/appeals?organ=east&year=2025&row=appeal&column=total").status_code == 422


def test_the_downloads_are_the_official_document_and_workbook(year_2025: None) -> None:
    w = logged_in("east-worker")
    r = w.get("/reports/download?organ=east&year=2025&format=docx")
    assert r.status_code == 200 and "filename*=UTF-8''" in r.headers["content-disposition"]
    document = docx.Document(io.BytesIO(r.content))
    text = "\n".join(p.text for p in document.paragraphs)
    assert "东区人民政府2025年政府信息公开工作年度报告" in text.replace("\n", "")  # a title on two lines
    r = w.get("/reports/download?organ=east&year=2025&format=xlsx")
    assert r.status_code == 200
    book = openpyxl.load_workbook(io.BytesIO(r.content))
    values = [c.value for ws in book.worksheets for row in ws.iter_rows() for c in row]
    assert "一、本年新收政府信息公开申请数量" in values
    assert w.get("/reports/download?organ=east&year=2025&format=exe").status_code == 422


def test_the_page_offers_the_published_report_and_the_internal_record_labelled_apart(year_2025: None) -> None:
    w = logged_in("east-worker")
    page = w.get("/reports?organ=east&year=2025").text
    downloads = page[page.index('id="downloads"') :]
    assert (
        downloads.index("发布版") < downloads.index("download-published-docx") < downloads.index("内部记录")
    )
    assert "part=internal" in re.search(r'id="download-internal-xlsx" href="([^"]+)"', page).group(1)
    assert "part=" not in re.search(r'id="download-published-docx" href="([^"]+)"', page).group(1)
    # printed, the page is the published report (hidden on screen), the rest is not printed
    assert 'id="print-published" data-print' in page and 'src="/static/report-print.js"' in page
    article = re.search(
        r'<div class="d-none d-print-block" id="published"><article class="ogi-report">', page
    )
    assert article is not None and '<div class="d-print-none">' in page
    assert (
        w.get("/static/report.css").status_code == 200 and w.get("/static/report-print.js").status_code == 200
    )


def test_the_published_download_holds_only_the_national_format_and_the_internal_one_the_record(
    year_2025: None,
) -> None:
    w = logged_in("east-worker")
    published = w.get("/reports/download?organ=east&year=2025&format=docx")
    text = "\n".join(p.text for p in docx.Document(io.BytesIO(published.content)).paragraphs)
    assert "六、其他需要报告的事项" in text and "数据校验" not in text and "办理时效" not in text
    internal = w.get("/reports/download?organ=east&year=2025&format=docx&part=internal")
    assert internal.status_code == 200 and "-internal.docx" in internal.headers["content-disposition"]
    record = docx.Document(io.BytesIO(internal.content))
    assert "（内部记录）" in record.paragraphs[0].text
    assert "数据校验" in "\n".join(p.text for p in record.paragraphs) and len(record.tables) >= 3
    book = openpyxl.load_workbook(
        io.BytesIO(w.get("/reports/download?organ=east&year=2025&format=xlsx").content)
    )
    assert book.sheetnames == ["二、主动公开", "三、依申请公开", "四、复议诉讼"]
    bad = w.get("/reports/download?organ=east&year=2025&format=docx&part=everything")
    assert bad.status_code == 422 and "published（公开报告）或 internal（内部记录）" in bad.text


def test_section_two_and_the_narrative_are_saved_from_the_form(year_2025: None) -> None:
    w = logged_in("east-worker")
    form = {"organ": "east", "year": "2025", "rules.in_force": "3", "licensing": "120", "fees": "1.2345",
            "overview": "本年度依法办理申请。", "problems": "", "other": "无"}  # fmt: skip
    assert w.post("/reports/inputs", form).status_code == 303
    with read_session() as s:
        inputs = load_inputs(s, "east", 2025)
    assert inputs.section2 is not None
    assert (inputs.section2.rules.in_force, inputs.section2.licensing, str(inputs.section2.fees)) == (
        3,
        120,
        "1.2345",
    )
    assert inputs.narrative.overview == "本年度依法办理申请。" and inputs.narrative.problems is None
    page = w.get("/reports?organ=east&year=2025").text
    assert 'id="s2-licensing" name="licensing" inputmode="decimal" value="120"' in page

    bad = {**form, "licensing": "很多", "overview": "改过的"}
    r = w.post("/reports/inputs", bad)
    assert r.status_code == 422 and "很多" in r.text
    with read_session() as s:
        assert load_inputs(s, "east", 2025).narrative.overview == "本年度依法办理申请。"


def test_a_closed_year_shows_its_seal_and_its_inputs_are_locked(year_2025: None) -> None:
    head = logged_in("east-head")
    assert head.post("/reports/close", {"organ": "east", "year": "2025"}).status_code == 303
    page = head.get("/reports?organ=east&year=2025").text
    assert "已关闭并封存（第 1 版，east-head" in page and "重新开放 2025 年" in page
    r = head.post("/reports/inputs", {"organ": "east", "year": "2025", "overview": "封存后改写"})
    assert r.status_code == 422 and "2025 年度已关闭" in r.text


def test_the_matrix_changes_when_a_case_is_answered(any_office: str) -> None:
    receive(D(2026, 4, 1), organ="east", ref="E-50")
    w = logged_in("east-worker")
    before = w.get("/reports?organ=east&year=2026").text
    assert cell(before, "disclosed", "total") == "0" and cell(before, "carried_out", "total") == "1"
    assert w.advance("E-50", "answer", 1, on="2026-04-28", outcome="disclosed").status_code == 303
    after = w.get("/reports?organ=east&year=2026").text
    assert cell(after, "disclosed", "total") == "1" and cell(after, "carried_out", "total") == "0"
