"""`ogi ledger export`: the register of an organ's year, ready to print, every text as text."""

from __future__ import annotations

import datetime as dt
import io
import os
from pathlib import Path

import pytest
from openpyxl import load_workbook

from ledger import columns as c
from tests.cli_support import ogi, one_line_error
from tests.ledger.support import export_to, sheet_values
from tests.support import D, organ_with_staff, receive, step


@pytest.fixture
def env(sqlite_db: str) -> dict[str, str]:
    return {**os.environ, "OGI_DATABASE_URL": sqlite_db}


@pytest.fixture
def office(env: dict[str, str]) -> dict[str, str]:
    organ_with_staff("east")
    organ_with_staff("child", parent="east")
    receive(D(2023, 12, 4), ref="OLD-OPEN")  # received the year before, still open: listed
    receive(D(2023, 3, 1), ref="OLD-DONE")  # concluded the year before: not listed
    step("OLD-DONE", "answer", on=D(2023, 3, 10), outcome="disclosed")
    receive(D(2024, 3, 4), ref="E-2", applicant='=HYPERLINK("http://x")')
    step("E-2", "request_correction", on=D(2024, 3, 5), days=10, items=["写明文件名称"])
    step("E-2", "receive_correction", on=D(2024, 3, 8))
    step("E-2", "request_correction", on=D(2024, 3, 11), until=D(2024, 3, 29), items=["写明年份"])
    step("E-2", "receive_correction", on=D(2024, 3, 13))
    step("E-2", "consult", on=D(2024, 3, 14), party="third_party")
    step("E-2", "receive_opinion", on=D(2024, 3, 20))
    step("E-2", "extend", on=D(2024, 3, 21), days=10, approver="east-head")
    step("E-2", "answer", on=D(2024, 4, 30), outcome="partially_disclosed", reasons="部分涉及个人隐私")
    receive(D(2024, 5, 6), organ="child", ref="C-1")
    return env


def test_the_ledger_lists_the_year_s_cases_with_every_round_of_a_repeated_step(
    office: dict[str, str], tmp_path: Path
) -> None:
    sheets = sheet_values(export_to(tmp_path / "l.xlsx", "east", 2024))
    head, *rows = sheets[c.CASES_SHEET]
    assert head == c.HEADERS
    assert [r[1] for r in rows] == ["OLD-OPEN", "E-2"]
    row = dict(zip(head, rows[1], strict=True))
    assert row[c.CORRECTION_NOTICE] == "2024-03-05；2024-03-11"
    assert row[c.CORRECTION_UNTIL] == "2024-03-19；2024-03-29"  # 10 working days, then a given date
    assert row[c.CORRECTION_RECEIVED] == "2024-03-08；2024-03-13"
    assert row[c.CONSULTATION] == "第三方/2024-03-14/2024-03-20"
    assert row[c.EXTENSION] == "10天/east-head"
    assert row[c.OUTCOME] == "（二）部分公开（区分处理的，只计这一情形，不计其他情形）"
    assert row[c.ANSWERED] == dt.datetime(2024, 4, 30) and row[c.LATE] == "否"
    assert head.index(c.IDENTITY) == head.index(c.APPLICANT_TYPE) + 1
    assert sheets[c.APPEALS_SHEET] == [c.APPEAL_HEADERS]


def test_an_applicant_name_that_looks_like_a_formula_stays_text(
    office: dict[str, str], tmp_path: Path
) -> None:
    ws = load_workbook(export_to(tmp_path / "l.xlsx", "east", 2024))[c.CASES_SHEET]
    cell = ws.cell(3, c.HEADERS.index(c.APPLICANT) + 1)
    assert cell.value == '=HYPERLINK("http://x")' and cell.data_type == "s" and cell.quotePrefix


def test_the_ledger_prints_on_a4_landscape_with_the_header_repeated_and_frozen(
    office: dict[str, str], tmp_path: Path
) -> None:
    ws = load_workbook(export_to(tmp_path / "l.xlsx", "east", 2024))[c.CASES_SHEET]
    assert ws.page_setup.orientation == "landscape" and int(ws.page_setup.paperSize) == 9
    assert ws.print_title_rows == "$1:$1" and ws.freeze_panes == "C2"
    assert ws.sheet_properties.pageSetUpPr.fitToPage and ws.page_setup.fitToWidth == 1
    # a CJK character counts two: 「延期（天/批准人）」 needs a wider column than 「序号」
    widths = {h: ws.column_dimensions[chr(ord("A") + i)].width for i, h in enumerate(c.HEADERS)}
    assert widths[c.EXTENSION] > widths[c.SEQ] and widths[c.CORRECTION_NOTICE] >= 2 * 10


def test_the_cli_writes_the_ledger_and_include_children_adds_the_subtree(
    office: dict[str, str], tmp_path: Path
) -> None:
    out = tmp_path / "all.xlsx"
    p = ogi(
        office, "ledger", "export", "--organ", "east", "--year", "2024", "--include-children", "-o", str(out)
    )
    assert "3" in p.stdout
    refs = [r[1] for r in sheet_values(out)[c.CASES_SHEET][1:]]
    assert refs == ["OLD-OPEN", "E-2", "C-1"]


def test_full_identity_numbers_are_only_for_a_user_of_the_organ(
    office: dict[str, str], tmp_path: Path
) -> None:
    out = str(tmp_path / "l.xlsx")
    ogi(
        office,
        "ledger",
        "export",
        "--organ",
        "east",
        "--year",
        "2024",
        "--full",
        "--as",
        "east-head",
        "-o",
        out,
    )
    ogi(office, "ledger", "export", "--organ", "east", "--year", "2024", "--full", "-o", out)  # the operator
    p = ogi(office, "ledger", "export", "--organ", "child", "--year", "2024", "--full", "--as", "east-head",
            "-o", out, ok=False)  # fmt: skip
    one_line_error(p, "east-head")
    p = ogi(
        office,
        "ledger",
        "export",
        "--organ",
        "east",
        "--year",
        "2024",
        "--as",
        "child-head",
        "-o",
        out,
        ok=False,
    )
    one_line_error(p, "child-head")


def test_the_report_page_offers_the_ledger_of_the_organ_s_year(office: dict[str, str]) -> None:
    from tests.admin.conftest import logged_in, person

    person("east-clerk", "east", "caseworker")
    w = logged_in("east-clerk")
    assert 'id="download-ledger"' in w.get("/reports?organ=east&year=2024").text
    r = w.get("/reports/ledger?organ=east&year=2024")
    assert r.status_code == 200 and "ledger-east-2024.xlsx" in r.headers["content-disposition"]
    ws = load_workbook(io.BytesIO(r.content))[c.CASES_SHEET]
    assert [row[1] for row in ws.iter_rows(min_row=2, values_only=True)] == ["OLD-OPEN", "E-2"]
    assert w.get("/reports/ledger?organ=east&year=2024&children=1").status_code == 403
    assert w.get("/reports/ledger?organ=child&year=2024").status_code == 404
