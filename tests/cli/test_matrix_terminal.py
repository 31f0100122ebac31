"""Section 三 on a terminal: at 80 and at 200 columns every label reads in full (in the table or its
legend) and no line is wider than the terminal. In Chinese, the official labels (the English
screen: tests/cli/test_matrix_english.py)."""

from __future__ import annotations

import os

import pytest
from rich.cells import cell_len
from rich.console import Console

from cli.matrix import matrix_rows
from cli.report_cmd import print_matrix
from codes import APPLICANT_TYPE_LABELS, COLUMNS, ROWS
from tests.cli_support import ogi
from tests.support import D, organ_with_staff, receive, step

pytestmark = pytest.mark.usefixtures("chinese")

# wide numbers: the columns must hold them too
SECTION3 = {k: [12345 * (i + 1) for i in range(len(COLUMNS))] for k in ROWS}
REPORT = {
    "organ": "east",
    "organ_name": "哈尔滨市阿城区红星镇人民政府",
    "year": 2025,
    "section3": SECTION3,
    "checks": [{"ok": True, "title": "每列：本年新收 + 上年结转 = 办理结果总计 + 结转下年度"}],
}


def rendered(width: int) -> list[str]:
    console = Console(width=width, record=True, file=open(os.devnull, "w"))  # noqa: SIM115
    print_matrix(REPORT, console)
    return console.export_text().splitlines()


def readable(lines: list[str]) -> str:
    """The text as a reader follows it: a label wrapped onto the next line continues it."""
    return "".join(line.strip() for line in lines)


@pytest.mark.parametrize("width", [80, 200])
def test_no_line_of_the_matrix_is_wider_than_the_terminal(width: int) -> None:
    lines = rendered(width)
    assert max(cell_len(line) for line in lines) <= width
    assert not any("…" in line for line in lines), "nothing is cut"


@pytest.mark.parametrize("width", [80, 200])
def test_every_row_and_column_label_reads_in_full_at_the_width(width: int) -> None:
    lines = rendered(width)
    text = readable(lines)
    for row in matrix_rows(SECTION3):
        # the whole label in the table, or its number beside its text in the legend
        assert row.label in text or any(line.startswith(f"{row.number} ") for line in lines), row.label
        assert row.text in text, row.label
    header = next(line for line in lines if APPLICANT_TYPE_LABELS["natural_person"] in line)
    assert all(APPLICANT_TYPE_LABELS[c] in header for c in COLUMNS), header
    assert "12345" in text and str(12345 * 7) in text


def test_a_wide_terminal_shows_the_official_labels_in_the_table_itself() -> None:
    lines = rendered(200)
    row = next(line for line in lines if "一、本年新收政府信息公开申请数量" in line)
    assert "12345" in row


def test_a_narrow_terminal_numbers_the_rows_and_gives_the_labels_in_a_legend() -> None:
    lines = rendered(80)
    data_row = next(line for line in lines if line.startswith("（三）1 ") and "12345" in line)
    legend_row = next(line for line in lines if line.startswith("（三）1 ") and "属于国家秘密" in line)
    assert data_row != legend_row
    assert not any("一、本年新收" in line and "12345" in line for line in lines)


def test_the_rows_are_numbered_as_the_national_format_numbers_them() -> None:
    numbers = [r.number for r in matrix_rows(SECTION3)]
    assert numbers[:6] == ["一", "二", "三", "（一）", "（二）", "（三）"]
    assert "（三）8" in numbers and "（六）3" in numbers and numbers[-2:] == ["（七）", "四"]
    assert len(set(numbers)) == len(numbers)


@pytest.mark.parametrize("columns", ["80", "200"])
def test_ogi_report_build_follows_the_columns_of_the_terminal(sqlite_db: str, columns: str) -> None:
    organ_with_staff("east")
    receive(D(2024, 3, 4), ref="E-2")
    step("E-2", "answer", on=D(2024, 3, 20), outcome="disclosed")
    env = {**os.environ, "OGI_DATABASE_URL": sqlite_db, "COLUMNS": columns}
    out = ogi(env, "report", "build", "--organ", "east", "--year", "2024").stdout.splitlines()
    assert max(cell_len(line) for line in out) <= int(columns)
    assert "予以公开" in readable(out) and "本年新收政府信息公开申请数量" in readable(out)
    assert not any("…" in line for line in out)
