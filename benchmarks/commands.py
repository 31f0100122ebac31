"""What the import and ledger benchmarks share: `ogi` run in a child process as a user runs it (its
wall time and peak resident set), and a fresh database holding the generated directory."""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from benchmarks.databases import use_database
from benchmarks.generate import setup_directory
from workflow.access import Actor

IMPORTER = Actor("benchmark")
PEAK = Path(__file__).with_name("peak.py")


@dataclass
class Run:
    seconds: float
    peak_mb: float
    output: str


def ogi_command() -> list[str]:
    exe = Path(sys.executable).with_name("ogi")
    return [str(exe)] if exe.exists() else [sys.executable, "-c", "from cli.main import main; main()"]


def ogi_run(url: str, *args: str) -> Run:
    """`ogi ARGS` on the database at `url`, in a child process; its wall time and peak RSS (the
    kernel's rusage of that process alone, benchmarks/peak.py)."""
    env = {**os.environ, "OGI_DATABASE_URL": url}
    with tempfile.TemporaryDirectory() as cwd:  # no stray .env or ogi.db of the caller's folder
        out, err, peak = Path(cwd) / "out", Path(cwd) / "err", Path(cwd) / "peak"
        cmd = [sys.executable, str(PEAK), str(peak), *ogi_command(), *args]
        with out.open("w") as o, err.open("w") as e:
            start = time.perf_counter()
            code = subprocess.run(cmd, env=env, cwd=cwd, stdout=o, stderr=e, check=False).returncode
            seconds = time.perf_counter() - start
        if code:
            command = " ".join(args[:2])
            raise RuntimeError(f"ogi {command} failed ({code}): {err.read_text().strip()[-500:]}")
        return Run(seconds, int(peak.read_text()) / 1024, out.read_text().strip())


@contextmanager
def directory_db(make: Callable[[], Any]) -> Iterator[str]:
    """A database from `make` (a context manager yielding its URL), in use, with the directory."""
    with make() as url:
        use_database(url)
        setup_directory()
        yield url
