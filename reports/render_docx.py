"""The Word document an office publishes, printable as it comes (DESIGN §15).

A4 portrait with the margins of GB/T 9704 (the format of government documents); the title in
方正小标宋简体 on one or two balanced lines, headings in 黑体, the body in 仿宋_GB2312, each font named
with its fallback in the font table (config.fonts: the documents' fonts too); every heading in one
style (一级标题: 黑体 三号). The page number at the foot of each page as GB/T 9704 sets it: 「— 1 —」
in 4号 宋体, on the outside corner (odd pages right, even pages left, a character in from the edge).

Tables: column widths computed so no label wraps beyond two lines (a wrapped label broken into two
balanced lines), header rows repeated on every page, no row split across a page break. Pages are
not forced: a section starts where the previous one ends; a heading keeps with its table's first
rows, each block of section 二 (one item of Art. 20) and the small section 四 stay on one page, and
section 三 may continue on the next page between rows, its header rows repeated.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from typing import Any

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.opc.oxml import serialize_part_xml
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Cm, Pt, Twips

from config.fonts import BODY_FONT, FONTS, HEADING_FONT, LATIN_FONT, PAGE_NUMBER_FONT, TITLE_FONT, Font
from reports.document import Block, document
from reports.layout import (
    Grid,
    block_starts,
    cell_em,
    is_numeric,
    label_lines,
    min_widths,
    repeated_header_rows,
    text_em,
)

HEADING_STYLE = "一级标题"  # the one style of every section heading

# GB/T 9704-2012: A4, top 37 mm, bottom 35 mm, left 28 mm, right 26 mm
PAGE_W, PAGE_H = Cm(21), Cm(29.7)
MARGINS = {"top_margin": Cm(3.7), "bottom_margin": Cm(3.5), "left_margin": Cm(2.8), "right_margin": Cm(2.6)}
TEXT_WIDTH_PT = (PAGE_W - MARGINS["left_margin"] - MARGINS["right_margin"]) / 12700
TITLE_PT, HEADING_PT, BODY_PT, LINE_PT = 22, 16, 16, 28  # 二号, 三号, 三号; 28 pt lines
PAGE_NUMBER_PT = 14  # 4号
PAGE_NUMBER_DASH = "—"  # 一字线, either side of the number
# GB/T 9704: the number's line 7 mm below the text's bottom edge (the bottom margin is 35 mm)
FOOTER_DISTANCE = Cm(3.5 - 0.7) - Pt(PAGE_NUMBER_PT)
# the sizes tried for a table, largest first (五号 10.5 pt down to 7.5 pt); the first that fits wins
TABLE_SIZES = (10.5, 10, 9.5, 9, 8.5, 8, 7.5)
CELL_PAD_TW = 40  # left and right cell margin, 0.7 mm
CELL_PAD_PT = 2 * CELL_PAD_TW / 20 + 2  # both margins, the borders and a little to spare
# tables kept whole on one page (small ones); any other table may break between rows, its header
# rows repeated, and between blocks (a full-width row starts a block, kept whole: section 二's items)
KEEP_TOGETHER = frozenset({"section4"})


def render_docx(report: dict[str, Any], *, internal: bool = False) -> bytes:
    doc = Document()
    _page_setup(doc)
    _default_fonts(doc)
    _font_table(doc)
    _heading_style(doc)
    _page_numbers(doc)
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


def _heading_style(doc: Any) -> None:
    """一级标题: 黑体 三号 on a 28 pt line, indented two characters, never alone at a page's foot;
    outline level 1, so Word and WPS list the sections in their navigation pane."""
    style = doc.styles.add_style(HEADING_STYLE, WD_STYLE_TYPE.PARAGRAPH)
    style.base_style = doc.styles["Normal"]
    style.font.size = Pt(HEADING_PT)
    _set_fonts(style.element.get_or_add_rPr(), HEADING_FONT)
    fmt = style.paragraph_format
    fmt.first_line_indent = Pt(2 * HEADING_PT)
    fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    fmt.line_spacing = Pt(LINE_PT)
    fmt.space_after = Pt(0)
    fmt.keep_with_next = True
    outline = OxmlElement("w:outlineLvl")
    outline.set(qn("w:val"), "0")
    style.element.get_or_add_pPr().append(outline)


def _page_numbers(doc: Any) -> None:
    """「— 1 —」 at the foot of every page: odd pages on the right, even pages on the left, each a
    character in from the edge (GB/T 9704-2012 §7.5)."""
    doc.settings.odd_and_even_pages_header_footer = True
    section = doc.sections[0]
    section.footer_distance = FOOTER_DISTANCE
    indent = Pt(PAGE_NUMBER_PT)
    for footer, align in (
        (section.footer, WD_ALIGN_PARAGRAPH.RIGHT),
        (section.even_page_footer, WD_ALIGN_PARAGRAPH.LEFT),
    ):
        p = footer.paragraphs[0]
        p.alignment = align
        if align == WD_ALIGN_PARAGRAPH.RIGHT:
            p.paragraph_format.right_indent = indent
        else:
            p.paragraph_format.left_indent = indent
        _page_run(p, f"{PAGE_NUMBER_DASH} ")
        _page_field(p)
        _page_run(p, f" {PAGE_NUMBER_DASH}")


def _page_run(p: Any, text: str) -> Any:
    """A run of the page number's line: 宋体 for the numerals and the dashes alike."""
    run = p.add_run(text)
    run.font.size = Pt(PAGE_NUMBER_PT)
    fonts = run._element.get_or_add_rPr().get_or_add_rFonts()
    for attr in ("w:eastAsia", "w:ascii", "w:hAnsi"):
        fonts.set(qn(attr), PAGE_NUMBER_FONT.name)
    return run


def _page_field(p: Any) -> None:
    """The PAGE field (begin, instruction, separate, a placeholder 1, end): every program fills it."""
    for kind, text in (("begin", None), (None, " PAGE "), ("separate", None), (None, "1"), ("end", None)):
        run = _page_run(p, "")
        if kind is not None:
            char = OxmlElement("w:fldChar")
            char.set(qn("w:fldCharType"), kind)
            run._element.append(char)
        elif text == " PAGE ":
            instr = OxmlElement("w:instrText")
            instr.set(qn("xml:space"), "preserve")
            instr.text = text
            run._element.append(instr)
        else:
            run.text = text


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
        p.style = HEADING_STYLE  # size, font, indent and keep-with-next all come from the style
        p.add_run(b.text)
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
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER if c.header or is_numeric(c) else WD_ALIGN_PARAGRAPH.LEFT
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
    head = repeated_header_rows(grid)
    keep = kept_with_next(grid, keep_together=keep_together)
    for i, row in enumerate(table.rows):
        # a row never splits across pages; the header rows repeat at the top of every page
        _row_props(row._tr, "w:cantSplit", *(("w:tblHeader",) if i < head else ()))
        if i in keep:
            for cell in row.cells:
                for p in cell.paragraphs:
                    p.paragraph_format.keep_with_next = True


def kept_with_next(grid: Grid, *, keep_together: bool) -> set[int]:
    """The rows kept on the page of the row after them: every row but the last of a table kept
    together, or of each block; else the header rows with the first data row."""
    last = grid.rows - 1
    if keep_together:
        return set(range(last))
    starts = block_starts(grid)
    if starts:
        ends = {s - 1 for s in starts[1:]} | {last}
        return set(range(grid.rows)) - ends
    return set(range(min(grid.header_rows(), last)))


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
