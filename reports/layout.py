"""The three tables of the 2021 national format (国办公开办函〔2021〕30号) as grids of cells.

One layout, used by every renderer: DOCX, XLSX and HTML draw the merges; Markdown and the
terminal use the flat rows of `matrix_lines`. Row, column and outcome labels come from
codes; only the format's own header texts are spelled here.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from codes import (
    APPEAL_COLUMN_LABELS,
    APPEAL_COLUMNS,
    APPEAL_KIND_LABELS,
    APPLICANT_TYPE_LABELS,
    COLUMNS,
    OUTCOME_GROUPS,
    OUTCOMES,
    RESULTS_HEADING,
    ROW_LABELS,
)

# the title's fixed words; a title line may break between them (or after the year), never inside one
TITLE_WORDS = ("政府信息公开", "工作", "年度报告")
TITLE = "{organ}{year}年" + "".join(TITLE_WORDS)
SECTION_HEADINGS: dict[str, str] = {
    "overview": "一、总体情况",
    "section2": "二、主动公开政府信息情况",
    "section3": "三、收到和处理政府信息公开申请情况",
    "section4": "四、政府信息公开行政复议、行政诉讼情况",
    "problems": "五、存在的主要问题及改进情况",
    "other": "六、其他需要报告的事项",
}
SECTION_ORDER = ("overview", "section2", "section3", "section4", "problems", "other")
NOT_WRITTEN = "（本部分尚未填写。）"

OPENING = (
    "本年度报告根据《中华人民共和国政府信息公开条例》（以下简称《条例》）和《国务院办公厅政府信息与"
    "政务公开办公室关于印发〈中华人民共和国政府信息公开工作年度报告格式〉的通知》（国办公开办函〔2021〕"
    "30号，以下简称《通知》）的要求编制而成。本报告由总体情况、主动公开政府信息情况、收到和处理政府信息"
    "公开申请情况、政府信息公开行政复议和行政诉讼情况、存在的主要问题及改进情况、其他需要报告的事项等六"
    "部分组成。本报告中所列数据的统计期限自{year}年1月1日起至{year}年12月31日止。"
)

# section 三's own header texts
S3_NOTE = "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"
S3_APPLICANTS = "申请人情况"
S3_ORGANIZATIONS = "法人或其他组织"

# section 二 (Art. 20 items (一), (五), (六), (八))
S2_CONTENT = "信息内容"
S2_DOCUMENT_COLUMNS = ("本年制发件数", "本年废止件数", "现行有效件数")
S2_DECISIONS = "本年处理决定数量"
S2_FEES = "本年收费金额（单位：万元）"
S2_BLOCKS: tuple[tuple[str, str, tuple[tuple[str, str], ...]], ...] = (
    ("第二十条第（一）项", "documents", (("rules", "规章"), ("normative_documents", "行政规范性文件"))),
    ("第二十条第（五）项", "decisions", (("licensing", "行政许可"),)),
    ("第二十条第（六）项", "decisions", (("penalties", "行政处罚"), ("enforcement", "行政强制"))),
    ("第二十条第（八）项", "fees", (("fees", "行政事业性收费"),)),
)


@dataclass(frozen=True)
class Cell:
    row: int
    col: int
    text: str
    rowspan: int = 1
    colspan: int = 1
    header: bool = True
    value: int | float | None = None  # the number a data cell shows (None for labels)


@dataclass
class Grid:
    """A table: the anchor cell of every (possibly merged) region, in reading order."""

    rows: int
    cols: int
    cells: list[Cell] = field(default_factory=list)

    def add(self, row: int, col: int, text: str, rowspan: int = 1, colspan: int = 1, **kw: Any) -> None:
        self.cells.append(Cell(row, col, text, rowspan, colspan, **kw))

    def merges(self) -> list[tuple[int, int, int, int]]:
        """(first row, first col, last row, last col) of every merged region."""
        return [
            (c.row, c.col, c.row + c.rowspan - 1, c.col + c.colspan - 1)
            for c in self.cells
            if c.rowspan > 1 or c.colspan > 1
        ]

    def header_rows(self) -> int:
        """How many rows at the top hold only headings (they repeat on each page of the table)."""
        data_rows = {c.row for c in self.cells if not c.header}
        return min(data_rows, default=0)

    def texts(self) -> list[list[str]]:
        """The text at every position; positions covered by a merge (not its anchor) are empty."""
        out = [[""] * self.cols for _ in range(self.rows)]
        for c in self.cells:
            out[c.row][c.col] = c.text
        return out


def text_em(text: str) -> float:
    """The width of a text in ems: a Chinese character (or full-width sign) 1, any other 0.55."""
    return sum(1 if unicodedata.east_asian_width(ch) in "WFA" else 0.55 for ch in text)


# --- how wide a column must be -----------------------------------------------------------------
MAX_LABEL_LINES = 2  # no label wraps beyond two lines
SHORT_EM = 3  # a label this short is never wrapped (自然人, not 自然/人)
# a label spanning this many rows is written down its column (三、本年度办理结果), a character a line
VERTICAL_ROWS = 10
# a group label's enumerator (（三）不予公开): a wrapped group label breaks after it
ENUMERATOR = re.compile(r"^（[一二三四五六七八九十]+）")


def max_lines(c: Cell) -> int:
    """How many lines a cell may take: a number one, a label two (down the column if it spans many rows)."""
    if c.value is not None or not c.text:
        return 1
    return c.rowspan if c.rowspan >= VERTICAL_ROWS else MAX_LABEL_LINES


def label_lines(c: Cell) -> list[str]:
    """A group label (one column, several rows) as two lines broken after its enumerator; any other
    label longer than a short word as two balanced lines (so a wrapped label never leaves one
    character alone on its second line: 年底答/复期限, not 年底答复期/限); anything else as one.
    A renderer uses these lines only when the text does not fit its column on one line."""
    m = ENUMERATOR.match(c.text)
    if m and m.end() < len(c.text) and c.colspan == 1 and c.rowspan > 1:
        return [m.group(0), c.text[m.end() :]]
    if max_lines(c) == MAX_LABEL_LINES and text_em(c.text) > SHORT_EM:
        return balanced_split(c.text)
    return [c.text]


# a line never ends with an opening bracket nor starts with a closing one or a stop (避头尾)
NO_LINE_END = "（《〈“‘(["
NO_LINE_START = "）》〉”’)]、，。；：！？%,.;:"
LATIN_WORD = re.compile(r"[0-9A-Za-z.\-%]")


def balanced_split(text: str) -> list[str]:
    """`text` on two lines as equal in width as the rules allow: never inside a run of Latin
    letters or digits (SHA-256), never after an opening bracket or before a closing one."""
    best: tuple[float, int] | None = None
    for i in range(1, len(text)):
        before, after = text[i - 1], text[i]
        if LATIN_WORD.match(before) and LATIN_WORD.match(after):
            continue
        if before in NO_LINE_END or after in NO_LINE_START:
            continue
        worst = max(text_em(text[:i]), text_em(text[i:]))
        if best is None or worst < best[0]:
            best = (worst, i)
    return [text] if best is None else [text[: best[1]], text[best[1] :]]


# a text cell that shows a number (a rate, a date, a stand-in dash) aligns as the numbers do
NUMERIC_TEXT = re.compile(r"[-—0-9.,:%]+")


def is_numeric(c: Cell) -> bool:
    """A data cell holding a number, or a text that is written as one (95.7%, 2023-12-01, —)."""
    return not c.header and (c.value is not None or bool(NUMERIC_TEXT.fullmatch(c.text)))


def cell_em(c: Cell) -> float:
    """The width (in ems) a cell's text needs on at most `max_lines(c)` lines: whole characters on
    each line (a Chinese line breaks between characters), at least two a line when it wraps."""
    em = text_em(c.text)
    if max_lines(c) == 1 or em <= SHORT_EM:  # a number, or a short word: one line
        return em
    lines = label_lines(c)
    if len(lines) == 2:
        return max(text_em(line) for line in lines)
    floor = 1 if max_lines(c) >= VERTICAL_ROWS else 2
    return max(floor, math.ceil(em / max_lines(c)))


def block_starts(grid: Grid) -> list[int]:
    """The rows that start a block: a heading spanning the full width (第二十条第（一）项). A table of
    blocks has no header rows of its own to repeat; each block has its own."""
    return sorted({c.row for c in grid.cells if c.header and c.colspan == grid.cols})


def repeated_header_rows(grid: Grid) -> int:
    """How many rows at the top repeat on each page of the table."""
    return 0 if block_starts(grid) else grid.header_rows()


def min_widths(grid: Grid, need: Callable[[Cell], float], least: float) -> list[float]:
    """The narrowest column widths giving every cell `need(cell)` (in the caller's unit) across the
    columns it spans; a merged cell's shortfall is shared by its columns."""
    widths = [least] * grid.cols
    for c in sorted(grid.cells, key=lambda c: c.colspan):
        span = range(c.col, c.col + c.colspan)
        deficit = need(c) - sum(widths[k] for k in span)
        if deficit > 0:
            for k in span:
                widths[k] += deficit / c.colspan
    return widths


def number(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return format(Decimal(str(value)).normalize(), "f")
    return str(value)


def _data(grid: Grid, row: int, col: int, value: Any, colspan: int = 1) -> None:
    grid.add(row, col, number(value), colspan=colspan, header=False, value=value)


# --- section 三 ---------------------------------------------------------------------------------
S3_LABEL_COLS = 3
S3_HEADER_ROWS = 3


def section3_grid(section3: dict[str, list[int]]) -> Grid:
    """3 header rows, then 一, 二, the 22 rows of 三 (with their group cells), 四: 28 × 10."""
    g = Grid(rows=S3_HEADER_ROWS + 2 + 22 + 1, cols=S3_LABEL_COLS + len(COLUMNS))
    g.add(0, 0, S3_NOTE, rowspan=3, colspan=3)
    g.add(0, 3, S3_APPLICANTS, colspan=7)
    g.add(1, 3, APPLICANT_TYPE_LABELS["natural_person"], rowspan=2)
    g.add(1, 4, S3_ORGANIZATIONS, colspan=5)
    g.add(1, 9, APPLICANT_TYPE_LABELS["total"], rowspan=2)
    for i, key in enumerate(COLUMNS[1:-1]):
        g.add(2, 4 + i, APPLICANT_TYPE_LABELS[key])

    def values(r: int, key: str) -> None:
        for i, v in enumerate(section3[key]):
            _data(g, r, S3_LABEL_COLS + i, v)

    r = S3_HEADER_ROWS
    for key in ("new", "carried_in"):
        g.add(r, 0, ROW_LABELS[key], colspan=3)
        values(r, key)
        r += 1
    g.add(r, 0, RESULTS_HEADING, rowspan=22)
    grouped = {o: (label, members) for label, members in OUTCOME_GROUPS.values() for o in members}
    for key in OUTCOMES:
        if key not in grouped:
            g.add(r, 1, ROW_LABELS[key], colspan=2)
        else:
            label, members = grouped[key]
            if key == members[0]:
                g.add(r, 1, label, rowspan=len(members))
            g.add(r, 2, ROW_LABELS[key])
        values(r, key)
        r += 1
    g.add(r, 1, ROW_LABELS["total"], colspan=2)
    values(r, "total")
    g.add(r + 1, 0, ROW_LABELS["carried_out"], colspan=3)
    values(r + 1, "carried_out")
    return g


def matrix_lines(section3: dict[str, list[int]]) -> Iterator[tuple[int, str, list[int] | None]]:
    """Section 三 as flat lines (indent, label, seven numbers or None for a heading)."""
    yield 0, ROW_LABELS["new"], section3["new"]
    yield 0, ROW_LABELS["carried_in"], section3["carried_in"]
    yield 0, RESULTS_HEADING, None
    group_of = {o: label for label, members in OUTCOME_GROUPS.values() for o in members}
    current = None
    for key in OUTCOMES:
        group = group_of.get(key)
        if group and group != current:
            yield 1, group, None
        current = group
        yield (2 if group else 1), ROW_LABELS[key], section3[key]
    yield 1, ROW_LABELS["total"], section3["total"]
    yield 0, ROW_LABELS["carried_out"], section3["carried_out"]


# --- section 四 ---------------------------------------------------------------------------------
def _litigation_labels() -> tuple[str, str, str]:
    """行政诉讼, and its two halves, from the codes' "行政诉讼·…" labels."""
    top, direct = APPEAL_KIND_LABELS["litigation"].split("·")
    _, after = APPEAL_KIND_LABELS["litigation_after_reconsideration"].split("·")
    return top, direct, after


def section4_grid(section4: dict[str, dict[str, int]]) -> Grid:
    """行政复议 (5 columns) | 行政诉讼: 未经复议直接起诉 (5) | 复议后起诉 (5): 4 × 15."""
    n = len(APPEAL_COLUMNS)
    g = Grid(rows=4, cols=3 * n)
    top, direct, after = _litigation_labels()
    g.add(0, 0, APPEAL_KIND_LABELS["reconsideration"], rowspan=2, colspan=n)
    g.add(0, n, top, colspan=2 * n)
    g.add(1, n, direct, colspan=n)
    g.add(1, 2 * n, after, colspan=n)
    for i, kind in enumerate(("reconsideration", "litigation", "litigation_after_reconsideration")):
        for j, key in enumerate(APPEAL_COLUMNS):
            g.add(2, i * n + j, APPEAL_COLUMN_LABELS[key])
            _data(g, 3, i * n + j, section4[kind][key])
    return g


# --- section 二 ---------------------------------------------------------------------------------
def section2_grid(section2: dict[str, Any] | None) -> Grid:
    """The four blocks of Art. 20 items (一), (五), (六), (八) in one 14 × 4 table."""
    s2 = section2 or {}
    g = Grid(rows=14, cols=4)
    r = 0
    for heading, kind, items in S2_BLOCKS:
        g.add(r, 0, heading, colspan=4)
        g.add(r + 1, 0, S2_CONTENT)
        if kind == "documents":
            for j, label in enumerate(S2_DOCUMENT_COLUMNS):
                g.add(r + 1, 1 + j, label)
        else:
            g.add(r + 1, 1, S2_DECISIONS if kind == "decisions" else S2_FEES, colspan=3)
        r += 2
        for key, label in items:
            g.add(r, 0, label)
            if kind == "documents":
                counts = s2.get(key) or {}
                for j, part in enumerate(("issued", "repealed", "in_force")):
                    _data(g, r, 1 + j, counts.get(part))
            else:
                _data(g, r, 1, s2.get(key), colspan=3)
            r += 1
    assert r == g.rows
    return g
