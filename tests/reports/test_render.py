"""The renderings read back: every cell and every merge of the three national-format tables.

The expected layouts below are written out from the 2021 national format (国办公开办函〔2021〕30号),
not derived from reports.layout, so a layout mistake shows up here.
"""

from __future__ import annotations

import io
from typing import Any

import pytest
from docx import Document
from docx.oxml.ns import qn
from openpyxl import load_workbook

from codes import COLUMNS, OUTCOMES, ROW_LABELS, ROWS
from reports.render import render
from reports.render_xlsx import FIRST_ROW, SHEETS

Rect = tuple[int, int, int, int]  # first row, first col, last row, last col (0-based)

S3_MERGES: set[Rect] = {
    (0, 0, 2, 2),  # the 勾稽关系 note over the three label columns
    (0, 3, 0, 9),  # 申请人情况
    (1, 3, 2, 3),  # 自然人
    (1, 4, 1, 8),  # 法人或其他组织
    (1, 9, 2, 9),  # 总计
    (3, 0, 3, 2),  # 一、本年新收
    (4, 0, 4, 2),  # 二、上年结转
    (5, 0, 26, 0),  # 三、本年度办理结果
    (5, 1, 5, 2),  # （一）予以公开
    (6, 1, 6, 2),  # （二）部分公开
    (7, 1, 14, 1),  # （三）不予公开
    (15, 1, 17, 1),  # （四）无法提供
    (18, 1, 22, 1),  # （五）不予处理
    (23, 1, 25, 1),  # （六）其他处理
    (26, 1, 26, 2),  # （七）总计
    (27, 0, 27, 2),  # 四、结转下年度继续办理
}
S4_MERGES: set[Rect] = {(0, 0, 1, 4), (0, 5, 0, 14), (1, 5, 1, 9), (1, 10, 1, 14)}
S2_MERGES: set[Rect] = {
    (0, 0, 0, 3),
    (4, 0, 4, 3),
    (5, 1, 5, 3),
    (6, 1, 6, 3),
    (7, 0, 7, 3),
    (8, 1, 8, 3),
    (9, 1, 9, 3),
    (10, 1, 10, 3),
    (11, 0, 11, 3),
    (12, 1, 12, 3),
    (13, 1, 13, 3),
}


def sample_report(**kw: Any) -> dict[str, Any]:
    """Every number different, so a number in the wrong cell cannot go unnoticed."""
    section3 = {r: [100 * i + j for j in range(7)] for i, r in enumerate(ROWS)}
    kinds = ("reconsideration", "litigation", "litigation_after_reconsideration")
    keys = ("upheld", "corrected", "other", "pending", "total")
    section4 = {k: {key: 10 * i + j for j, key in enumerate(keys)} for i, k in enumerate(kinds)}
    return {
        "organ": "hongxing",
        "organ_name": "阿城区红星镇人民政府",
        "year": 2023,
        "include_children": False,
        "columns": list(COLUMNS),
        "section3": section3,
        "section4": section4,
        "section2": {
            "rules": {"issued": 1, "repealed": 2, "in_force": 3},
            "normative_documents": {"issued": 4, "repealed": 5, "in_force": 6},
            "licensing": 7,
            "penalties": 8,
            "enforcement": 9,
            "fees": 12.3456,
        },
        "narrative": {"overview": "第一段。\n第二段。", "problems": None, "other": "无。"},
        "timeliness": {
            "concluded": 3,
            "workdays_to_conclusion": {"median": 10.0, "mean": 11.33, "min": 4, "max": 20},
            "on_time": 2,
            "late": 1,
            "on_time_rate": 0.6667,
            "extensions": 1,
            "consultations": 0,
            "corrections": 2,
            "fee_notices": 0,
            "pending_at_year_end": 1,
            "overdue_at_year_end": 1,
            "oldest_pending": [
                {
                    "ref": "HX-1",
                    "applicant_type": "natural_person",
                    "received_on": "2023-11-01",
                    "state_at_year_end": "received",
                    "reply_due_at_year_end": "2023-11-29",
                    "workdays_pending": 42,
                    "overdue_at_year_end": True,
                }
            ],
        },
        "checks": [{"name": "balance", "ok": True, "detail": "fine", "title": "每列：…"}],
        "sealed": None,
        **kw,
    }


