"""The report page printed from Debian's Chromium: the print button prints the published report (the
national format's title, six sections and tables), not the page's navigation, checks and forms."""

from __future__ import annotations

import io
import unicodedata
from typing import Any

import pdfplumber
import pytest

from tests.admin.test_browser import ARTIFACTS, browser, log_in, page, server  # noqa: F401 (fixtures)
from tests.support import D, receive, step

pytestmark = pytest.mark.browser


def test_the_print_button_prints_the_published_report_not_the_page(page: Any) -> None:  # noqa: F811
    receive(D(2026, 3, 2), organ="east", ref="E-P1")
    step("E-P1", "answer", on=D(2026, 3, 20), outcome="disclosed")
    log_in(page, "east-worker")
    page.goto("/reports?organ=east&year=2026")
    assert not page.locator("#published").is_visible()  # on screen: the working page
    # the button asks the browser to print (the dialog itself cannot be driven headless)
    page.evaluate("() => { window.printed = 0; window.print = () => { window.printed += 1; }; }")
    page.click("#print-published")
    assert page.evaluate("window.printed") == 1

    page.emulate_media(media="print")
    assert page.locator("#published").is_visible()
    for chrome in ("header.navbar", "#checks", "#downloads", "#inputs", "#section3"):
        assert not page.locator(chrome).first.is_visible(), chrome
    pdf = page.pdf(format="A4", prefer_css_page_size=True)
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / "report-print.pdf").write_bytes(pdf)
    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        text = "".join((p.extract_text() or "") for p in doc.pages).replace(" ", "").replace("\n", "")
        text = unicodedata.normalize("NFKC", text)  # the font maps some characters to their radicals
        size = (round(doc.pages[0].width), round(doc.pages[0].height))
    assert size == (595, 842)  # A4 portrait, in points
    assert "2026年政府信息公开工作年度报告" in text and "六、其他需要报告的事项" in text
    assert "予以公开" in text and "四、结转下年度继续办理" in text
    for chrome in ("退出", "核对结果", "下载", "工作概况", "点击数字", "内部记录", "关闭"):
        assert chrome not in text, chrome
