"""Reading an office's register: an XLSX workbook (openpyxl read-only: memory flat), or a CSV file
in UTF-8 (with or without BOM) or GBK/GB18030.

Layouts offices use are read as they are:
- title rows above the headers (a merged 「XX局2024年依申请公开台账」): every row before the header
  row is skipped; the header row is the first one naming at least three ledger columns;
- blank rows (every cell empty) are skipped wherever they are;
- a totals row (the first filled cell begins with 合计, 总计, 小计 or 共计) is skipped.
Row numbers are the spreadsheet's own (the header row counts), so a refusal points at the row the
user sees. A workbook's cases are on the sheet 「台账」 (else the first sheet); its appeals on the
sheet 「复议诉讼」, when there is one.
"""

from __future__ import annotations

import csv
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from openpyxl import load_workbook

from ledger import columns as c
from ledger.problems import LedgerError
from workflow.errors import InvalidInput, Phrase
from workflow.textfiles import iter_lines, open_binary

HEADER_SCAN = 20  # the header row is looked for among the first rows
MIN_KNOWN = 3
TOTALS = ("合计", "总计", "小计", "共计")
Values = dict[str, Any]


@dataclass
class Table:
    """The data rows of one sheet: (row number, {column: raw value}), headers resolved."""

    rows: Iterator[tuple[int, Values]]
    header_row: int
    total_rows: int | None  # an estimate for the progress bar (the sheet's last row)


def _text(value: Any) -> str:
    return "" if value is None else str(value).strip()


def _blank(values: tuple[Any, ...]) -> bool:
    return all(_text(v) == "" for v in values)


def is_totals(values: tuple[Any, ...]) -> bool:
    first = next((_text(v) for v in values if _text(v)), "")
    return "".join(first.split()).startswith(TOTALS)


def _columns(
    n: int, header: tuple[Any, ...], aliases: dict[str, str], known: tuple[str, ...], sheet: str | None
) -> dict[int, str]:
    found: dict[int, str] = {}
    for i, h in enumerate(header):
        name = c.canonical(_text(h), aliases, known) if _text(h) else None
        if name is None:
            continue  # a column the ledger does not know (备注, 联系电话…) is not read
        if name in found.values():
            raise LedgerError(n, _text(h), Phrase("the column appears twice"), sheet=sheet)
        found[i] = name
    return found


def table(
    rows: Iterator[tuple[Any, ...]],
    *,
    aliases: dict[str, str],
    known: tuple[str, ...],
    required: tuple[str, ...],
    sheet: str | None = None,
    total_rows: int | None = None,
) -> Table:
    """Find the header row, check the required columns, and stream the data rows after it."""
    numbered = enumerate(rows, 1)
    for n, values in numbered:
        names = _columns(n, values, aliases, known, sheet)
        if len(names) >= min(MIN_KNOWN, len(required)):
            break
        if n >= HEADER_SCAN:
            raise InvalidInput("no header row found in the first {n} rows", n=HEADER_SCAN)
    else:
        raise InvalidInput("the file holds no header row")
    for column in required:
        if column not in names.values():
            raise LedgerError(n, column, Phrase("a required column is missing"), sheet=sheet)

    def data() -> Iterator[tuple[int, Values]]:
        for m, row in numbered:
            if _blank(row) or is_totals(row):
                continue
            yield m, {name: row[i] for i, name in names.items() if i < len(row)}

    return Table(data(), n, total_rows)


@dataclass
class Register:
    cases: Table
    appeals: Table | None
    stream: IO[bytes] | None = None  # a CSV's open file; closed by `close`
    workbook: Any = None

    def close(self) -> None:
        if self.stream is not None:
            self.stream.close()
        if self.workbook is not None:
            self.workbook.close()


def _case_table(rows: Iterator[tuple[Any, ...]], total: int | None) -> Table:
    return table(rows, aliases=c.ALIASES, known=c.HEADERS, required=c.REQUIRED, total_rows=total)


def open_register(path: Path) -> Register:
    """The register at `path`: XLSX by its content (a ZIP), anything else read as CSV text."""
    stream = open_binary(path)
    if stream.read(4) != b"PK\x03\x04":
        stream.seek(0)
        return _csv(stream, path)
    stream.seek(0)
    try:
        wb = load_workbook(stream, read_only=True, data_only=True)
    except Exception as e:  # a damaged or password-protected workbook: openpyxl raises many kinds
        raise InvalidInput("{file}: not a readable XLSX workbook ({why})", file=path, why=e) from None
    sheet = wb[c.CASES_SHEET] if c.CASES_SHEET in wb.sheetnames else wb.worksheets[0]
    cases = _case_table(sheet.iter_rows(values_only=True), _declared_rows(stream, sheet))
    appeals = None
    if c.APPEALS_SHEET in wb.sheetnames and wb[c.APPEALS_SHEET] is not sheet:
        appeals = table(
            wb[c.APPEALS_SHEET].iter_rows(values_only=True),
            aliases=c.APPEAL_ALIASES,
            known=c.APPEAL_HEADERS,
            required=(c.APPEAL_REF, c.APPEAL_KIND, c.APPEAL_FILED),
            sheet=c.APPEALS_SHEET,
        )
    return Register(cases, appeals, stream, wb)


_DIMENSION = re.compile(rb'<dimension ref="[A-Z]+\d+:[A-Z]+(\d+)"')


def _declared_rows(stream: IO[bytes], sheet: Any) -> int | None:
    """The last row the sheet declares at its head (Excel and WPS write it), for the progress bar;
    None when it declares none. (openpyxl's `max_row` would read the whole sheet to find out.)"""
    path = getattr(sheet, "_worksheet_path", None)
    if path is None:
        return None
    with zipfile.ZipFile(stream) as z, z.open(path) as f:
        m = _DIMENSION.search(f.read(4096))
    return int(m[1]) if m else None


def _csv(stream: IO[bytes], path: Path) -> Register:
    total = sum(chunk.count(b"\n") for chunk in iter(lambda: stream.read(1 << 20), b""))
    stream.seek(0)
    rows = (tuple(r) for r in csv.reader(iter_lines(stream, str(path))))
    return Register(_case_table(rows, total), None, stream)
