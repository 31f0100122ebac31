"""The published DOCX looked at as a district supervisor would: rendered to PDF by LibreOffice (with
Debian's Noto CJK fonts standing in for the government fonts, as reports/fonts/fonts.conf maps
them) and read back page by page with pdfplumber. A PNG of every page is kept under
artifacts/report-pdf/ for a person to look at.

Skipped without LibreOffice and poppler locally; under CI (.ci/run installs them) it must run.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pdfplumber
import pytest

from codes import COLUMNS, OUTCOMES, ROW_LABELS
from reports.render import render
from tests.conftest import require_service
from tests.reports.test_render import sample_report

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "artifacts" / "report-pdf"
FONTS_CONF = ROOT / "reports" / "fonts" / "fonts.conf"
# the budget a supervisor would accept: the whole report on five A4 pages, section 三 on one page
MAX_PAGES = 5
SECTION3_PAGES = 1
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
    env = {**os.environ, "FONTCONFIG_FILE": str(FONTS_CONF), "HOME": str(docx.parent)}
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


@pytest.fixture(scope="module")
def rendered(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Any, Any]]:
    tools = [t for t in ("soffice", "pdftoppm") if shutil.which(t) is None]
    require_service(
        "LibreOffice and poppler",
        not tools,
        f"missing {', '.join(tools)}: apt-get install libreoffice-writer-nogui fonts-noto-cjk poppler-utils",
    )
    folder = tmp_path_factory.mktemp("pdf")
    rep = busy_report()
    pdfs = []
    for name, internal in (("published", False), ("internal", True)):
        docx = folder / f"{name}.docx"
        docx.write_bytes(render(rep, "docx", internal=internal))
        pdf = _convert(docx)
        assert _pngs(pdf, name), "no page images"
        pdfs.append(pdfplumber.open(pdf))
    yield pdfs[0], pdfs[1]
    for pdf in pdfs:
        pdf.close()


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
