"""The case list and the date fields in a real browser (Debian's Chromium through Playwright): the
search box and sortable columns, an organ dropdown that shows whole names, and dates written
YYYY-MM-DD whatever language the browser is set to."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest

from models.db import session_scope
from tests.admin.conftest import TODAY
from tests.admin.test_browser import ARTIFACTS, browser, log_in, page, server  # noqa: F401 (fixtures)
from tests.support import receive
from workflow.directory import add_organ

pytestmark = pytest.mark.browser

ISO = re.compile(r"^\d{4}-\d{2}-\d{2}$")
LONG_NAME = "某某市某某区住房和城乡建设局（某某市某某区人民防空办公室）"
# how far each option's text, with the select's padding and arrow, overflows the select (px)
OVERFLOW = """sel => {
    const style = getComputedStyle(sel);
    const ctx = document.createElement('canvas').getContext('2d');
    ctx.font = style.font;
    const pad = parseFloat(style.paddingLeft) + parseFloat(style.paddingRight);
    return [...sel.options].map(o => ctx.measureText(o.text).width + pad - sel.clientWidth);
}"""


@pytest.fixture
def english_page(browser: Any, server: str, request: pytest.FixtureRequest) -> Iterator[Any]:  # noqa: F811
    """A browser set to American English, whose own date widget would write 06/15/2026."""
    context = browser.new_context(base_url=server, locale="en-US", timezone_id="America/New_York")
    pg = context.new_page()
    pg.set_default_timeout(15_000)
    yield pg
    ARTIFACTS.mkdir(exist_ok=True)
    pg.screenshot(path=str(ARTIFACTS / f"{request.node.name}.png"), full_page=True)
    context.close()


def test_dates_are_shown_and_typed_as_yyyy_mm_dd_in_a_browser_set_to_another_locale(
    english_page: Any,
) -> None:
    log_in(english_page, "east-worker")
    english_page.goto("/cases-new")
    date = english_page.locator("#date")
    assert date.get_attribute("type") == "text"  # not the browser's locale-dependent date widget
    assert date.input_value() == TODAY.isoformat()
    english_page.fill("#applicant", "张三")
    english_page.fill("#date", "2026-06-01")
    english_page.click("#new-case button[type=submit]")
    english_page.wait_for_selector(".alert-success")
    fields = english_page.locator("input[data-date-iso]")
    assert fields.count() > 0
    for i in range(fields.count()):
        field = fields.nth(i)
        assert field.get_attribute("type") == "text" and field.get_attribute("placeholder") == "YYYY-MM-DD"
        value = field.input_value()
        assert value == "" or ISO.match(value), value
    assert "2026-06-01" in english_page.inner_text("body")


def test_the_organ_dropdown_shows_every_organs_name_in_full(page: Any) -> None:  # noqa: F811
    with session_scope() as s:
        add_organ(s, code="housing", name=LONG_NAME)
    log_in(page, "root")
    page.goto("/cases")
    select = page.locator("#f-organ")
    assert LONG_NAME in select.inner_text()
    overflow = select.evaluate(OVERFLOW)
    assert max(overflow) <= 0, overflow


def test_a_caseworker_searches_sorts_and_pages_the_list_in_the_browser(page: Any) -> None:  # noqa: F811
    from tests.support import D

    for day, ref in ((1, "E-1"), (2, "E-2"), (3, "E-3")):
        receive(D(2026, 6, day), ref=ref, request=f"第{day}号文件的公开申请")
    log_in(page, "east-worker")
    page.fill("#f-q", "第2号文件")
    page.click("#filters button[type=submit]")
    page.wait_for_url(re.compile(r"q="))
    assert page.locator("#cases tbody tr[data-ref]").evaluate_all("rows => rows.map(r => r.dataset.ref)") == [
        "E-2"
    ]
    page.goto("/cases")
    page.click('a.sort-link[data-sort="received"]')
    page.wait_for_url(re.compile(r"sort=received"))
    order = page.locator("#cases tbody tr[data-ref]").evaluate_all("rows => rows.map(r => r.dataset.ref)")
    assert order == ["E-1", "E-2", "E-3"]
    page.click('a.sort-link[data-sort="received"]')
    page.wait_for_url(re.compile(r"dir=desc"))
    assert page.locator("#cases tbody tr[data-ref]").first.get_attribute("data-ref") == "E-3"
    assert page.locator('th[aria-sort="descending"]').count() == 1
    assert page.locator("#page-of").inner_text().strip() != ""
