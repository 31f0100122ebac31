"""A number too long to be a row id names no row, on every door: one line, not a driver's overflow."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

OGI = str(Path(sys.executable).with_name("ogi"))


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (("appeal", "decide", "1" * 20, "--result", "upheld", "--on", "2026-05-01"), "unknown appeal"),
        (("case", "show", "9" * 20), "unknown case"),
        (("case", "advance", "9" * 20, "withdraw", "--on", "2026-05-01"), "unknown case"),
    ],
)
def test_an_id_of_twenty_digits_is_an_unknown_row_in_one_line(
    any_db: str, args: tuple[str, ...], says: str
) -> None:
    p = subprocess.run(
        [OGI, *args],
        env={**os.environ, "OGI_DATABASE_URL": any_db},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert p.returncode == 1
    [line] = p.stderr.strip().splitlines()
    assert says in line and "Traceback" not in p.stderr
