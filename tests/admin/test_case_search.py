"""Finding cases in the web admin: search, sortable columns, numbered pages (the list and the report's
drill-downs), the assignee filter's choices; through the real app on SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt
import re
from itertools import pairwise
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from admin import cases as admin_cases
from config.settings import get_settings
from models.db import session_scope
from tests.admin.conftest import logged_in
from tests.support import TESTER
from workflow import case_search
from workflow.applicants import ApplicantDetailsIn
from workflow.case_search import MAX_PAGE, PAGE_SIZE, SORT_KEYS, identity_filter, page_links
from workflow.data_key import generate_key
from workflow.identity import resident_check
from workflow.service import NewCase, open_case

D = dt.date
ROWS = re.compile(r'<tr class="[^"]*" data-ref="([^"]+)"')


def case(
    ref: str, applicant: str, request: str = "", *, organ: str = "east", on: D = D(2026, 6, 1), **kw: Any
) -> None:
    with session_scope() as s:
        kind = kw.pop("applicant_type", "natural_person")
        opening = NewCase(
            organ=organ, applicant_type=kind, applicant=applicant, channel="online", received_on=on, ref=ref,
            request=request or None, **kw,
        )  # fmt: skip
        open_case(s, opening, actor=TESTER)


def refs(w: Any, query: str) -> list[str]:
    page = w.get(f"/cases?{query}")
    assert page.status_code == 200, page.text[:500]
    return ROWS.findall(page.text)


@pytest.fixture
def sample(any_office: str) -> None:
    case("E-2026-001", "王小明", "申请公开幸福路片区加装电梯项目的补偿方案", on=D(2026, 6, 1))
    case("E-2026-002", "李四", "请求公开 50% 的预算_明细", on=D(2026, 6, 2), assignee="east-worker")
    case("E-2026-010", "王芳", "某小区停车场建设的批复文件", on=D(2026, 6, 3))
    case(
        "E-2026-011", "Acme Trading Co.", "规划许可", applicant_type="commercial_enterprise", on=D(2026, 6, 3)
    )
    case("W-2026-001", "王小明", "加装电梯的批复文件", organ="west", on=D(2026, 6, 4))


def test_search_finds_a_case_by_the_start_of_its_ref_by_its_applicant_and_by_its_request_text(
    sample: None,
) -> None:
    w = logged_in("east-worker")
    assert refs(w, "q=E-2026-01") == ["E-2026-011", "E-2026-010"]
    assert refs(w, "q=e-2026-00") == ["E-2026-002", "E-2026-001"]  # a ref in either case
    assert refs(w, "q=2026-001") == []  # the ref from its start only
    assert refs(w, "q=小明 ") == []  # two characters: the start of a name only
    assert refs(w, "q=王小明") == ["E-2026-001"]
    assert refs(w, "q=acme trading") == ["E-2026-011"]  # a name in any case
    assert refs(w, "q=加装电梯") == ["E-2026-001"]  # a phrase inside the request
    assert refs(w, "q=批复文件") == ["E-2026-010"]


def test_one_or_two_characters_match_the_start_of_the_applicants_name(sample: None) -> None:
    w = logged_in("east-worker")
    assert refs(w, "q=王") == ["E-2026-010", "E-2026-001"]
    assert refs(w, "q=王芳") == ["E-2026-010"]
    assert refs(w, "q=E-") == []  # a ref is searched from three characters on


def test_a_query_never_shows_another_organs_cases_and_the_administrator_sees_all(sample: None) -> None:
    assert refs(logged_in("east-worker"), "q=王小明") == ["E-2026-001"]
    assert refs(logged_in("west-worker"), "q=王小明") == ["W-2026-001"]
    assert refs(logged_in("root"), "q=王小明") == ["W-2026-001", "E-2026-001"]
    assert refs(logged_in("root"), "q=王小明&organ=west") == ["W-2026-001"]


def test_percent_and_underscore_in_a_query_match_only_themselves(sample: None) -> None:
    w = logged_in("east-worker")
    assert refs(w, "q=50%25 的") == ["E-2026-002"]
    assert refs(w, "q=%25%25%25") == []
    assert refs(w, "q=算_明") == ["E-2026-002"]
    assert refs(w, "q=___") == []


def test_search_works_together_with_the_filters(sample: None) -> None:
    w = logged_in("east-worker")
    assert refs(w, "q=E-2026-00&assignee=east-worker") == ["E-2026-002"]
    assert refs(w, "q=E-2026-01&applicant_type=commercial_enterprise") == ["E-2026-011"]
    assert refs(w, "q=E-2026&state=answered") == []
    assert refs(w, "q=E-2026&attention=1") == []
    page = w.get("/cases?q=王&state=received").text
    assert 'value="王"' in page and 'id="total">2<' in page  # the form shows the query again


def test_every_whitelisted_column_sorts_both_ways_with_the_ref_breaking_ties(sample: None) -> None:
    w = logged_in("east-worker")
    assert refs(w, "sort=received&dir=asc") == ["E-2026-001", "E-2026-002", "E-2026-010", "E-2026-011"]
    assert refs(w, "sort=received&dir=desc") == ["E-2026-011", "E-2026-010", "E-2026-002", "E-2026-001"]
    assert refs(w, "sort=ref") == ["E-2026-001", "E-2026-002", "E-2026-010", "E-2026-011"]
    for key in SORT_KEYS:
        up, down = refs(w, f"sort={key}&dir=asc"), refs(w, f"sort={key}&dir=desc")
        assert sorted(up) == sorted(down) == ["E-2026-001", "E-2026-002", "E-2026-010", "E-2026-011"]
    header = w.get("/cases?sort=ref&dir=asc&q=E-2026").text
    assert 'aria-sort="ascending"' in header
    assert (
        "sort=ref&amp;dir=desc" in header and "q=E-2026" in header
    )  # the next click flips it, keeps the query


@pytest.mark.parametrize(
    "query", ["sort=organ_id", "sort=ref;drop", "dir=sideways", "page=0", f"page={MAX_PAGE + 1}"]
)
def test_an_unknown_sort_key_direction_or_page_is_refused_with_a_page_saying_which(
    sample: None, query: str
) -> None:
    page = logged_in("east-worker").get(f"/cases?{query}")
    assert page.status_code == 422
    assert query.split("=")[0] in page.text and "Traceback" not in page.text


def test_a_search_longer_than_a_hundred_characters_is_refused(sample: None) -> None:
    page = logged_in("east-worker").get("/cases?q=" + "字" * 101)
    assert page.status_code == 422


def test_numbered_pages_show_every_case_once_in_the_chosen_order(any_office: str) -> None:
    for i in range(PAGE_SIZE + 7):
        case(f"P-{i:03d}", f"申请人{i % 3}", on=D(2026, 6, 1 + i % 5))
    w = logged_in("east-worker")
    first = w.get("/cases?sort=received&dir=desc").text
    assert 'id="total">57<' in first and 'data-page="2"' in first
    seen = refs(w, "sort=received&dir=desc") + refs(w, "sort=received&dir=desc&page=2")
    assert len(seen) == len(set(seen)) == PAGE_SIZE + 7
    expected = sorted(((1 + i % 5, f"P-{i:03d}") for i in range(PAGE_SIZE + 7)), reverse=True)
    assert seen == [ref for _, ref in expected]
    past = w.get("/cases?sort=received&dir=desc&page=3")  # past the last page: the last one
    assert past.status_code == 303 and past.headers["location"] == "/cases?sort=received&dir=desc&page=2"


def test_a_search_counts_a_few_pages_past_the_one_shown_and_the_count_grows_as_the_user_pages_on(
    any_office: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(case_search, "PAGE_SIZE", 2)  # 2 rows a page: a few cases make many pages
    monkeypatch.setattr(case_search, "SEARCH_LOOKAHEAD", 1)
    for i in range(9):
        case(f"S-{i:03d}", f"赵{i}", "加装电梯", on=D(2026, 6, 1 + i))
    w = logged_in("east-worker")
    first = w.get("/cases?q=加装电梯").text
    assert 'id="total">4+<' in first  # page 1 and one page ahead, 2 rows each: 4 counted, more exist
    assert 'id="more"' not in first  # paging on shows the rest: no "only the first 4 are listed"
    assert 'id="total">8+<' in w.get("/cases?q=加装电梯&page=3").text
    assert 'id="total">9<' in w.get("/cases?q=加装电梯&page=4").text  # counted to the end
    assert 'id="total">9<' in w.get("/cases").text  # the plain list counts up to MAX_ROWS at once
    seen = [ref for n in range(1, 6) for ref in refs(w, f"q=加装电梯&page={n}")]
    assert sorted(seen) == [f"S-{i:03d}" for i in range(9)]  # every match still reachable
    for module in (case_search, admin_cases):  # past what the numbered pages reach, the list says so
        monkeypatch.setattr(module, "MAX_ROWS", 6)
    plain = w.get("/cases").text
    assert 'id="total">6+<' in plain and 'id="more"' in plain


def test_the_assignee_filter_offers_only_the_staff_of_the_organs_in_scope(any_office: str) -> None:
    def choices(w: Any, query: str = "") -> list[str]:
        html = w.get(f"/cases?{query}").text
        select = html.split('id="f-assignee"', 1)[1].split("</select>", 1)[0]
        return re.findall(r'<option value="([^"]+)"', select)

    assert choices(logged_in("east-worker")) == ["east-head", "east-worker"]
    assert choices(logged_in("root")) == ["east-head", "east-worker", "west-head", "west-worker"]
    assert choices(logged_in("root"), "organ=west") == ["west-head", "west-worker"]


def test_the_report_drill_down_lists_are_paged_and_count_every_case(any_office: str) -> None:
    for i in range(PAGE_SIZE + 3):
        case(f"R-{i:03d}", "张三", on=D(2026, 5, 1 + i % 20))
    w = logged_in("east-worker")
    first = w.get("/reports/cell?organ=east&year=2026&row=new&column=total").text
    assert 'id="count">53<' in first and len(re.findall(r'<tr data-ref="', first)) == PAGE_SIZE
    assert "page=2" in first and "row=new" in first  # the pager keeps the cell
    second = w.get("/reports/cell?organ=east&year=2026&row=new&column=total&page=2").text
    both = re.findall(r'<tr data-ref="([^"]+)"', first) + re.findall(r'<tr data-ref="([^"]+)"', second)
    assert sorted(both) == [f"R-{i:03d}" for i in range(PAGE_SIZE + 3)]
    appeals = w.get("/reports/appeals?organ=east&year=2026&row=reconsideration&column=total&page=1")
    assert appeals.status_code == 200, appeals.text[-1500:]
    assert w.get("/reports/cell?organ=east&year=2026&row=new&column=total&page=x").status_code == 422


def test_an_identity_number_finds_its_applicants_cases_exactly_and_never_by_a_part_of_it(
    any_office: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("OGI_DATA_KEY", generate_key())  # PostgreSQL needs one; SQLite would make a file
    get_settings.cache_clear()
    number = "11010519800101" + "123"
    number += resident_check(number)
    details = ApplicantDetailsIn(id_kind="resident_id", id_number=number)
    case("E-2026-101", "张三", on=D(2026, 6, 1), applicant_details=details)
    case("E-2026-102", "张三", on=D(2026, 6, 2), applicant_details=details)
    case("E-2026-103", "张三", on=D(2026, 6, 3))  # the same name, no number: not the same applicant
    case("W-2026-101", "张三", organ="west", on=D(2026, 6, 4), applicant_details=details)
    w = logged_in("east-worker")
    assert refs(w, f"q={number}") == ["E-2026-102", "E-2026-101"]
    assert refs(w, f"q={number.lower()}") == ["E-2026-102", "E-2026-101"]  # a lower-case check x
    assert refs(w, f"q={number[:-1]}") == []  # a part of the number finds nothing
    assert refs(w, f"q={number[:10]}") == []
    rows = w.get(f"/cases?q={number}").text.split("<tbody", 1)[1].split("</tbody>", 1)[0]
    assert number not in rows  # the list never shows the number
    assert identity_filter("王小明") is None and identity_filter("E-2026-001") is None


@given(page=st.integers(1, 500), pages=st.integers(1, 500))
def test_the_pager_shows_the_first_the_last_and_the_pages_around_the_current_one(
    page: int, pages: int
) -> None:
    page = min(page, pages)
    links = page_links(page, pages)
    numbers = [n for n in links if n is not None]
    assert numbers == sorted(set(numbers)) and {1, pages, page} <= set(numbers)
    assert all(n is not None for n in (links[0], links[-1]))
    for a, b in pairwise(links):
        assert a is not None or b is not None  # never two gaps in a row
        if a is not None and b is not None:
            assert b == a + 1  # no page left out without a gap mark
