"""The results as a rich table and as JSON, with the machine they were measured on."""

from __future__ import annotations

import datetime as dt
import json
import os
import platform
import subprocess
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.table import Table
from sqlalchemy import create_engine, text

from benchmarks.core import Result


def _fmt(x: float | None) -> str:
    if x is None:
        return "—"
    if x >= 100:
        return f"{x:,.0f}"
    if x >= 10:
        return f"{x:,.1f}"
    return f"{x:,.2f}"


def table(results: list[Result], *, title: str) -> Table:
    t = Table(title=title)
    t.add_column("benchmark")
    t.add_column("figure")
    t.add_column("value", justify="right")
    t.add_column("baseline")
    t.add_column("value", justify="right")
    t.add_column("ratio", justify="right")
    t.add_column("target")
    t.add_column("result")
    for r in results:
        mark = "[green]pass[/]" if r.passed else "[red]FAIL[/]"
        t.add_row(
            r.benchmark,
            r.name,
            f"{_fmt(r.figure)} {r.unit}",
            r.baseline_name or "—",
            f"{_fmt(r.baseline)} {r.baseline_unit or ''}".strip(),
            _fmt(r.ratio),
            r.target.describe(r.unit) if r.target else "—",
            mark if r.target else "[cyan]reported[/]",
        )
    return t


def print_results(results: list[Result], *, title: str, console: Console | None = None) -> None:
    console = console or Console()
    console.print(table(results, title=title))
    for r in results:
        console.print(f"[bold]{r.benchmark}[/] · {r.name}: {r.size}; ratio = {r.ratio_means}")
        if r.notes:
            console.print(f"    [dim]{r.notes}[/]")


def machine(pg_url: str | None) -> dict[str, Any]:
    """Cores, memory and the versions the figures depend on."""
    info: dict[str, Any] = {
        "date": dt.datetime.now(dt.UTC).astimezone().isoformat(timespec="seconds"),
        "cores": os.cpu_count(),
        "memory_gb": round(os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30, 1),
        "cpu": _cpu_model(),
        "python": platform.python_version(),
        "platform": platform.platform(),
    }
    if pg_url:
        try:
            eng = create_engine(pg_url)
            with eng.connect() as c:
                info["postgresql"] = c.execute(text("show server_version")).scalar_one()
            eng.dispose()
        except Exception as e:  # the run says what it could not reach; no figure depends on this
            info["postgresql"] = f"unavailable: {str(e).splitlines()[0]}"
    info["redis"] = _redis_version()
    return info


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor()


def _redis_version() -> str:
    try:
        out = subprocess.run(["redis-server", "--version"], capture_output=True, text=True, check=True).stdout
    except (OSError, subprocess.CalledProcessError):
        return "unknown"
    return next((w.split("=", 1)[1] for w in out.split() if w.startswith("v=")), out.strip())


def write_json(
    path: Path, results: list[Result], *, mode: str, info: dict[str, Any], errors: list[str]
) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    doc = {
        "mode": mode,
        "machine": info,
        "passed": all(r.passed for r in results) and not errors,
        "errors": errors,
        "results": [r.to_json() for r in results],
    }
    path.write_text(json.dumps(doc, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
