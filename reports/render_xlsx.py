"""The same tables in a workbook: one sheet per table, merged like the document, numbers as numbers,
every text written as text (never a formula), each sheet set up to print on A4 (DESIGN §15)."""

from __future__ import annotations

import io
import math
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.properties import PageSetupProperties
from openpyxl.worksheet.worksheet import Worksheet

from reports.document import Block, document, title
from reports.layout import SECTION_HEADINGS, Cell, Grid, cell_em, max_lines, min_widths, text_em
from reports.xlsx_text import put_text

# sheet name and the heading above the table, by table
SHEETS: dict[str, str] = {
    "section2": "二、主动公开",
    "section3": "三、依申请公开",
    "section4": "四、复议诉讼",
    "seal": "封存信息",
    "checks": "数据校验",
    "annex": "办理时效",
    "oldest": "未办结最早十件",
}
# the table starts on this row (1-based): the title is row 1, the heading row 2
FIRST_ROW = 4
_THIN = Side(style="thin")
_BOX = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
# column widths are in characters of the default font: a Chinese character takes two
CHARS_PER_EM = 2
CELL_PAD_CHARS = 2
MAX_WIDTH = 60  # a free text (a check's detail) wraps rather than making a column a page wide
LINE_HEIGHT = 15  # points per line of the default 11 pt font


def render_xlsx(report: dict[str, Any], *, internal: bool = False) -> bytes:
    wb = Workbook()
    wb.remove(wb.active)
    caption = ""  # the heading or note above a table names its sheet's table
    for b in document(report, internal=internal):
        if b.kind in ("heading", "note"):
            caption = b.text
        if b.kind != "table":
            continue
        ws = wb.create_sheet(SHEETS[b.name])
        put_text(ws, 1, 1, title(report)).font = Font(bold=True, size=14)
        put_text(ws, 2, 1, SECTION_HEADINGS.get(b.name, caption)).font = Font(bold=True)
        _table(ws, b)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _table(ws: Any, b: Block) -> None:
    assert b.grid is not None
    grid, top = b.grid, FIRST_ROW
    for r in range(grid.rows):
        for c in range(grid.cols):
            ws.cell(top + r, 1 + c).border = _BOX
    for cell in grid.cells:
        if cell.value is not None:
            target = ws.cell(top + cell.row, 1 + cell.col, cell.value)
        else:
            target = put_text(ws, top + cell.row, 1 + cell.col, cell.text)
        target.alignment = Alignment(
            horizontal="center" if cell.header or cell.value is not None else "left",
            vertical="center",
            wrap_text=True,
        )
        if cell.header:
            target.font = Font(bold=True)
        if cell.rowspan > 1 or cell.colspan > 1:
            ws.merge_cells(
                start_row=top + cell.row,
                start_column=1 + cell.col,
                end_row=top + cell.row + cell.rowspan - 1,
                end_column=1 + cell.col + cell.colspan - 1,
            )
    widths = column_widths(grid)
    for c, width in enumerate(widths):
        ws.column_dimensions[get_column_letter(1 + c)].width = width
    for r, height in row_heights(grid, widths).items():
        ws.row_dimensions[top + r].height = height
    _print_setup(ws, grid)


def _need_chars(c: Cell) -> float:
    return min(MAX_WIDTH, cell_em(c) * CHARS_PER_EM + CELL_PAD_CHARS)


def column_widths(grid: Grid) -> list[float]:
    """Widths (characters) so that every label fits on at most two lines (CJK counts two)."""
    return [round(w, 1) for w in min_widths(grid, _need_chars, 4)]


def row_heights(grid: Grid, widths: list[float]) -> dict[int, float]:
    """Heights of the rows whose one-row cells wrap: spreadsheet programs do not grow a row for a
    merged cell's wrapped text, so the height is set."""
    lines: dict[int, int] = {}
    for c in grid.cells:
        if c.rowspan > 1 or not c.text:
            continue
        room = sum(widths[c.col : c.col + c.colspan]) - CELL_PAD_CHARS
        need = math.ceil(text_em(c.text) * CHARS_PER_EM / max(room, 1))
        if max_lines(c) > 1 or need > 1:
            lines[c.row] = max(lines.get(c.row, 1), need)
    return {r: n * LINE_HEIGHT for r, n in lines.items() if n > 1}


def label_columns(grid: Grid) -> int:
    """How many columns at the left hold labels only (they stay in view when scrolling right)."""
    numeric = {c.col for c in grid.cells if c.value is not None}
    first = min(numeric, default=0)
    return first if first < grid.cols else 0


def _print_setup(ws: Any, grid: Grid) -> None:
    """A4, as wide as the page (as many pages down as needed), the header rows on every page, and
    the header rows and label columns frozen on screen."""
    a4(ws, landscape=grid.cols > 10)
    head = grid.header_rows()
    if head:
        ws.print_title_rows = f"{FIRST_ROW}:{FIRST_ROW + head - 1}"
    ws.freeze_panes = ws.cell(FIRST_ROW + head, 1 + label_columns(grid))
    ws.print_area = f"A1:{get_column_letter(grid.cols)}{FIRST_ROW + grid.rows - 1}"


def a4(ws: Any, *, landscape: bool) -> None:
    """Print on A4 as wide as the page (as many pages down as needed), centred. Works on a
    write-only worksheet too (the page setup is written after the rows)."""
    ws.page_setup.paperSize = Worksheet.PAPERSIZE_A4
    ws.page_setup.orientation = "landscape" if landscape else "portrait"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    ws.print_options.horizontalCentered = True
