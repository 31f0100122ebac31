"""The published DOCX looked at as a district supervisor would: rendered to PDF by LibreOffice (with
Debian's Noto CJK fonts standing in for the government fonts, as config/fonts.conf maps
them) and read back page by page with pdfplumber. A PNG of every page is kept under
artifacts/report-pdf/ for a person to look at.

Skipped without LibreOffice and poppler locally; under CI (.ci/run installs them) it must run.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pdfplumber
import pytest

from codes import COLUMNS, OUTCOMES, ROW_LABELS
from config.fonts import libreoffice_env
from reports.render import render
from tests.conftest import require_service
from tests.reports.test_render import sample_report

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "artifacts" / "report-pdf"
# the budget a supervisor would accept: the whole report on five A4 pages, section 三's 28 rows
# on at most two (it follows section 二 on the same page when there is room, header repeated)
MAX_PAGES = 5
SECTION3_PAGES = 2
# no page but the last is less filled than this (the share of the text area's height in use)
MIN_FILL = 0.4
# GB/T 9704's text area on A4: 37 mm from the top, 35 mm from the bottom (in points)
TEXT_TOP, TEXT_BOTTOM = 37 / 25.4 * 72, (297 - 35) / 25.4 * 72
S3_ROWS = ("new", "carried_in", *OUTCOMES, "total", "carried_out")
VERTICAL_LABEL = "三、本年度办理结果"  # written down its column, a character a line, as the format does
INTERNAL = ("SHA-256", "封存", "数据校验", "校验", "办理时效", "内部记录", "按期率", "生成时间")

pytestmark = pytest.mark.slow


def busy_report() -> dict[str, Any]:
    """A district bureau's busy year: five-digit totals, every cell a different number (so a cell
    is found on its page by its number), a full section 二, several paragraphs in each narrative."""
    rep = sample_report(organ_name="哈尔滨市阿城区市场监督管理局")
    section3 = {}
    for i, key in enumerate(S3_ROWS):
        six = [1000 + 37 * i + 7 * j for j in range(6)]
        six[0] += 8000 + i  # natural persons: most of the applications
        section3[key] = [*six, sum(six)]
    rep["section3"] = section3
    rep["section2"] = {
        "rules": {"issued": 3, "repealed": 1, "in_force": 27},
        "normative_documents": {"issued": 41, "repealed": 12, "in_force": 388},
        "licensing": 125034,
        "penalties": 4521,
        "enforcement": 317,
        "fees": 1234.5678,
    }
    paragraph = (
        "本年度，本机关坚持以公开为常态、不公开为例外，依法依规做好政府信息公开工作。围绕优化营商环境、"
        "市场主体登记、食品药品安全监管等重点领域，及时主动公开政策文件、行政许可和行政处罚信息，"
        "并通过政府网站、政务新媒体和新闻发布会等渠道做好政策解读和回应关切。"
    )
    rep["narrative"] = {
        "overview": "\n".join([paragraph] * 4),
        "problems": "\n".join([paragraph] * 2),
        "other": "本机关依据《政府信息公开信息处理费管理办法》收取信息处理费0元。",
    }
    rep["sealed"] = {"version": 3, "sealed_at": "2025-01-20T18:38:00+00:00", "sealed_by": "wang",
                     "content_hash": "cd" * 32, "content_hash_ok": True, "in_force": True}  # fmt: skip
    rep["checks"] = [{"name": "balance", "ok": True, "detail": "ok", "title": "每列：本年新收 + 上年结转"}]
    return rep


def _convert(docx: Path) -> Path:
    """DOCX → PDF with LibreOffice, in a profile of its own (a running LibreOffice is not disturbed)."""
    env = libreoffice_env({**os.environ, "HOME": str(docx.parent)})
    profile = (docx.parent / "lo-profile").as_uri()
    subprocess.run(
        ["soffice", f"-env:UserInstallation={profile}", "--headless", "--convert-to", "pdf",
         "--outdir", str(docx.parent), str(docx)],
        env=env, check=True, capture_output=True, timeout=180,
    )  # fmt: skip
    return docx.with_suffix(".pdf")


def _pngs(pdf: Path, name: str) -> list[Path]:
    """A PNG of every page, kept for a person to look at."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    for old in ARTIFACTS.glob(f"{name}-*.png"):
        old.unlink()
    subprocess.run(["pdftoppm", "-r", "80", "-png", str(pdf), str(ARTIFACTS / name)], check=True, timeout=120)
    return sorted(ARTIFACTS.glob(f"{name}-*.png"))


