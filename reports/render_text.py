"""HTML and Markdown renderings, for reading on screen."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from jinja2 import Environment, PackageLoader, select_autoescape

from reports.document import Block, blocks, title
from reports.layout import Cell, Grid, matrix_lines, number
from workflow.codes import APPLICANT_TYPE_LABELS, COLUMNS


@lru_cache(maxsize=1)
def _env() -> Environment:
    return Environment(loader=PackageLoader("reports", "templates"), autoescape=select_autoescape(["j2"]))


def _rows(grid: Grid) -> list[list[Cell]]:
    out: list[list[Cell]] = [[] for _ in range(grid.rows)]
    for c in sorted(grid.cells, key=lambda c: (c.row, c.col)):
        out[c.row].append(c)
    return out


def render_html(report: dict[str, Any], *, annex: bool = False) -> bytes:
    page = (
        _env()
        .get_template("report.html.j2")
        .render(title=title(report), blocks=blocks(report, annex=annex), rows=_rows)
    )
    return page.encode()


def render_md(report: dict[str, Any], *, annex: bool = False) -> bytes:
    lines: list[str] = []
    for b in blocks(report, annex=annex):
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
    """A row that is one cell across the table becomes a bold caption line; a run of header rows
    becomes one heading row (each column's texts from top to bottom, a merged header repeated
    over the columns it spans when there is more than one header row to stack)."""
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
        if len(row) == 1 and row[0].colspan == grid.cols:
            if heads:
                flush_heads()
            out += ["", f"**{row[0].text}**", ""]
        elif all(c.header for c in row):
            heads.append(row)
        else:
            if heads:
                flush_heads()
            texts = [""] * grid.cols
            for c in row:
                texts[c.col] = c.text
            out.append(_md_row(texts))
    return out
