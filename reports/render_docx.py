"""The Word document an office publishes, printable as it comes (DESIGN §15).

A4 portrait with the margins of GB/T 9704 (the format of government documents); the title in
方正小标宋简体 on one or two balanced lines, headings in 黑体, the body in 仿宋_GB2312, each font named
with its fallback in the font table. Tables: column widths computed so no label wraps beyond two
lines, header rows repeated on every page, no row split across a page break, section 二 kept on
one page.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.opc.oxml import serialize_part_xml
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Cm, Pt, Twips

from reports.document import Block, document
from reports.layout import Grid, cell_em, label_lines, min_widths, text_em


@dataclass(frozen=True)
class Font:
    """A font as the format's documents name it, and what to use where it is not installed."""

    name: str
    alt: str  # w:altName: what Word and WPS substitute
    family: str  # w:family: roman (serif) or swiss (sans), what LibreOffice falls back on
    pitch: str = "variable"


TITLE_FONT = Font("方正小标宋简体", "宋体", "roman")
HEADING_FONT = Font("黑体", "SimHei", "swiss", "fixed")
BODY_FONT = Font("仿宋_GB2312", "仿宋", "roman", "fixed")
LATIN_FONT = "Times New Roman"  # digits and Latin letters, as in government documents
FONTS = (TITLE_FONT, HEADING_FONT, BODY_FONT)

# GB/T 9704-2012: A4, top 37 mm, bottom 35 mm, left 28 mm, right 26 mm
PAGE_W, PAGE_H = Cm(21), Cm(29.7)
MARGINS = {"top_margin": Cm(3.7), "bottom_margin": Cm(3.5), "left_margin": Cm(2.8), "right_margin": Cm(2.6)}
TEXT_WIDTH_PT = (PAGE_W - MARGINS["left_margin"] - MARGINS["right_margin"]) / 12700
TITLE_PT, HEADING_PT, BODY_PT, LINE_PT = 22, 16, 16, 28  # 二号, 三号, 三号; 28 pt lines
# the sizes tried for a table, largest first (五号 10.5 pt down to 7.5 pt); the first that fits wins
TABLE_SIZES = (10.5, 10, 9.5, 9, 8.5, 8, 7.5)
CELL_PAD_TW = 40  # left and right cell margin, 0.7 mm
CELL_PAD_PT = 2 * CELL_PAD_TW / 20 + 2  # both margins, the borders and a little to spare
# tables kept on one page (a table taller than a page still breaks, between rows, header repeated)
KEEP_TOGETHER = frozenset({"section2", "section3", "section4"})
# sections that start a page: section 三's matrix fits one page when it starts one
NEW_PAGE = frozenset({"section3"})


def render_docx(report: dict[str, Any], *, internal: bool = False) -> bytes:
    doc = Document()
    _page_setup(doc)
    _default_fonts(doc)
    _font_table(doc)
    for b in document(report, internal=internal):
        _draw(doc, b)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def _page_setup(doc: Any) -> None:
    section = doc.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = PAGE_W, PAGE_H
    for side, value in MARGINS.items():
        setattr(section, side, value)


def _set_fonts(rpr: Any, font: Font) -> None:
    """CJK text takes its font from w:eastAsia; digits and Latin letters from w:ascii/w:hAnsi."""
    fonts = rpr.get_or_add_rFonts()
    fonts.set(qn("w:eastAsia"), font.name)
    fonts.set(qn("w:ascii"), LATIN_FONT)
    fonts.set(qn("w:hAnsi"), LATIN_FONT)
    fonts.set(qn("w:hint"), "eastAsia")  # quotes and dashes, shared by both scripts, are Chinese here
    lang = rpr.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        rpr.append(lang)
    lang.set(qn("w:eastAsia"), "zh-CN")


def _default_fonts(doc: Any) -> None:
    """The document's defaults in the body font with Chinese as the East Asian language: a renderer
    that lacks a font substitutes one for Chinese (not, as the template says, for Japanese)."""
    defaults = doc.styles.element.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr"))
    fonts = defaults.get_or_add_rFonts()
    for theme in ("w:asciiTheme", "w:eastAsiaTheme", "w:hAnsiTheme"):
        fonts.attrib.pop(qn(theme), None)
    _set_fonts(defaults, BODY_FONT)
    defaults.find(qn("w:lang")).set(qn("w:eastAsia"), "zh-CN")
    doc.styles["Normal"].font.size = Pt(BODY_PT)