def _require_tools() -> None:
    tools = [t for t in ("soffice", "pdftoppm") if shutil.which(t) is None]
    require_service(
        "LibreOffice and poppler",
        not tools,
        f"missing {', '.join(tools)}: apt-get install libreoffice-writer-nogui fonts-noto-cjk poppler-utils",
    )


def _pdfs(folder: Path, rep: dict[str, Any], prefix: str) -> tuple[Any, Any]:
    """The published report and the internal record of `rep`, as PDFs (PNGs kept under artifacts/)."""
    pdfs = []
    for name, internal in ((f"{prefix}published", False), (f"{prefix}internal", True)):
        docx = folder / f"{name}.docx"
        docx.write_bytes(render(rep, "docx", internal=internal))
        pdf = _convert(docx)
        assert _pngs(pdf, name), "no page images"
        pdfs.append(pdfplumber.open(pdf))
    return pdfs[0], pdfs[1]


@pytest.fixture(scope="module")
def rendered(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Any, Any]]:
    _require_tools()
    pdfs = _pdfs(tmp_path_factory.mktemp("pdf"), busy_report(), "")
    yield pdfs
    for pdf in pdfs:
        pdf.close()


@pytest.fixture(scope="module")
def small(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Any, Any]]:
    """A small office's year: two-digit numbers, a line or two of narrative."""
    _require_tools()
    pdfs = _pdfs(tmp_path_factory.mktemp("pdf-small"), sample_report(), "small-")
    yield pdfs
    for pdf in pdfs:
        pdf.close()


@pytest.fixture(scope="module", params=["busy", "small"])
def each(request: pytest.FixtureRequest) -> tuple[Any, Any]:
    """The published report and internal record of the busy year, then of the small one."""
    return request.getfixturevalue("rendered" if request.param == "busy" else "small")


def page_texts(pdf: Any) -> list[str]:
    return [(page.extract_text() or "").replace(" ", "").replace("\n", "") for page in pdf.pages]


def section3_table(page: Any) -> list[list[str | None]] | None:
    for table in page.extract_tables():
        if any(cell and "申请人情况" in cell for row in table for cell in row):
            return table
    return None


def test_the_published_report_stays_within_its_page_budget(rendered: tuple[Any, Any]) -> None:
    published, _ = rendered
    texts = page_texts(published)
    assert len(texts) <= MAX_PAGES
    s3_pages = [i for i, t in enumerate(texts) if section3_table(published.pages[i]) is not None]
    assert 1 <= len(s3_pages) <= SECTION3_PAGES, s3_pages
    assert all(t.strip() for t in texts), "an empty page"
    assert "六、其他需要报告的事项" in texts[-1]


def test_no_section3_row_has_its_cells_on_two_pages(rendered: tuple[Any, Any]) -> None:
    published, _ = rendered
    rep = busy_report()
    words = [{w["text"] for w in page.extract_words()} for page in published.pages]
    for key in S3_ROWS:
        pages = {
            i for i, page_words in enumerate(words) for v in rep["section3"][key] if str(v) in page_words
        }
        assert len(pages) == 1, f"{ROW_LABELS[key]}: numbers on pages {pages}"


def test_the_header_rows_top_each_page_of_section3(rendered: tuple[Any, Any]) -> None:
    published, _ = rendered
    for page in published.pages:
        table = section3_table(page)
        if table is None:
            continue
        header = [cell for row in table[:3] for cell in row if cell]
        assert any("申请人情况" in c for c in header) and any("自然人" in c.replace("\n", "") for c in header)
        assert not any(cell and "本年新收" in cell for row in table[:3] for cell in row)


