"""The same tables in a workbook: one sheet per table, merged like the document, numbers as numbers."""

from __future__ import annotations

import io
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter

from reports.document import blocks, title
from reports.layout import SECTION_HEADINGS, Grid

# sheet name and the heading above the table, by table
SHEETS: dict[str, str] = {
    "section2": "二、主动公开",
    "section3": "三、依申请公开",
    "section4": "四、复议诉讼",
    "checks": "数据校验",
    "annex": "办理时效",
    "oldest": "未办结最早十件",
}
# the table starts on this row (1-based): the title is row 1, the heading row 2
FIRST_ROW = 4
_THIN = Side(style="thin")
_BOX = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)


def render_xlsx(report: dict[str, Any], *, annex: bool = False) -> bytes:
    wb = Workbook()
    wb.remove(wb.active)
    for b in blocks(report, annex=annex):
        if b.kind != "table":
            continue
        assert b.grid is not None
        ws = wb.create_sheet(SHEETS[b.name])
        ws.cell(1, 1, title(report)).font = Font(bold=True, size=14)
        ws.cell(2, 1, SECTION_HEADINGS.get(b.name, SHEETS[b.name])).font = Font(bold=True)
        _table(ws, b.grid)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _table(ws: Any, grid: Grid) -> None:
    top = FIRST_ROW
    for r in range(grid.rows):
        for c in range(grid.cols):
            ws.cell(top + r, 1 + c).border = _BOX
    for cell in grid.cells:
        target = ws.cell(top + cell.row, 1 + cell.col, cell.value if cell.value is not None else cell.text)
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
    for c in range(grid.cols):
        ws.column_dimensions[get_column_letter(1 + c)].width = 12
