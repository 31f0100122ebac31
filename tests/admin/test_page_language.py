"""Every page of the web admin reads in the reader's language (DESIGN §14): under OGI_LANG=en no
Chinese is left but what the office typed (the applicant's name, the request, the organs' names)
and the published report a page embeds for printing; under Chinese no English sentence is left."""

from __future__ import annotations

import html
import re

import pytest
from sqlmodel import select

from codes import DEFAULT_NUMBER_PATTERN
from config.settings import get_settings
from models.calendar import CalendarDay
from models.db import read_session
from tests.admin.conftest import Web, logged_in
from tests.support import D, receive, step

# what the office typed, in Chinese whatever the reader's language
APPLICANT, REQUEST, ITEMS = "张三", "请公开本镇二〇二四年道路养护合同", "合同的签订年份"
REASONS, BASIS, REOPENED = "涉及第三方商业秘密", "条例第十五条", "补录一件申请"
USER_DATA = (APPLICANT, REQUEST, ITEMS, REASONS, BASIS, REOPENED, "东区人民政府", "西区人民政府")
# Chinese characters and the full-width signs that go with them (（）：、，。；)
CJK = re.compile(r"[\u3001-\u303f\u4e00-\u9fff\uff00-\uffef]")
# two English words in a row (a sentence, a label); codes and refs are single tokens
ENGLISH_WORDS = re.compile(r"(?<![\w-])[A-Za-z]{2,} +[A-Za-z]{2,}(?![\w-])")
# words a Chinese page may show in Latin letters: file formats and product names, the date format
LATIN_OK = re.compile(r"Word|Excel|DOCX|XLSX|YAML|CSRF|YYYY-MM-DD")
READ_ATTRIBUTES = re.compile(r'\b(?:title|placeholder|aria-label|label)="([^"]*)"')


def read_text(page: str, *, attributes: bool = True) -> str:
    """What a person reads: the text and the attributes shown on hover or to a screen reader, without
    scripts, styles and the published report (an <article>, Chinese always: it is printed as is)."""
    page = re.sub(r"<(script|style|article)\b.*?</\1>", " ", page, flags=re.S)
    # each element and attribute on a line of its own: two words are a sentence only within one
    shown = "\n".join(READ_ATTRIBUTES.findall(page)) if attributes else ""
    text = re.sub(r"\s*\n\s*", "\n", re.sub(r"<[^>]+>", "\n", page))
    return html.unescape(f"{text}\n{shown}")


def without_user_data(text: str) -> str:
    with read_session() as s:  # the holidays' names are the State Council notice's, as imported
        holidays = set(s.exec(select(CalendarDay.name)).all())
    for data in (*USER_DATA, *holidays):
        text = text.replace(data, " ")
    return text.replace(APPLICANT[0], " ")  # a list masks the name to its first character


@pytest.fixture
def year_with_cases(office: str) -> None:
    """A 2025 with an answered case, a case with a correction and a document, and an appeal."""
    receive(D(2025, 3, 2), ref="P1", applicant=APPLICANT, request=REQUEST)
    step("P1", "answer", on=D(2025, 3, 20), outcome="partially_disclosed", reasons=REASONS, basis=BASIS)
    receive(D(2025, 5, 6), ref="C1", applicant=APPLICANT, request=REQUEST)
    step("C1", "request_correction", on=D(2025, 5, 8), items=[ITEMS], until=D(2025, 5, 20))


