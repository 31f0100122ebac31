"""The Word document an office publishes: A4, 仿宋 body, 黑体 headings, the national format's tables."""

from __future__ import annotations

import io
from typing import Any

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Cm, Pt

from reports.document import Block, blocks
from reports.layout import Grid

BODY_FONT, HEADING_FONT, TITLE_FONT = "仿宋", "黑体", "方正小标宋简体"
# points per table: the wide tables need a smaller size to fit A4
TABLE_PT = {"section3": 9, "section4": 8, "oldest": 8}


def _font(run: Any, name: str, size: float, *, bold: bool = False) -> None:
    run.font.name = name
    run.font.size = Pt(size)
    run.font.bold = bold
    # Word takes CJK text's font from w:eastAsia, not from w:ascii
    run._element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), name)


def render_docx(report: dict[str, Any], *, annex: bool = False) -> bytes:
    doc = Document()
    section = doc.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    for side in ("left_margin", "right_margin"):
        setattr(section, side, Cm(2.2))
    section.top_margin = section.bottom_margin = Cm(2.5)
    for b in blocks(report, annex=annex):
        _draw(doc, b)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def _draw(doc: Any, b: Block) -> None:
    if b.kind == "table":
        assert b.grid is not None
        _table(doc, b.grid, TABLE_PT.get(b.name, 10))
        doc.add_paragraph()
        return
    p = doc.add_paragraph()
    fmt = p.paragraph_format
    if b.kind == "title":
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        fmt.space_after = Pt(18)
        _font(p.add_run(b.text), TITLE_FONT, 22)
    elif b.kind == "heading":
        fmt.first_line_indent = Pt(32)
        fmt.space_before = Pt(6)
        _font(p.add_run(b.text), HEADING_FONT, 16)
    elif b.kind == "note":
        _font(p.add_run(b.text), BODY_FONT, 10.5)
    else:
        fmt.first_line_indent = Pt(32)
        fmt.line_spacing = Pt(28)
        _font(p.add_run(b.text), BODY_FONT, 16)


def _table(doc: Any, grid: Grid, size: float) -> None:
    table = doc.add_table(rows=grid.rows, cols=grid.cols)
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for c in grid.cells:
        cell = table.cell(c.row, c.col)
        if c.rowspan > 1 or c.colspan > 1:
            cell = cell.merge(table.cell(c.row + c.rowspan - 1, c.col + c.colspan - 1))
        cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
        p = cell.paragraphs[0]
        p.alignment = (
            WD_ALIGN_PARAGRAPH.CENTER if c.header or c.value is not None else WD_ALIGN_PARAGRAPH.LEFT
        )
        _font(p.add_run(c.text), HEADING_FONT if c.header else BODY_FONT, size)
