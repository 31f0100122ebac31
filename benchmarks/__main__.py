"""`python -m benchmarks [--quick] [--output FILE] [--only NAME,…]`: every benchmark, beside its baseline.

Prints a table (figure, baseline, ratio, target, pass/fail) and writes the same as JSON. The
full run exits 1 when a target is missed; `--quick` (small sizes, the CI smoke run) reports a
missed target without failing. Either exits 1 when a benchmark cannot run at all.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
import time
import traceback
from collections.abc import Callable
from pathlib import Path

from rich.console import Console

from benchmarks import (
    bench_admin_load,
    bench_applicants,
    bench_calendar,
    bench_documents,
    bench_import,
    bench_ledger,
    bench_machine,
    bench_relay,
    bench_report,
    bench_search,
    bench_sweep,
    bench_transitions,
)
from benchmarks.core import FULL, QUICK, Result, Sizes
from benchmarks.data import Datasets
from benchmarks.databases import ADMIN_URL, Postgres
from benchmarks.output import machine, print_results, write_json
from config.logging import setup_logging

DEFAULT_OUTPUT = Path("benchmarks/results/latest.json")
NAMES = (
    "calendar",
    "machine",
    "import",
    "transitions",
    "report",
    "applicants",
    "sweep",
    "relay",
    "ledger",
    "documents",
    "search",
    "admin-load",
)


def runners(sizes: Sizes, pg: Postgres, data: Datasets) -> dict[str, Callable[[], list[Result]]]:
    return {
        "calendar": lambda: bench_calendar.run(sizes),
        "machine": lambda: bench_machine.run(sizes),
        "import": lambda: bench_import.run(sizes, pg, data),
        "transitions": lambda: bench_transitions.run(sizes, pg),
        "report": lambda: bench_report.run(sizes, data),
        "applicants": lambda: bench_applicants.run(sizes, data),
        "sweep": lambda: bench_sweep.run(sizes, pg, data),
        "relay": lambda: bench_relay.run(sizes, data),
        "ledger": lambda: bench_ledger.run(sizes, pg),
        "documents": lambda: bench_documents.run(sizes, pg),
        "search": lambda: bench_search.run(sizes, data),
        "admin-load": lambda: bench_admin_load.run(sizes, data, seconds=sizes.load_seconds),
    }


def parse(argv: list[str] | None) -> argparse.Namespace:
    p = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__.split("\n")[0])
    p.add_argument("--quick", action="store_true", help="small sizes, under a minute (the CI smoke run)")
    p.add_argument(
        "--output", type=Path, default=DEFAULT_OUTPUT, help=f"JSON results (default {DEFAULT_OUTPUT})"
    )
    p.add_argument(
        "--keep-data",
        action="store_true",
        help="keep the generated data sets on the server and take them again next time (same sizes)",
    )
    p.add_argument("--only", default="", help=f"comma-separated subset of: {', '.join(NAMES)}")
    a = p.parse_args(argv)
    chosen = [x.strip() for x in a.only.split(",") if x.strip()] or list(NAMES)
    unknown = [x for x in chosen if x not in NAMES]
    if unknown:
        p.error(f"unknown benchmark {', '.join(unknown)} (choose from {', '.join(NAMES)})")
    # always in this order: the relay commits the sweep's reminders into the set the sweep reads; the
    # admin under load writes to the big set last
    a.only = [x for x in NAMES if x in chosen]
    return a


def main(argv: list[str] | None = None) -> int:
    args = parse(argv)
    setup_logging(logging.ERROR)
    # a log (CI) is not a terminal: give the table room instead of wrapping every cell
    console = Console() if sys.stdout.isatty() else Console(width=200)
    sizes, mode = (QUICK, "quick") if args.quick else (FULL, "full")
    pg = Postgres()
    unavailable = pg.available()
    data = Datasets(pg, sizes, keep=args.keep_data)
    results: list[Result] = []
    errors: list[str] = []
    started = time.perf_counter()
    load_before = os.getloadavg()  # other work on the machine skews every figure: say how much there was
    try:
        for name in args.only:
            if unavailable and name not in ("calendar", "machine"):
                errors.append(f"{name}: PostgreSQL at {ADMIN_URL} is unavailable ({unavailable})")
                continue
            t = time.perf_counter()
            console.print(f"[bold]{name}[/] …", end=" ")
            try:
                got = runners(sizes, pg, data)[name]()
            except Exception as e:
                console.print("[red]error[/]")
                traceback.print_exc()
                errors.append(f"{name}: {type(e).__name__}: {str(e).splitlines()[0] if str(e) else ''}")
                continue
            results += got
            console.print(f"{time.perf_counter() - t:,.1f} s")
    finally:
        data.close()
        pg.close()
    elapsed = time.perf_counter() - started
    load = os.getloadavg()[1]
    title = f"benchmarks ({mode} sizes, {elapsed:,.0f} s, load average {load:.1f} on {os.cpu_count()} cores)"
    print_results(results, title=title, console=console)
    for err in errors:
        console.print(f"[red]error[/] {err}")
    info = machine(None if unavailable else ADMIN_URL)
    info["elapsed_s"] = round(elapsed, 1)
    info["load_average"] = {"start": load_before, "end": os.getloadavg()}
    write_json(args.output, results, mode=mode, info=info, errors=errors)
    console.print(f"results written to {args.output}")
    missed = [r for r in results if not r.passed]
    if errors:
        return 1
    if missed and mode == "full":
        return 1
    if missed:
        console.print(f"[yellow]{len(missed)} target(s) missed at quick sizes (reported, not failed)[/]")
    return 0


if __name__ == "__main__":
    sys.exit(main())