def test_no_label_in_section3_takes_more_than_two_lines(rendered: tuple[Any, Any]) -> None:
    published, _ = rendered
    labels = 0
    for page in published.pages:
        table = section3_table(page)
        for row in table or []:
            for cell in row:
                if not cell or cell.replace("\n", "").isdigit() or cell.replace("\n", "") == VERTICAL_LABEL:
                    continue
                labels += 1
                assert cell.count("\n") <= 1, f"{cell!r} takes {cell.count(chr(10)) + 1} lines"
    # every label of the format was found (the header texts, the 25 row labels and the groups)
    assert labels >= 25 + 4 + len(COLUMNS)


def test_the_published_pdf_holds_none_of_the_internal_record(rendered: tuple[Any, Any]) -> None:
    published, internal = rendered
    text = "".join(page_texts(published))
    for word in (*INTERNAL, "cd" * 32, "wang"):
        assert word not in text, word
    record = "".join(page_texts(internal))
    assert "cd" * 32 in record and "2025-01-2102:38" in record  # sealed 18:38 UTC = 02:38 next day
    assert "数据校验" in record and "按期率" in record


# --- page numbers, how full the pages are, wrapped labels ---------------------------------------
def foot_text(page: Any) -> str:
    """The text below the text area: the page number's line."""
    return (page.crop((0, TEXT_BOTTOM, page.width, page.height)).extract_text() or "").replace(" ", "")


def test_every_page_has_its_number_at_the_foot_between_dashes(each: tuple[Any, Any]) -> None:
    for pdf in each:
        for i, page in enumerate(pdf.pages, 1):
            assert foot_text(page) == f"—{i}—", (i, foot_text(page))


def test_page_numbers_sit_on_the_outside_corner(each: tuple[Any, Any]) -> None:
    """GB/T 9704: odd pages' numbers on the right, even pages' on the left."""
    published, _ = each
    for i, page in enumerate(published.pages, 1):
        chars = page.crop((0, TEXT_BOTTOM, page.width, page.height)).chars
        middle = (min(c["x0"] for c in chars) + max(c["x1"] for c in chars)) / 2
        assert (middle > page.width / 2) == (i % 2 == 1), (i, middle)


def filled(page: Any) -> float:
    """The share of the text area's height from its top to the lowest text or rule on the page."""
    body = page.crop((0, 0, page.width, TEXT_BOTTOM))
    bottoms = [c["bottom"] for c in body.chars] + [e["bottom"] for e in body.edges]
    return (max(bottoms, default=TEXT_TOP) - TEXT_TOP) / (TEXT_BOTTOM - TEXT_TOP)


def test_no_page_but_the_last_is_left_mostly_empty(each: tuple[Any, Any]) -> None:
    """No forced page break and no table held whole when it may break between rows: a page ends
    only when the next row or paragraph does not fit (a block of section 二, section 四, a heading
    with its table's first rows are the largest units kept whole)."""
    published, _ = each
    fills = [round(filled(page), 2) for page in published.pages]
    assert all(f >= MIN_FILL for f in fills[:-1]), fills


CJK = re.compile(r"[\u4e00-\u9fff]")


def cell_lines(pdf: Any) -> Iterator[tuple[str, list[str]]]:
    """Every table cell of the document, with its text line by line as printed."""
    for page in pdf.pages:
        for table in page.extract_tables():
            for row in table:
                for cell in row:
                    if cell:
                        yield cell, [line.strip() for line in cell.split("\n") if line.strip()]


def test_no_cell_of_the_internal_record_leaves_one_character_alone_on_a_line(each: tuple[Any, Any]) -> None:
    _, internal = each
    cells = list(cell_lines(internal))
    assert any(text.startswith("年底答复期限") or "年底答" in text for text, _ in cells)  # the annex was read
    for text, lines in cells:
        if len(lines) > 1:
            assert not any(len(line) == 1 and CJK.match(line) for line in lines), text