def expected_s3(rep: dict[str, Any]) -> dict[tuple[int, int], Any]:
    """The text (or number) at every anchor position of section 三; every other position is empty."""
    want: dict[tuple[int, int], Any] = {
        (0, 0): "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）",
        (0, 3): "申请人情况",
        (1, 3): "自然人",
        (1, 4): "法人或其他组织",
        (1, 9): "总计",
        (2, 4): "商业企业",
        (2, 5): "科研机构",
        (2, 6): "社会公益组织",
        (2, 7): "法律服务机构",
        (2, 8): "其他",
        (3, 0): ROW_LABELS["new"],
        (4, 0): ROW_LABELS["carried_in"],
        (5, 0): "三、本年度办理结果",
        (7, 1): "（三）不予公开",
        (15, 1): "（四）无法提供",
        (18, 1): "（五）不予处理",
        (23, 1): "（六）其他处理",
        (26, 1): ROW_LABELS["total"],
        (27, 0): ROW_LABELS["carried_out"],
    }
    for r, key in enumerate(OUTCOMES, start=5):
        want[(r, 1 if key in ("disclosed", "partially_disclosed") else 2)] = ROW_LABELS[key]
    for r, key in enumerate(["new", "carried_in", *OUTCOMES, "total", "carried_out"], start=3):
        for j in range(7):
            want[(r, 3 + j)] = rep["section3"][key][j]
    return want


def expected_s4(rep: dict[str, Any]) -> dict[tuple[int, int], Any]:
    want: dict[tuple[int, int], Any] = {
        (0, 0): "行政复议",
        (0, 5): "行政诉讼",
        (1, 5): "未经复议直接起诉",
        (1, 10): "复议后起诉",
    }
    labels = ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"]
    for i, kind in enumerate(["reconsideration", "litigation", "litigation_after_reconsideration"]):
        for j, key in enumerate(["upheld", "corrected", "other", "pending", "total"]):
            want[(2, 5 * i + j)] = labels[j]
            want[(3, 5 * i + j)] = rep["section4"][kind][key]
    return want


def expected_s2(rep: dict[str, Any]) -> dict[tuple[int, int], Any]:
    s2 = rep["section2"]
    want: dict[tuple[int, int], Any] = {
        (0, 0): "第二十条第（一）项",
        (1, 0): "信息内容",
        (1, 1): "本年制发件数",
        (1, 2): "本年废止件数",
        (1, 3): "现行有效件数",
        (2, 0): "规章",
        (3, 0): "行政规范性文件",
        (4, 0): "第二十条第（五）项",
        (5, 0): "信息内容",
        (5, 1): "本年处理决定数量",
        (6, 0): "行政许可",
        (6, 1): s2["licensing"],
        (7, 0): "第二十条第（六）项",
        (8, 0): "信息内容",
        (8, 1): "本年处理决定数量",
        (9, 0): "行政处罚",
        (9, 1): s2["penalties"],
        (10, 0): "行政强制",
        (10, 1): s2["enforcement"],
        (11, 0): "第二十条第（八）项",
        (12, 0): "信息内容",
        (12, 1): "本年收费金额（单位：万元）",
        (13, 0): "行政事业性收费",
        (13, 1): s2["fees"],
    }
    for r, key in ((2, "rules"), (3, "normative_documents")):
        for j, part in enumerate(["issued", "repealed", "in_force"]):
            want[(r, 1 + j)] = s2[key][part]
    return want


# --- reading a DOCX table back from its XML -----------------------------------------------------
def docx_grid(table: Any) -> tuple[dict[tuple[int, int], str], set[Rect], int, int]:
    """(text at each anchor, merged rectangles, rows, columns) from w:gridSpan and w:vMerge."""
    texts: dict[tuple[int, int], str] = {}
    spans: dict[tuple[int, int], int] = {}
    continues: set[tuple[int, int]] = set()
    widths = set()
    rows = table._tbl.tr_lst
    for r, tr in enumerate(rows):
        c = 0
        for tc in tr.tc_lst:
            span = tc.grid_span
            vmerge = tc.tcPr.find(qn("w:vMerge")) if tc.tcPr is not None else None
            text = "".join(t.text or "" for t in tc.iter(qn("w:t")))
            if vmerge is not None and vmerge.get(qn("w:val")) != "restart":
                continues.add((r, c))
                assert text == "", f"text {text!r} in a merged-away cell at {(r, c)}"
            else:
                texts[(r, c)] = text
                spans[(r, c)] = span
            c += span
        widths.add(c)
    assert len(widths) == 1, f"rows of different widths: {widths} (a stray cell)"
    merges: set[Rect] = set()
    for (r, c), span in spans.items():
        last = r
        while (last + 1, c) in continues:
            last += 1
        if span > 1 or last > r:
            merges.add((r, c, last, c + span - 1))
    return texts, merges, len(rows), widths.pop()


def as_text(want: dict[tuple[int, int], Any]) -> dict[tuple[int, int], str]:
    return {k: (v if isinstance(v, str) else f"{v}") for k, v in want.items()}