def _font_table(doc: Any) -> None:
    """Name each font with its fallback: Word and WPS read w:altName, LibreOffice the family."""
    part = next(p for p in doc.part.package.parts if p.partname == "/word/fontTable.xml")
    fonts = parse_xml(part.blob)
    for f in FONTS:
        fonts.append(
            parse_xml(
                f'<w:font {nsdecls("w")} w:name="{f.name}"><w:altName w:val="{f.alt}"/>'
                f'<w:charset w:val="86"/><w:family w:val="{f.family}"/><w:pitch w:val="{f.pitch}"/></w:font>'
            )
        )
    part._blob = serialize_part_xml(fonts)


def _run(p: Any, text: str, font: Font, size: float) -> Any:
    run = p.add_run(text)
    run.font.size = Pt(size)
    _set_fonts(run._element.get_or_add_rPr(), font)
    return run


def _draw(doc: Any, b: Block) -> None:
    if b.kind == "table":
        assert b.grid is not None
        _table(doc, b.grid, keep_together=b.name in KEEP_TOGETHER)
        doc.add_paragraph().paragraph_format.space_after = Pt(0)
        return
    p = doc.add_paragraph()
    fmt = p.paragraph_format
    fmt.space_after = Pt(0)
    if b.kind == "title":
        _title(p, b)
    elif b.kind == "heading":
        fmt.first_line_indent = Pt(2 * HEADING_PT)
        fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
        fmt.line_spacing = Pt(LINE_PT)
        fmt.keep_with_next = True  # never a heading alone at the foot of a page
        fmt.page_break_before = b.name in NEW_PAGE
        _run(p, b.text, HEADING_FONT, HEADING_PT)
    elif b.kind == "note":
        fmt.keep_with_next = True  # a note introduces the table after it
        _run(p, b.text, BODY_FONT, 12)
    else:
        fmt.first_line_indent = Pt(2 * BODY_PT)
        fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
        fmt.line_spacing = Pt(LINE_PT)
        fmt.widow_control = True
        _run(p, b.text, BODY_FONT, BODY_PT)


# --- the title ----------------------------------------------------------------------------------
def balanced_lines(parts: Sequence[str], width_em: float) -> list[str] | None:
    """The title on one line if it fits, else on two lines as equal as the words allow, broken only
    between the parts (never inside a word); None if it does not fit on two lines."""
    whole = "".join(parts)
    if text_em(whole) <= width_em:
        return [whole]
    best: tuple[float, list[str]] | None = None
    for i in range(1, len(parts)):
        lines = ["".join(parts[:i]), "".join(parts[i:])]
        widths = [text_em(line) for line in lines]
        if max(widths) <= width_em and (best is None or abs(widths[0] - widths[1]) < best[0]):
            best = (abs(widths[0] - widths[1]), lines)
    return best[1] if best else None


def _title(p: Any, b: Block) -> None:
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    fmt = p.paragraph_format
    fmt.space_after = Pt(LINE_PT)
    fmt.keep_with_next = True
    parts = b.parts or (b.text,)
    size = float(TITLE_PT)
    lines = balanced_lines(parts, TEXT_WIDTH_PT / size)
    while lines is None and size > BODY_PT:  # a very long organ name: a smaller title
        size -= 1
        lines = balanced_lines(parts, TEXT_WIDTH_PT / size)
    if lines is None:  # still too long: Word wraps it
        lines = [b.text]
    fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    fmt.line_spacing = Pt(size * 1.5)
    for i, line in enumerate(lines):
        run = _run(p, line, TITLE_FONT, size)
        if i < len(lines) - 1:
            run.add_break()


# --- tables -------------------------------------------------------------------------------------
def column_widths(grid: Grid, size: float, total_pt: float) -> list[float] | None:
    """Widths (pt) of the grid's columns so that every cell's text fits its lines; None if the
    table would be wider than `total_pt`. The width to spare is shared in proportion."""
    widths = min_widths(grid, lambda c: cell_em(c) * size + CELL_PAD_PT, size + CELL_PAD_PT)
    spare = total_pt - sum(widths)
    if spare < 0:
        return None
    return [w * total_pt / sum(widths) for w in widths]