def test_numbers_in_the_internal_record_are_centred_like_every_number(each: tuple[Any, Any]) -> None:
    """按期率 (66.7%) and 已历工作日 are numbers: centred in their cells as the counts are."""
    _, internal = each
    for page in internal.pages:
        for table in page.find_tables():
            for row in table.rows:
                for box in row.cells:
                    if box is None:
                        continue
                    words = page.crop(box).extract_words()
                    text = "".join(w["text"] for w in words)
                    if not words or not re.fullmatch(r"[0-9.,%-]+", text) or "-" in text:
                        continue  # labels; dates and refs (case numbers) are not measured
                    left = words[0]["x0"] - box[0]
                    right = box[2] - words[-1]["x1"]
                    assert abs(left - right) <= 3, (text, left, right)


# --- the HTML report, laid out by Chromium on screen and for print ------------------------------
# the page's text width printed on A4 with GB/T 9704's margins (156 mm) in CSS pixels
PRINT_WIDTH_PX = round(156 / 25.4 * 96)
# each cell of the tables as the browser laid it out: its text line by line (characters grouped by
# the top of their boxes), and its share of the table's width
LINES_JS = """(name) => Array.from(document.querySelectorAll(`table.${name} :is(th, td)`)).map(el => {
    const lines = new Map();
    const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        for (let i = 0; i < node.length; i++) {
            const range = document.createRange(); range.setStart(node, i); range.setEnd(node, i + 1);
            const rect = range.getClientRects()[0];
            if (!rect || !node.data[i].trim()) continue;
            const top = Math.round(rect.top);
            lines.set(top, (lines.get(top) || "") + node.data[i]);
        }
    }
    const order = Array.from(lines.keys()).sort((a, b) => a - b);
    return [el.textContent, order.map(t => lines.get(t)),
            el.getBoundingClientRect().width / el.closest('table').getBoundingClientRect().width];
})"""


@pytest.fixture(scope="module")
def chromium() -> Iterator[Any]:
    from tests.admin.test_browser import CHROMIUM, LAUNCH_ARGS

    require_service("Chromium", Path(CHROMIUM).exists(), f"{CHROMIUM} missing (apt-get install -y chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=LAUNCH_ARGS)
        yield b
        b.close()


@pytest.mark.parametrize(("media", "width"), [("screen", 1280), ("screen", 800), ("print", PRINT_WIDTH_PX)])
@pytest.mark.parametrize("kind", ["busy", "small"])
def test_html_section3_headers_never_wrap_and_labels_take_at_most_two_lines(
    chromium: Any, media: str, width: int, kind: str
) -> None:
    rep = busy_report() if kind == "busy" else sample_report()
    page = chromium.new_page(viewport={"width": width, "height": 1000})
    try:
        page.set_content(render(rep, "html").decode())
        page.emulate_media(media=media)
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / f"html-{kind}-{media}-{width}.png"), full_page=True)
        page_cells = {name: page.evaluate(LINES_JS, name) for name in ("section2", "section3", "section4")}
    finally:
        page.close()
    for name in ("section2", "section3", "section4"):
        cells = page_cells[name]
        for text, lines, _ in cells:
            if text == VERTICAL_LABEL or not text:
                continue
            if len(text) <= 3:  # 自然人, 其他, 总计 and every number: one line
                assert len(lines) == 1, (text, lines)
            else:  # a label: at most two lines, never one character alone on one (结果维/持)
                assert len(lines) <= 2, (text, lines)
                assert not any(len(line) == 1 for line in lines), (text, lines)
    # the label columns of section 三 take no more of the width than the labels need (the
    # reporter's browser gave them 60%, the data columns wrapping)
    label_share = max(share for text, _, share in page_cells["section3"] if text == ROW_LABELS["new"])
    assert label_share <= 0.55, label_share
