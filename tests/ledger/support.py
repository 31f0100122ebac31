"""Registers for the ledger tests: workbooks and CSV files built by hand in the layouts offices use,
and a second empty database to import into."""

from __future__ import annotations

import csv
import io
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from openpyxl import Workbook, load_workbook

from ledger.export import write_ledger
from models.db import engine_for, read_session
from reports.scope import resolve
from tests.conftest import use_database
from workflow.access import operator

Sheet = list[list[Any]]


def register_xlsx(path: Path, rows: Sheet, *, title: str | None = None, appeals: Sheet | None = None) -> Path:
    """A workbook as an office keeps it: an optional merged title row above the headers."""
    wb = Workbook()
    ws = wb.active
    ws.title = "Sheet1"
    if title is not None:
        ws.append([title])
        ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=max(len(r) for r in rows))
    for r in rows:
        ws.append(r)
    if appeals is not None:
        a = wb.create_sheet("复议诉讼")
        for r in appeals:
            a.append(r)
    wb.save(path)
    return path


def register_csv(path: Path, rows: Sheet, *, encoding: str = "utf-8") -> Path:
    out = io.StringIO()
    csv.writer(out).writerows(rows)
    path.write_bytes(out.getvalue().encode(encoding))
    return path


def export_to(path: Path, organ: str, year: int, *, full: bool = False) -> Path:
    with read_session() as s, path.open("wb") as f:
        write_ledger(s, resolve(s, organ, year), f, actor=operator(), full=full)
    return path


def sheet_values(path: Path) -> dict[str, list[tuple[Any, ...]]]:
    wb = load_workbook(path, read_only=True)
    try:
        return {ws.title: [tuple(r) for r in ws.iter_rows(values_only=True)] for ws in wb.worksheets}
    finally:
        wb.close()


@contextmanager
def another_sqlite(template: Path, tmp: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """A second empty (migrated, seeded) SQLite database, in use inside the block."""
    path = tmp / "second.db"
    shutil.copy(template, path)
    url = f"sqlite:///{path}"
    use_database(monkeypatch, url)
    try:
        yield url
    finally:
        engine_for(url).dispose()
