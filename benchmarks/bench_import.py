"""import: generated histories through `ogi case import`, a subprocess, as a user runs it.

- rate on PostgreSQL and on SQLite: the wall time of the whole command (start-up, parsing,
  validation, replay through the live rules, writing, commit). Baseline: the very same rows
  written with no parsing, validation or replay at all, by the importer's own bulk writer
  (`Importer.write`: COPY on PostgreSQL, executemany on SQLite) in one transaction — the floor
  the database sets. Target on PostgreSQL: at least 5,000 cases/s.
- memory: the peak resident set of the import process (the kernel's rusage of that process alone,
  see benchmarks/peak.py) over a file ten times larger; streamed, it stays near the smaller
  file's peak. Target: under 500 MB.
"""

from __future__ import annotations

import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from benchmarks.commands import IMPORTER, Run, directory_db, ogi_run
from benchmarks.core import Result, Sizes, Target, count
from benchmarks.data import Datasets
from benchmarks.databases import Postgres, sqlite_database, use_database
from benchmarks.generate import TODAY, setup_directory, write_jsonl
from models.db import session_scope
from workflow.importer import Importer


def ogi_import(url: str, path: Path) -> Run:
    """`ogi case import FILE --json` in a child process; its wall time and peak RSS."""
    return ogi_run(url, "case", "import", str(path), "--json")


class _Capture(Importer):
    """The importer with its bulk write held back: the rows it would write, kept for the baseline."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.batches: list[Any] = []

    def write(self, p: Any) -> None:
        self.batches.append(p)


def captured_rows(path: Path) -> list[Any]:
    """The rows importing `path` writes, computed in the configured database without writing them."""
    with session_scope() as s, path.open(encoding="utf-8") as f:
        cap = _Capture(s, actor=IMPORTER, today=TODAY)
        cap.run(f)
        return cap.batches


def bulk_write(batches: list[Any]) -> float:
    """Seconds to write captured rows with the importer's own bulk writer, in one transaction."""
    start = time.perf_counter()
    with session_scope() as s:
        writer = Importer(s, actor=IMPORTER, today=TODAY)
        for p in batches:
            writer.write(p)
    return time.perf_counter() - start


def imported(make: Callable[[], Any], path: Path, n: int) -> Run:
    """`ogi case import` of the file into a fresh database of one kind."""
    with directory_db(make) as url:
        run = ogi_import(url, path)
    if f'"cases": {n}' not in " ".join(run.output.split()):
        raise RuntimeError(f"the import reported {run.output!r}, expected {n} cases")
    return run


def run(sizes: Sizes, pg: Postgres, data: Datasets) -> list[Result]:
    n, big = sizes.import_cases, sizes.memory_cases
    out: list[Result] = []
    with tempfile.TemporaryDirectory(prefix="ogi_bench_import_") as tmp:
        path = Path(tmp) / "cases.jsonl"
        write_jsonl(path, data.spec(n))
        size = count(n, "cases") + f" ({path.stat().st_size / 1e6:,.0f} MB JSONL)"
        # the baselines: the rows the import writes, computed once, then only written
        with directory_db(lambda: pg.database("baseline")):
            batches = captured_rows(path)
            pg_base = bulk_write(batches)
        with directory_db(sqlite_database):
            lite_base = bulk_write(batches)
        del batches
        # the targeted figure: the faster of two imports into fresh databases, so one burst of other
        # work on the machine does not decide it (both are reported)
        pg_runs = [imported(lambda: pg.database("import"), path, n) for _ in range(2)]
        pg_run = min(pg_runs, key=lambda r: r.seconds)
        out.append(_rate_row("PostgreSQL", n, pg_run, pg_base, "COPY", Target("figure", ">=", 5_000), size))
        out[-1].notes += f"; the two runs took {' and '.join(f'{r.seconds:,.1f} s' for r in pg_runs)}"
        lite_run = imported(sqlite_database, path, n)
        out.append(_rate_row("SQLite", n, lite_run, lite_base, "executemany", None, size))

        path.unlink()
        tally = write_jsonl(path, data.spec(big))
        mb = path.stat().st_size / 1e6
        url = pg.new("big")
        use_database(url)
        setup_directory()
        mem = ogi_import(url, path)
    if big == sizes.big_cases:  # the same lines the report and sweep benchmarks need: keep them
        data.adopt("big", url, tally, mem.seconds)
    else:
        pg.drop(url)
    out.append(
        Result(
            benchmark="import",
            name="peak RSS of `ogi case import` (PostgreSQL)",
            figure=mem.peak_mb,
            unit="MB",
            baseline_name=f"peak RSS importing {n:,} cases",
            baseline=pg_run.peak_mb,
            baseline_unit="MB",
            ratio=mem.peak_mb / pg_run.peak_mb,
            ratio_means=f"peak at {big:,} / peak at {n:,} cases ({big // n}x the data)",
            target=Target("figure", "<=", 500),
            size=count(big, "cases") + f" ({mb:,.0f} MB JSONL)",
            notes=f"{big / mem.seconds:,.0f} cases/s at this size ({mem.seconds:,.1f} s)",
        )
    )
    return out


def _rate_row(db: str, n: int, run: Run, base: float, how: str, target: Target | None, size: str) -> Result:
    ours, floor = n / run.seconds, n / base
    return Result(
        benchmark="import",
        name=f"`ogi case import` into {db}",
        figure=ours,
        unit="cases/s",
        baseline_name=f"the same rows, bulk write only ({how})",
        baseline=floor,
        baseline_unit="cases/s",
        ratio=ours / floor,
        ratio_means="import rate / bulk-write rate",
        target=target,
        size=size,
        notes=f"{run.seconds:,.1f} s vs {base:,.1f} s; peak RSS {run.peak_mb:,.0f} MB",
    )
