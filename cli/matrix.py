"""Section 三 on a terminal: the full table when it fits, else short row numbers with a legend.

The national format's rows are numbered (一、 （一） 1.), and people name a row by its number
(「（三）1」), so a narrow terminal shows the numbers in the table and the labels beneath it, each
label whole, instead of a label column cut to 「一、本 …」.

In English (``OGI_LANG=en``) the rows and columns read in English, numbered as the format numbers
them (「（三）1」 is "(3)1"); the official Chinese labels are the published report's.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from rich import box
from rich.console import Console, Group, RenderableType
from rich.measure import Measurement
from rich.table import Table

from codes import COLUMNS
from config.i18n import _, current_language
from reports.layout import matrix_lines, number
from reports.screen import ENGLISH_NUMBERING, column_heads, headings, section3_words

# the numbering that starts a row label: 一、 | （一） | 1.
_DIGITS = "[一二三四五六七八九十]+"
_NUMBERING = re.compile(rf"^(?:(?P<top>{_DIGITS})、|（(?P<group>{_DIGITS})）|(?P<item>\d+)\.)")


@dataclass(frozen=True)
class MatrixRow:
    """One line of section 三: its number (「（三）1」), the label after the number, the whole label,
    how deep it sits, and its seven numbers (None for a heading such as 「（三）不予公开」)."""

    number: str
    text: str
    label: str
    indent: int
    values: list[int] | None


def matrix_rows(section3: dict[str, list[int]], language: str | None = None) -> Iterator[MatrixRow]:
    """Section 三's lines with the number each is known by: an item (1.) under its group (（三）),
    in the reader's language."""
    lang = language or current_language()
    words, numbering = section3_words(lang), _NUMBERING if lang == "zh" else ENGLISH_NUMBERING
    group = ""
    for indent, official, values in matrix_lines(section3):
        label = words.get(official, official)
        m = numbering.match(label)
        if m is None:  # every label of the format is numbered; a new one without a number keeps its text
            yield MatrixRow(label, label, label, indent, values)
            continue
        if m["top"]:
            num, group = m["top"], ""
        elif m["group"]:
            num = group = m[0].strip()
        else:
            num = f"{group}{m['item']}"
        yield MatrixRow(num, label[m.end() :], label, indent, values)


def matrix_title(organ: str, year: int) -> str:
    """The table's title: the organ, the year and section 三's heading in the reader's language."""
    return _("{organ} {year}: {section}", organ=organ, year=year, section=headings()["section3"])


def _numbers(row: MatrixRow) -> list[str]:
    return [number(v) for v in row.values] if row.values is not None else [""] * len(COLUMNS)


def _table(
    title: str,
    caption: str,
    first: str,
    rows: list[tuple[str, MatrixRow]],
    *,
    short: bool = False,
    **kw: object,
) -> Table:
    table = Table(title=title, caption=caption, **kw)  # type: ignore[arg-type]
    table.add_column(first, no_wrap=True)
    for head, _full in column_heads(short=short):
        table.add_column(head, justify="right", overflow="fold")
    for head, row in rows:
        table.add_row(head, *_numbers(row), style=None if row.values is not None else "bold")
    return table


def full_table(section3: dict[str, list[int]], title: str, caption: str) -> Table:
    """Every row with its whole label, indented as in the format."""
    indent = "\u3000" if current_language() == "zh" else "  "  # a Chinese full-width space, or two
    rows = [(indent * r.indent + r.label, r) for r in matrix_rows(section3)]
    return _table(title, caption, "", rows)


def numbered_table(section3: dict[str, list[int]], title: str, caption: str) -> RenderableType:
    """The rows by number (headings without numbers left out), then the legend: number and label
    (and, in English, each short column head with its full name)."""
    rows = list(matrix_rows(section3))
    table = _table(
        title,
        caption,
        _("row"),
        [(r.number, r) for r in rows if r.values is not None],
        short=True,
        box=box.SIMPLE_HEAD,
        padding=(0, 0),
        show_edge=False,
    )
    legend = Table.grid(padding=(0, 1))
    legend.add_column(no_wrap=True)
    legend.add_column(overflow="fold")
    for r in rows:
        legend.add_row(r.number, r.text)
    columns = Table.grid(padding=(0, 1))
    for head, full in column_heads(short=True):
        if head != full:
            columns.add_row(head, full)
    return Group(table, legend, columns) if columns.row_count else Group(table, legend)


def section3_renderable(
    console: Console, section3: dict[str, list[int]], title: str, caption: str
) -> RenderableType:
    """The full table when its widest form fits the console, else the numbered table and legend."""
    table = full_table(section3, title, caption)
    unbounded = console.options.update_width(10_000)
    if Measurement.get(console, unbounded, table).maximum <= console.width:
        return table
    return numbered_table(section3, title, caption)