def table_layout(grid: Grid, total_pt: float = TEXT_WIDTH_PT) -> tuple[float, list[float]]:
    """The largest font size at which the table fits the page's width, and its column widths."""
    for size in TABLE_SIZES:
        widths = column_widths(grid, size, total_pt)
        if widths is not None:
            return size, widths
    size = TABLE_SIZES[-1]
    return size, [total_pt / grid.cols] * grid.cols


def _row_props(tr: Any, *tags: str) -> None:
    trpr = tr.get_or_add_trPr()
    for tag in tags:
        trpr.append(OxmlElement(tag))


def _table(doc: Any, grid: Grid, *, keep_together: bool) -> None:
    size, widths = table_layout(grid)
    table = doc.add_table(rows=grid.rows, cols=grid.cols)
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    _fixed_layout(table, widths)
    for c in grid.cells:
        cell = table.cell(c.row, c.col)
        if c.rowspan > 1 or c.colspan > 1:
            cell = cell.merge(table.cell(c.row + c.rowspan - 1, c.col + c.colspan - 1))
        cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
        p = cell.paragraphs[0]
        p.alignment = (
            WD_ALIGN_PARAGRAPH.CENTER if c.header or c.value is not None else WD_ALIGN_PARAGRAPH.LEFT
        )
        p.paragraph_format.space_after = Pt(0)
        p.paragraph_format.line_spacing = 1.0
        font = HEADING_FONT if c.header else BODY_FONT
        lines = label_lines(c)
        room = sum(widths[c.col : c.col + c.colspan]) - CELL_PAD_PT
        if len(lines) == 2 and text_em(c.text) * size > room:  # wraps: after the enumerator
            _run(p, lines[0], font, size).add_break()
            _run(p, lines[1], font, size)
        else:
            _run(p, c.text, font, size)
    _cell_widths(table, widths)
    head = grid.header_rows()
    last = len(table.rows) - 1
    for i, row in enumerate(table.rows):
        # a row never splits across pages; the header rows repeat at the top of every page
        _row_props(row._tr, "w:cantSplit", *(("w:tblHeader",) if i < head else ()))
        if keep_together and i < last:  # the whole table on one page
            for cell in row.cells:
                for p in cell.paragraphs:
                    p.paragraph_format.keep_with_next = True


def _insert(parent: Any, child: Any, before: Sequence[str]) -> None:
    """Insert `child` before the first of `before` present (the schema fixes the order)."""
    for tag in before:
        found = parent.find(qn(tag))
        if found is not None:
            found.addprevious(child)
            return
    parent.append(child)


def _fixed_layout(table: Any, widths: list[float]) -> None:
    """A fixed layout with the computed grid, so Word, WPS and LibreOffice keep the same widths."""
    tblpr = table._tbl.tblPr
    tblw = tblpr.find(qn("w:tblW"))
    if tblw is None:
        tblw = OxmlElement("w:tblW")
        _insert(tblpr, tblw, ("w:jc", "w:tblCellSpacing", "w:tblInd", "w:tblBorders", "w:shd",
                              "w:tblLayout", "w:tblCellMar", "w:tblLook"))  # fmt: skip
    tblw.set(qn("w:w"), str(round(sum(widths) * 20)))
    tblw.set(qn("w:type"), "dxa")
    margins = parse_xml(
        f'<w:tblCellMar {nsdecls("w")}><w:left w:w="{CELL_PAD_TW}" w:type="dxa"/>'
        f'<w:right w:w="{CELL_PAD_TW}" w:type="dxa"/></w:tblCellMar>'
    )
    _insert(tblpr, margins, ("w:tblLook", "w:tblCaption", "w:tblDescription"))
    for col, w in zip(table._tbl.tblGrid.gridCol_lst, widths, strict=True):
        col.w = Twips(round(w * 20))


def _cell_widths(table: Any, widths: list[float]) -> None:
    """Each cell's own width (w:tcW), the sum of the grid columns it spans."""
    for tr in table._tbl.tr_lst:
        k = 0
        for tc in tr.tc_lst:
            span = tc.grid_span
            tc.get_or_add_tcPr()
            tc.width = Twips(round(sum(widths[k : k + span]) * 20))
            k += span
