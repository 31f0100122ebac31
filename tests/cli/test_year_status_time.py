"""`ogi year status` shows when a year was sealed in the office's time zone, as the sealed report
and the web do (a seal at 02:38 on 1 December in Shanghai is not "30 November")."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from models.db import session_scope
from reports.closing import close_year
from tests.cli_support import ogi
from tests.support import TESTER, D, organ_with_staff, receive, step


@pytest.mark.usefixtures("sqlite_db")
def test_year_status_shows_the_seal_time_in_the_offices_time_zone(env: dict[str, str]) -> None:
    organ_with_staff()
    receive(D(2025, 3, 3), ref="T-1")
    step("T-1", "answer", on=D(2025, 3, 20), outcome="disclosed")
    sealed_at = dt.datetime(2026, 11, 30, 18, 38, tzinfo=dt.UTC)  # 2026-12-01 02:38 in Shanghai
    with time_machine.travel(sealed_at, tick=False), session_scope() as s:
        close_year(s, "east", 2025, actor=TESTER)
    out = ogi({**env, "COLUMNS": "200"}, "year", "status", "--organ", "east").stdout
    assert "2026-12-01 02:38" in out and "2026-11-30" not in out
