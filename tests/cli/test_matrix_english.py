"""Section 三 on an English terminal (OGI_LANG=en): the rows and columns read in English, numbered
as the national format numbers them, with no Chinese left but the organ's name; the published
report stays in the format's Chinese."""

from __future__ import annotations

import os
import re

import pytest
from rich.cells import cell_len
from rich.console import Console

from cli.matrix import matrix_rows
from cli.report_cmd import print_matrix
from codes import APPLICANT_TYPE_LABELS, COLUMNS, OUTCOME_GROUPS, ROW_LABELS, ROWS
from config.i18n import _
from reports.layout import SECTION_HEADINGS, section3_grid
from reports.screen import (
    COLUMN_SHORT_ENGLISH,
    headings,
    official_ids,
    on_screen,
    report_title,
    section3_words,
)
from tests.cli_support import ogi
from tests.support import D, organ_with_staff, receive, step

SECTION3 = {k: [12345 * (i + 1) for i in range(len(COLUMNS))] for k in ROWS}
ORGAN = "哈尔滨市阿城区红星镇人民政府"
REPORT = {"organ": "east", "organ_name": ORGAN, "year": 2025, "section3": SECTION3, "checks": []}
# Chinese characters and full-width punctuation (（）：、), which an English screen must not show
CJK = re.compile(r"[\u3001-\u303f\u4e00-\u9fff\uff00-\uffef]")


def rendered(width: int) -> list[str]:
    console = Console(width=width, record=True, file=open(os.devnull, "w"))  # noqa: SIM115
    print_matrix(REPORT, console)
    return console.export_text().splitlines()


def readable(lines: list[str]) -> str:
    """The text as a reader follows it: an English label wrapped onto the next line continues it
    after a space."""
    return " ".join(" ".join(line.split()) for line in lines)


@pytest.mark.parametrize("width", [80, 200])
def test_an_english_terminal_shows_no_chinese_but_the_organs_name(width: int) -> None:
    lines = rendered(width)
    assert max(cell_len(line) for line in lines) <= width
    assert not CJK.search(readable(lines).replace(ORGAN, ""))


@pytest.mark.parametrize("width", [80, 200])
def test_every_english_row_label_reads_in_full_beside_its_number(width: int) -> None:
    lines = rendered(width)
    text = readable(lines)
    for row in matrix_rows(SECTION3):
        assert row.text in text, row.label
        assert any(line.startswith(f"{row.number} ") for line in lines), row.number
    assert "12345" in text and str(12345 * 7) in text
    assert "Natural person" in text and "Total" in text


def test_the_english_rows_are_numbered_as_the_national_format_numbers_them() -> None:
    numbers = [r.number for r in matrix_rows(SECTION3)]
    assert numbers[:6] == ["I", "II", "III", "(1)", "(2)", "(3)"]
    assert "(3)8" in numbers and "(6)3" in numbers and numbers[-2:] == ["(7)", "IV"]
    assert len(set(numbers)) == len(numbers)
    # the same numbers as the Chinese rows, one for one
    chinese = [r.number for r in matrix_rows(SECTION3, "zh")]
    digits = {"一": "I", "二": "II", "三": "III", "四": "IV"}
    for zh, en in zip(chinese, numbers, strict=True):
        assert digits.get(zh, en) == en
        if zh.startswith("（"):
            assert "（一二三四五六七".index(zh[1]) == int(en[1])


def test_the_chinese_terminal_keeps_the_official_labels(chinese: None) -> None:
    rows = list(matrix_rows(SECTION3))
    assert [r.label for r in rows if r.values is not None] == [
        ROW_LABELS[k] for k in ("new", "carried_in", *list(ROW_LABELS)[2:-2], "total", "carried_out")
    ]
    assert section3_words() == {}


def test_each_english_label_translates_back_to_the_official_chinese_label() -> None:
    """The catalog's Chinese for each English screen label is the national format's own text."""
    for official, msgid in official_ids().items():
        assert _(msgid, language="zh") == official, msgid
    for c, msgid in COLUMN_SHORT_ENGLISH.items():
        assert _(msgid, language="zh") == APPLICANT_TYPE_LABELS[c], msgid
    assert headings("zh") == SECTION_HEADINGS
    assert report_title("红星镇", 2025, "zh") == "红星镇2025年政府信息公开工作年度报告"
    assert all(not CJK.search(h) for h in headings("en").values())


def test_the_english_grid_names_every_label_cell_and_keeps_every_number() -> None:
    grid = section3_grid(SECTION3)
    english = on_screen(grid, section3_words("en"))
    assert [c.value for c in english.cells] == [c.value for c in grid.cells]
    assert not any(CJK.search(c.text) for c in english.cells)
    group_cells = {c.text for c in grid.cells} & {label for label, _m in OUTCOME_GROUPS.values()}
    assert len(group_cells) == 4 and APPLICANT_TYPE_LABELS["total"] in {c.text for c in grid.cells}


def test_ogi_report_build_in_english_shows_english_labels(sqlite_db: str) -> None:
    organ_with_staff("east")
    receive(D(2024, 3, 4), ref="E-2")
    step("E-2", "answer", on=D(2024, 3, 20), outcome="disclosed")
    env = {**os.environ, "OGI_DATABASE_URL": sqlite_db, "COLUMNS": "80", "OGI_LANG": "en"}
    out = ogi(env, "report", "build", "--organ", "east", "--year", "2024").stdout.splitlines()
    text = readable(out)
    assert "Disclosed" in text and "New applications received this year" in text
    assert "予以公开" not in text and "本年新收" not in text
    assert max(cell_len(line) for line in out) <= 80


def test_ogi_report_build_in_chinese_shows_the_official_labels(sqlite_db: str) -> None:
    organ_with_staff("east")
    receive(D(2024, 3, 4), ref="E-2")
    step("E-2", "answer", on=D(2024, 3, 20), outcome="disclosed")
    env = {**os.environ, "OGI_DATABASE_URL": sqlite_db, "COLUMNS": "200", "OGI_LANG": "zh"}
    out = ogi(env, "report", "build", "--organ", "east", "--year", "2024").stdout
    assert "（一）予以公开" in out and "一、本年新收政府信息公开申请数量" in out
    assert "Disclosed" not in out
