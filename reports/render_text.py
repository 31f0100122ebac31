"""HTML (on screen and printed) and Markdown renderings."""

from __future__ import annotations

from functools import lru_cache
from importlib.resources import files
from typing import Any

from jinja2 import Environment, PackageLoader, select_autoescape
from markupsafe import Markup

from codes import APPLICANT_TYPE_LABELS, COLUMNS
from reports.document import Block, document, title
from reports.layout import (
    Cell,
    Grid,
    cell_em,
    is_numeric,
    matrix_lines,
    min_widths,
    number,
    repeated_header_rows,
)


@lru_cache(maxsize=1)
def _env() -> Environment:
    env = Environment(loader=PackageLoader("reports", "templates"), autoescape=select_autoescape(["j2"]))
    env.globals.update(columns=column_percents, numeric=is_numeric, repeated=repeated_header_rows)
    return env


# a cell's padding and borders in ems of the table's font (report.css: .2em either side, 1px borders)
HTML_CELL_PAD_EM = 0.6


def column_percents(grid: Grid) -> list[float]:
    """Each column's share of the table's width (%), measured as the DOCX measures it: a short
    header (自然人, 总计) on one line, a label on at most two; the stylesheet fixes the layout."""
    widths = min_widths(grid, lambda c: cell_em(c) + HTML_CELL_PAD_EM, 1 + HTML_CELL_PAD_EM)
    return [round(100 * w / sum(widths), 2) for w in widths]


def _rows(grid: Grid) -> list[list[Cell]]:
    out: list[list[Cell]] = [[] for _ in range(grid.rows)]
    for c in sorted(grid.cells, key=lambda c: (c.row, c.col)):
        out[c.row].append(c)
    return out


@lru_cache(maxsize=1)
def stylesheet() -> str:
    """The report's stylesheet (screen and print), one file for the standalone HTML and the admin."""
    return files("reports").joinpath("static/report.css").read_text(encoding="utf-8")


def render_html(report: dict[str, Any], *, internal: bool = False) -> bytes:
    """A standalone page; printed, it gives A4 pages with the header rows repeated."""
    page = (
        _env()
        .get_template("report.html.j2")
        .render(title=title(report), blocks=document(report, internal=internal), rows=_rows, css=stylesheet())
    )
    return page.encode()


def report_article(report: dict[str, Any]) -> Markup:
    """The published report as an <article> (styled by report.css) for a page to embed."""
    body = _env().get_template("report_body.html.j2").render(blocks=document(report), rows=_rows)
    return Markup(body)


def render_md(report: dict[str, Any], *, internal: bool = False) -> bytes:
    lines: list[str] = []
    for b in document(report, internal=internal):
        if b.kind == "title":
            lines += [f"# {b.text}", ""]
        elif b.kind == "heading":
            lines += [f"## {b.text}", ""]
        elif b.kind in ("paragraph", "note"):
            lines += [b.text if b.kind == "paragraph" else f"*{b.text}*", ""]
        else:
            lines += [*_md_table(b, report), ""]
    return "\n".join(lines).encode()


def _md_row(cells: list[str]) -> str:
    return "| " + " | ".join(c.replace("|", "\\|").replace("\n", " ") for c in cells) + " |"


def _md_table(b: Block, report: dict[str, Any]) -> list[str]:
    """Markdown has no merged cells: section 三 becomes one labelled line per row, the others
    take their column headings from the header cells above each column."""
    if b.name == "section3":
        head = ["", *(APPLICANT_TYPE_LABELS[c] for c in COLUMNS)]
        out = [_md_row(head), _md_row(["---"] * len(head))]
        for indent, label, values in matrix_lines(report["section3"]):
            text = "\u3000" * indent + (f"**{label}**" if values is None else label)
            numbers = [number(v) for v in values] if values is not None else [""] * len(COLUMNS)
            out.append(_md_row([text, *numbers]))
        return out
    assert b.grid is not None
    return _flatten(b.grid)


def _flatten(grid: Grid) -> list[str]:
    """A row that is one cell across the table becomes a bold caption line and starts a new table;
    a run of header rows becomes one heading row (each column's texts from top to bottom, a merged
    header repeated over the columns it spans when there is more than one header row to stack).
    Each table keeps only the columns its own cells start in (no padding columns)."""
    out: list[str] = []
    part: list[list[Cell]] = []
    for row in _rows(grid):
        if len(row) == 1 and row[0].colspan == grid.cols:
            out += _flatten_part(grid, part)
            out += ["", f"**{row[0].text}**", ""]
            part = []
        else:
            part.append(row)
    return out + _flatten_part(grid, part)


def _flatten_part(grid: Grid, rows: list[list[Cell]]) -> list[str]:
    """One table of rows, its columns narrowed to those where one of its cells starts."""
    starts = sorted({c.col for row in rows for c in row})
    if not starts:
        return []
    index = {col: i for i, col in enumerate(starts)}
    narrow = Grid(rows=len(rows), cols=len(starts))
    for r, row in enumerate(rows):
        for c in row:
            end = c.col + c.colspan  # the narrowed columns this cell covers
            span = sum(1 for col in starts if c.col <= col < end)
            narrow.add(r, index[c.col], c.text, c.rowspan, span, header=c.header, value=c.value)
    return _flatten_rows(narrow)


def _flatten_rows(grid: Grid) -> list[str]:
    rows = _rows(grid)
    out: list[str] = []
    heads: list[list[Cell]] = []

    def flush_heads() -> None:
        stacked = len(heads) > 1
        texts = [[""] * grid.cols for _ in heads]
        for i, row in enumerate(heads):
            for c in row:
                for k in range(c.col, c.col + (c.colspan if stacked else 1)):
                    texts[i][k] = c.text
        joined = [" ".join(dict.fromkeys(t[k] for t in texts if t[k])) for k in range(grid.cols)]
        out.extend([_md_row(joined), _md_row(["---"] * grid.cols)])
        heads.clear()

    for row in rows:
        if all(c.header for c in row):
            heads.append(row)
        else:
            if heads:
                flush_heads()
            texts = [""] * grid.cols
            for c in row:
                texts[c.col] = c.text
            out.append(_md_row(texts))
    return out
