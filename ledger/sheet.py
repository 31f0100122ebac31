"""Writing a ledger sheet in openpyxl's write-only mode (memory flat however many rows): every text
as text (reports.xlsx_text), dates as date cells, A4 landscape with the header row repeated on every
page and frozen on screen, column widths from the header and the first rows (CJK counts two)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from copy import copy
from itertools import islice
from typing import Any

from openpyxl.cell.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter

from reports.layout import text_em
from reports.render_xlsx import CELL_PAD_CHARS, CHARS_PER_EM, MAX_WIDTH, a4
from reports.xlsx_text import as_text, text_cell

SAMPLE_ROWS = 500  # the widths are measured on the header and these first rows (then streamed)
DATE_FORMAT = "yyyy-mm-dd"
DATE_CHARS = 10
MIN_WIDTH = 6
_THIN = Side(style="thin")
_BOX = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_HEAD_FONT = Font(bold=True)
_WRAP = Alignment(vertical="center", wrap_text=True)
_HEAD_ALIGN = Alignment(horizontal="center", vertical="center", wrap_text=True)


def _chars(value: Any) -> float:
    if isinstance(value, dt.date):
        return DATE_CHARS
    return text_em(str(value)) * CHARS_PER_EM if value not in (None, "") else 0


def widths(headers: tuple[str, ...], rows: list[list[Any]]) -> list[float]:
    """Column widths in characters: the widest of the header and the sampled cells, padded, capped
    (a long 申请内容 wraps rather than making its column a page wide)."""
    out = []
    for i, h in enumerate(headers):
        need = max([_chars(h), *(_chars(r[i]) for r in rows)])
        out.append(round(min(MAX_WIDTH, max(MIN_WIDTH, need + CELL_PAD_CHARS)), 1))
    return out


class _Cells:
    """Data cells of one sheet. Each kind's style (border, wrap, date format, text marker) is set
    once on a model cell and its style array copied to every cell: setting the styles per cell
    hashed them each time, 8 of the 19 s of a 3,000-row export (profile)."""

    def __init__(self, ws: Any) -> None:
        self.ws = ws
        text = text_cell(ws, "")
        date = WriteOnlyCell(ws, dt.date(2000, 1, 1))
        date.number_format = DATE_FORMAT
        number = WriteOnlyCell(ws, 0)
        for model in (text, date, number):
            model.border, model.alignment = _BOX, _WRAP
        self.styles = {"text": text._style, "date": date._style, "number": number._style}

    def __call__(self, value: Any) -> Any:
        if isinstance(value, dt.date):
            cell = WriteOnlyCell(self.ws, value)
            cell._style = copy(self.styles["date"])
        elif isinstance(value, int):
            cell = WriteOnlyCell(self.ws, value)
            cell._style = copy(self.styles["number"])
        else:
            cell = WriteOnlyCell(self.ws)
            cell._style = copy(self.styles["text"])
            as_text(cell, "" if value is None else value)
        return cell


def write_sheet(
    wb: Any, name: str, headers: tuple[str, ...], rows: Iterable[list[Any]], *, title: str, frozen: int
) -> int:
    """Append a sheet of `headers` and `rows` to a write-only workbook; `frozen` columns at the left
    stay in view. Returns the number of rows written."""
    ws = wb.create_sheet(name)
    stream = iter(rows)
    first = list(islice(stream, SAMPLE_ROWS))
    for i, width in enumerate(widths(headers, first), 1):
        ws.column_dimensions[get_column_letter(i)].width = width
    ws.freeze_panes = f"{get_column_letter(frozen + 1)}2"
    ws.print_title_rows = "1:1"
    ws.oddHeader.center.text = title
    ws.oddFooter.center.text = "第 &P 页，共 &N 页"
    a4(ws, landscape=True)
    head = []
    for h in headers:
        cell = text_cell(ws, h)
        cell.font, cell.alignment, cell.border = _HEAD_FONT, _HEAD_ALIGN, _BOX
        head.append(cell)
    ws.append(head)
    n, cell = 0, _Cells(ws)
    for row in _chain(first, stream):
        ws.append([cell(v) for v in row])
        n += 1
    return n


def _chain(first: list[list[Any]], rest: Iterator[list[Any]]) -> Iterator[list[Any]]:
    yield from first
    yield from rest