def pages(w: Web) -> dict[str, str]:
    """The main pages an office opens, by name, as the server renders them (2024 closed and reopened
    first: the report page then lists its seals)."""
    assert w.post("/reports/close", {"organ": "east", "year": "2024"}).status_code == 303
    closed = w.get("/reports?organ=east&year=2024")  # with the flash of the close
    reopen = {"organ": "east", "year": "2024", "reason": REOPENED}
    assert w.post("/reports/reopen", reopen).status_code == 303
    assert w.post("/reports/close", {"organ": "east", "year": "2024"}).status_code == 303
    got = {
        "closed report": closed,
        "sealed report with its versions": w.get("/reports?organ=east&year=2024"),
        "report refusal": w.post("/reports/reopen", {"organ": "east", "year": "2024", "reason": ""}),
        "dashboard": w.get("/?year=2025"),
        "case list": w.get("/cases"),
        "filtered case list": w.get("/cases?state=answered&overdue=1"),
        "case with a timeline": w.get("/cases/C1"),
        "answered case": w.get("/cases/P1"),
        "new-case form": w.get("/cases-new"),
        "report": w.get("/reports?organ=east&year=2025"),
        "report cell": w.get("/reports/cell?organ=east&year=2025&row=partially_disclosed&column=total"),
        "report appeals": w.get("/reports/appeals?organ=east&year=2025&row=reconsideration&column=total"),
        "missing page": w.get("/no/such/page", headers={"accept": "text/html"}),
        "missing case": w.get("/cases/NO-SUCH", headers={"accept": "text/html"}),
        "another organ's report": w.get("/reports?organ=west&year=2025"),
        "reference data, not an administrator": w.get("/admin/", follow_redirects=True),
    }
    for name, response in got.items():
        assert response.status_code in (200, 403, 404, 422), (name, response.status_code)
    assert got["missing page"].status_code == 404
    assert got["reference data, not an administrator"].status_code == 403
    return {name: response.text for name, response in got.items()}


def reference_pages() -> dict[str, str]:
    """The reference-data admin's pages, as the administrator opens them."""
    w = logged_in("root")
    got = {path: w.get(path) for path in ("/admin/organ/list", "/admin/user/list", "/admin/organ/create",
                                           "/admin/user/create", "/admin/calendar-year/list",
                                           "/admin/calendar-day/list")}  # fmt: skip
    for path, response in got.items():
        assert response.status_code == 200, (path, response.status_code)
    return {path: response.text for path, response in got.items()}


def english(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OGI_LANG", "en")
    get_settings.cache_clear()


@pytest.mark.usefixtures("year_with_cases")
def test_in_english_no_page_shows_chinese_but_what_the_office_typed(monkeypatch: pytest.MonkeyPatch) -> None:
    english(monkeypatch)
    login = Web().get("/login").text
    assert not CJK.search(read_text(login)), read_text(login)
    assert '<html lang="en">' in login
    w = logged_in("east-head")
    seen = pages(w)
    for name, page in seen.items():
        left = CJK.findall(without_user_data(read_text(page)))
        assert not left, (name, "".join(left)[:80])
    sealed = read_text(seen["sealed report with its versions"])
    assert "Version 1: sealed by east-head" in sealed and "; reopened by east-head" in sealed
    assert "The year is closed and its report sealed" in read_text(seen["closed report"])
    for name, page in reference_pages().items():
        left = CJK.findall(without_user_data(read_text(page)).replace(DEFAULT_NUMBER_PATTERN, " "))
        assert not left, (name, "".join(left)[:80])


@pytest.mark.usefixtures("year_with_cases")
def test_in_english_the_report_page_names_its_rows_and_columns_in_english(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    english(monkeypatch)
    page = read_text(logged_in("east-head").get("/reports?organ=east&year=2025").text)
    assert "(2) Partially disclosed" in page and "Natural person" in page
    assert "Administrative litigation" in page and "Checks" in page


@pytest.mark.usefixtures("year_with_cases")
def test_in_chinese_no_page_shows_an_english_sentence() -> None:
    assert '<html lang="zh-CN">' in Web().get("/login").text
    login = read_text(Web().get("/login").text)
    assert not ENGLISH_WORDS.search(LATIN_OK.sub(" ", login)), login
    w = logged_in("east-head")
    for name, page in pages(w).items():
        left = ENGLISH_WORDS.findall(LATIN_OK.sub(" ", read_text(page)))
        assert not left, (name, left[:5])
    # starlette-admin's own layout keeps a few English screen-reader labels (Toggle navigation): its
    # text is checked, its vendored attributes are not
    for name, page in reference_pages().items():
        left = ENGLISH_WORDS.findall(LATIN_OK.sub(" ", read_text(page, attributes=False)))
        assert not left, (name, left[:5])


@pytest.mark.usefixtures("year_with_cases")
def test_in_chinese_the_report_page_keeps_the_official_labels() -> None:
    page = read_text(logged_in("east-head").get("/reports?organ=east&year=2025").text)
    assert "（二）部分公开（区分处理的，只计这一情形，不计其他情形）" in page
    assert "三、收到和处理政府信息公开申请情况" in page and "未经复议直接起诉" in page