def nonempty(texts: dict[tuple[int, int], str]) -> dict[tuple[int, int], str]:
    return {k: v for k, v in texts.items() if v}


@pytest.fixture(scope="module")
def docx_doc() -> Any:
    return Document(io.BytesIO(render(sample_report(), "docx")))


def test_docx_section3_has_every_cell_and_merge_of_the_national_format(docx_doc: Any) -> None:
    texts, merges, rows, cols = docx_grid(docx_doc.tables[1])
    assert (rows, cols) == (28, 10)
    assert merges == S3_MERGES
    assert nonempty(texts) == as_text(expected_s3(sample_report()))


def test_docx_section4_header_splits_litigation_into_direct_and_after_reconsideration(docx_doc: Any) -> None:
    texts, merges, rows, cols = docx_grid(docx_doc.tables[2])
    assert (rows, cols) == (4, 15)
    assert merges == S4_MERGES
    assert nonempty(texts) == as_text(expected_s4(sample_report()))


def test_docx_section2_is_the_article_20_table(docx_doc: Any) -> None:
    texts, merges, rows, cols = docx_grid(docx_doc.tables[0])
    assert (rows, cols) == (14, 4)
    assert merges == S2_MERGES
    assert nonempty(texts) == as_text(expected_s2(sample_report()))


def test_docx_has_the_title_the_opening_and_six_sections_in_order_with_their_tables(docx_doc: Any) -> None:
    body = docx_doc.element.body
    items: list[str] = []
    for child in body.iterchildren():
        if child.tag == qn("w:p"):
            text = "".join(t.text or "" for t in child.iter(qn("w:t")))
            if text:
                items.append(text)
        elif child.tag == qn("w:tbl"):
            items.append("<table>")
    assert items[0] == "阿城区红星镇人民政府2023年政府信息公开工作年度报告"
    assert "国办公开办函〔2021〕30号" in items[1]
    assert "自2023年1月1日起至2023年12月31日止" in items[1]
    headings = [
        "一、总体情况",
        "二、主动公开政府信息情况",
        "三、收到和处理政府信息公开申请情况",
        "四、政府信息公开行政复议、行政诉讼情况",
        "五、存在的主要问题及改进情况",
        "六、其他需要报告的事项",
    ]
    at = [items.index(h) for h in headings]
    assert at == sorted(at)
    assert items[at[0] + 1 : at[1]] == ["第一段。", "第二段。"]
    assert items[at[1] + 1] == "<table>" and items[at[2] + 1] == "<table>" and items[at[3] + 1] == "<table>"
    assert items[at[4] + 1] == "（本部分尚未填写。）" and items[at[5] + 1] == "无。"
    assert items[-1] == "无。"  # section 六 ends the published report: no checks, no seal, no annex
    assert len(docx_doc.tables) == 3


def test_the_internal_record_holds_the_seal_the_checks_in_chinese_and_the_timeliness_annex() -> None:
    doc = Document(io.BytesIO(render(sample_report(), "docx", internal=True)))
    assert doc.paragraphs[0].text == "阿城区红星镇人民政府2023年\n政府信息公开工作年度报告（内部记录）"
    seal, checks, annex, oldest = doc.tables
    assert {seal.cell(r, 0).text for r in range(1, len(seal.rows))} >= {"统计范围", "状态", "生成时间"}
    assert [checks.cell(0, j).text for j in range(3)] == ["校验项目", "结果", "说明"]
    assert checks.cell(1, 0).text == "每列：…" and checks.cell(1, 1).text == "通过"
    table = {annex.cell(r, 0).text: annex.cell(r, 1).text for r in range(1, 15)}
    assert table["按期率"] == "66.7%" and table["收到至办结工作日：中位数"] == "10"
    assert oldest.cell(1, 0).text == "HX-1"
    # nothing of the national format's content: the internal record is filed beside it
    assert "国办公开办函" not in "\n".join(p.text for p in doc.paragraphs)


# --- XLSX ---------------------------------------------------------------------------------------
def xlsx_grid(ws: Any, rows: int, cols: int) -> tuple[dict[tuple[int, int], Any], set[Rect]]:
    values = {}
    for r in range(rows):
        for c in range(cols):
            v = ws.cell(FIRST_ROW + r, 1 + c).value
            if v not in (None, ""):
                values[(r, c)] = v
    merges = {
        (m.min_row - FIRST_ROW, m.min_col - 1, m.max_row - FIRST_ROW, m.max_col - 1)
        for m in ws.merged_cells.ranges
    }
    assert ws.max_row == FIRST_ROW + rows - 1 and ws.max_column == cols, "cells outside the table"
    return values, merges


