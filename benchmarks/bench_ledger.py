"""ledger: an office's register of N cases (one organ-year) read by `ogi ledger import`, as a user runs it.

The register is the product's own export (`ogi ledger export`) of N generated histories
(`demo.samples`, every step and outcome), so every row replays through the rules.

- import into PostgreSQL: the wall time of `ogi ledger import FILE --json` in a subprocess (start-up,
  reading the XLSX, parsing every cell, replaying each row through the rules, writing, commit).
  Baseline, same file, same run: openpyxl reading it in read-only mode alone (every cell of both
  sheets, values only) — the floor any XLSX import pays. Target: at most 3x that read (best of
  two each, read and import alternating).
- memory: the import's peak resident set (benchmarks/peak.py) at N rows against at N/10 rows:
  the rows are streamed (openpyxl read-only, batches of 2,000), so the peak stays flat. Reported.
- export: `ledger.export.write_ledger` of the same N cases (write-only workbook). Reported.
"""

from __future__ import annotations

import io
import json
import random
import tempfile
import time
from pathlib import Path

from openpyxl import load_workbook

from benchmarks.commands import IMPORTER, Run, directory_db, ogi_run
from benchmarks.core import Result, Sizes, Target, count
from benchmarks.databases import Postgres, sqlite_database
from benchmarks.generate import ORGANS, TODAY, caseworkers
from demo.samples import sample_year
from ledger.export import write_ledger
from models.db import read_session, session_scope
from reports.scope import resolve
from workflow.access import operator
from workflow.calendar import default_calendar
from workflow.importer import Importer, chunks

ORGAN = ORGANS[1][0]
YEAR = TODAY.year - 1


def make_register(path: Path, n: int) -> float:
    """Import n generated cases of one organ-year into a scratch SQLite database and export their
    ledger to `path`; returns the export's seconds."""
    with directory_db(sqlite_database):
        rng = random.Random(17)
        lines = sample_year(
            default_calendar(), rng, organ=ORGAN, year=YEAR, n=n, today=TODAY, assignees=caseworkers(ORGAN)
        )
        with session_scope() as s:
            importer = Importer(s, actor=IMPORTER, today=TODAY)
            for chunk in chunks((json.dumps(x, ensure_ascii=False) for x in lines), 2000):
                importer.run(chunk)
        start = time.perf_counter()
        with read_session() as s, path.open("wb") as f:
            write_ledger(s, resolve(s, ORGAN, YEAR), f, actor=operator(), today=TODAY)
        return time.perf_counter() - start


def read_only(path: Path) -> float:
    """Seconds for openpyxl to read every cell of the workbook in read-only mode."""
    start = time.perf_counter()
    wb = load_workbook(io.BytesIO(path.read_bytes()), read_only=True, data_only=True)
    cells = sum(len(row) for ws in wb.worksheets for row in ws.iter_rows(values_only=True))
    wb.close()
    assert cells > 0
    return time.perf_counter() - start


def ledger_import(url: str, path: Path) -> Run:
    """`ogi ledger import FILE --json` in a child process; its wall time and peak RSS."""
    return ogi_run(url, "ledger", "import", str(path), "--organ", ORGAN, "--json")


def imported(pg: Postgres, path: Path, n: int) -> Run:
    with directory_db(lambda: pg.database("ledger")) as url:
        run = ledger_import(url, path)
    got = json.loads(run.output)["cases"]
    if got != n:
        raise RuntimeError(f"the ledger import reported {got} cases, expected {n}")
    return run


def run(sizes: Sizes, pg: Postgres) -> list[Result]:
    n = sizes.ledger_rows
    small = max(n // 10, 100)
    with tempfile.TemporaryDirectory(prefix="ogi_bench_ledger_") as tmp:
        path, little = Path(tmp) / "ledger.xlsx", Path(tmp) / "little.xlsx"
        export_s = make_register(path, n)
        make_register(little, small)
        mb = path.stat().st_size / 1e6
        # read and import alternate, so a burst of other work on the machine weighs on both sides
        reads, runs = [], []
        for _ in range(2):
            reads.append(read_only(path))
            runs.append(imported(pg, path, n))
        read_s, best = min(reads), min(runs, key=lambda r: r.seconds)
        little_run = imported(pg, little, small)
    size = count(n, "rows") + f" ({mb:,.1f} MB XLSX)"
    return [
        Result(
            benchmark="ledger",
            name="`ogi ledger import` into PostgreSQL",
            figure=best.seconds,
            unit="s",
            baseline_name="openpyxl read-only read of the same file",
            baseline=read_s,
            baseline_unit="s",
            ratio=best.seconds / read_s,
            ratio_means="import time / read-only read time",
            target=Target("ratio", "<=", 3),
            size=size,
            notes=f"{n / best.seconds:,.0f} rows/s; best of two, interleaved: imports "
            + " and ".join(f"{r.seconds:,.1f} s" for r in runs)
            + ", reads "
            + " and ".join(f"{r:,.1f} s" for r in reads),
        ),
        Result(
            benchmark="ledger",
            name="peak RSS of `ogi ledger import`",
            figure=best.peak_mb,
            unit="MB",
            baseline_name=f"peak RSS importing {small:,} rows",
            baseline=little_run.peak_mb,
            baseline_unit="MB",
            ratio=best.peak_mb / little_run.peak_mb,
            ratio_means=f"peak at {n:,} / peak at {small:,} rows",
            size=size,
        ),
        Result(
            benchmark="ledger",
            name="`ledger.export.write_ledger` (write-only workbook)",
            figure=n / export_s,
            unit="rows/s",
            size=size,
            notes=f"{export_s:,.1f} s",
        ),
    ]