@pytest.fixture(scope="module")
def workbook() -> Any:
    return load_workbook(io.BytesIO(render(sample_report(), "xlsx")))


@pytest.mark.parametrize(
    ("sheet", "shape", "merges", "expected"),
    [
        ("section3", (28, 10), S3_MERGES, expected_s3),
        ("section4", (4, 15), S4_MERGES, expected_s4),
        ("section2", (14, 4), S2_MERGES, expected_s2),
    ],
)
def test_xlsx_tables_have_the_same_cells_and_merges_with_numbers_as_numbers(
    workbook: Any, sheet: str, shape: tuple[int, int], merges: set[Rect], expected: Any
) -> None:
    ws = workbook[SHEETS[sheet]]
    values, got_merges = xlsx_grid(ws, *shape)
    assert got_merges == merges
    assert values == expected(sample_report())
    assert ws.cell(1, 1).value == "阿城区红星镇人民政府2023年政府信息公开工作年度报告"


# --- HTML and Markdown --------------------------------------------------------------------------
def test_html_draws_the_merges_and_escapes_text() -> None:
    page = render(sample_report(organ_name="<b>镇</b>"), "html").decode()
    assert "&lt;b&gt;镇&lt;/b&gt;2023年政府信息公开工作年度报告" in page
    assert '<th rowspan="3" colspan="3">（本列数据的勾稽关系为' in page
    assert '<th rowspan="22">三、本年度办理结果</th>' in page
    assert '<th rowspan="2" colspan="5">行政复议</th>' in page and '<th colspan="10">行政诉讼</th>' in page


def test_markdown_lists_every_section3_row_with_its_seven_numbers() -> None:
    rep = sample_report()
    md = render(rep, "md").decode()
    for key in ROWS:
        numbers = " | ".join(str(v) for v in rep["section3"][key])
        assert f"{ROW_LABELS[key]} | {numbers} |" in md
    assert "行政诉讼 复议后起诉 尚未审结" in md


def test_a_report_without_section2_inputs_says_so_and_leaves_the_cells_blank() -> None:
    rep = sample_report(section2=None)
    doc = Document(io.BytesIO(render(rep, "docx")))
    texts, _, _, _ = docx_grid(doc.tables[0])
    assert texts[(6, 1)] == "" and texts[(2, 1)] == ""
    assert "本部分数据尚未填报。" in [p.text for p in doc.paragraphs]


SEALED = {
    "version": 2,
    "sealed_at": "2024-01-20T08:00:00+00:00",
    "sealed_by": "wang",
    "content_hash": "ab" * 32,
    "content_hash_ok": True,
    "in_force": True,
}


def test_the_internal_record_names_the_seals_version_hash_sealer_and_local_time() -> None:
    md = render(sample_report(sealed=SEALED), "md", internal=True).decode()
    assert "| 版本 | 第2版 |" in md and "| 封存人 | wang |" in md
    assert f"| 内容摘要（SHA-256） | {'ab' * 32} |" in md
    assert "| 封存时间 | 2024-01-20 16:00（Asia/Shanghai） |" in md  # 08:00 UTC


@pytest.mark.parametrize("fmt", ["md", "html", "docx", "xlsx"])
def test_the_published_report_holds_only_the_national_formats_content(fmt: str) -> None:
    rep = sample_report(sealed=SEALED)
    rep["checks"] = [{"name": "balance", "ok": False, "detail": "natural_person: new 1", "title": "每列：…"}]
    text = all_text(render(rep, fmt), fmt)
    assert "第二十条第（八）项" in text and "四、结转下年度继续办理" in text
    assert "六、其他需要报告的事项" in text or fmt == "xlsx"  # the workbook holds the tables only
    internal_record = ("ab" * 32, "SHA-256", "封存", "wang", "数据校验", "每列：…", "natural_person",
                       "办理时效", "按期率", "HX-1", "内部记录")  # fmt: skip
    for word in internal_record:
        assert word not in text, f"{word!r} in the published {fmt}"
    assert "ab" * 32 in all_text(render(rep, fmt, internal=True), fmt)


def all_text(data: bytes, fmt: str) -> str:
    """Every text a reader of the file can see (XLSX: every cell of every sheet, and sheet names)."""
    if fmt == "docx":
        doc = Document(io.BytesIO(data))
        return "\n".join(t.text or "" for t in doc.element.body.iter(qn("w:t")))
    if fmt == "xlsx":
        book = load_workbook(io.BytesIO(data))
        cells = [str(c.value) for ws in book.worksheets for row in ws.iter_rows() for c in row if c.value]
        return "\n".join([*book.sheetnames, *cells])
    return data.decode()
