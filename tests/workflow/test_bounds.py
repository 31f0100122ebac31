"""Dates and numbers a user gives are bounded where they are parsed, by one definition derived from
the calendar's span (workflow/bounds.py); whatever the domain raises is an OgiError, shown as one
line (CLI, naming the import line) or a 4xx page (web), never a traceback or a 500."""

from __future__ import annotations

import datetime as dt
import json
import os
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.cli_support import ogi
from tests.support import D, organ_with_staff, receive, receive_args
from workflow import bounds
from workflow.calendar import FIRST_DAY, LAST_DAY, CalendarRangeError, add_workdays
from workflow.errors import InvalidInput, OgiError
from workflow.events import parse_iso_date, parse_params


def test_the_calendars_range_error_is_the_products_own_error_type() -> None:
    assert issubclass(CalendarRangeError, OgiError)
    with pytest.raises(OgiError, match="beyond 2199-12-31"):
        add_workdays(dt.date(2199, 12, 1), 40)


@given(
    st.dates(max_value=FIRST_DAY - dt.timedelta(days=1)) | st.dates(min_value=LAST_DAY + dt.timedelta(days=1))
)
def test_every_date_outside_the_calendar_is_refused_where_it_is_parsed(day: dt.date) -> None:
    with pytest.raises(CalendarRangeError, match="outside the supported dates"):
        parse_iso_date(day.isoformat() if day.year >= 1000 else day)


@given(st.dates(min_value=FIRST_DAY, max_value=LAST_DAY))
def test_every_date_inside_the_calendar_is_accepted(day: dt.date) -> None:
    assert parse_iso_date(day.isoformat()) == day


@given(st.integers(min_value=bounds.MAX_DAYS + 1, max_value=10**30))
def test_a_number_of_days_beyond_the_calendars_span_is_refused_as_input(days: int) -> None:
    for event, raw in (
        ("request_correction", {"days": days}),
        ("notify_fee", {"amount": "10", "days": days}),
        ("extend", {"days": days, "approver": "王"}),
    ):
        with pytest.raises(InvalidInput, match=f"{event}: days"):
            parse_params(event, raw)


# --- each door ---------------------------------------------------------------------------------------
@pytest.fixture
def env(sqlite_db: str) -> dict[str, str]:
    env = {**os.environ, "OGI_DATABASE_URL": sqlite_db}
    organ_with_staff("east")
    receive(D(2026, 11, 2), organ="east")
    return env


REF = "EAST-2026-00001"


@pytest.mark.parametrize(
    ("args", "why"),
    [
        (
            [
                "case",
                "advance",
                REF,
                "defer",
                "--on",
                "2026-11-03",
                "--until",
                "2300-01-01",
                "--reason",
                "量大",
            ],
            "2300-01-01 is outside the supported dates",
        ),
        (
            ["case", "advance", REF, "request_correction", "--on", "2026-11-03", "--days", "1000000"],
            "working days: must be at most",
        ),
        (
            ["case", "advance", REF, "request_correction", "--on", "2026-11-03", "--days", "70000"],
            "beyond 2199-12-31",
        ),
        (
            ["case", "advance", REF, "answer", "--on", "1989-12-31", "--outcome", "disclosed"],
            "1989-12-31 is outside",
        ),
        (["calendar", "add-workdays", "2199-12-01", "40"], "beyond 2199-12-31"),
        (["calendar", "add-workdays", "2026-01-01", "1000000"], "outside 0–"),
        (["calendar", "add-workdays", "3000-01-01", "1"], "outside the supported dates"),
        (["calendar", "show", "99999"], "outside the supported years"),
        (["case", "list", "--due-within", "100000"], "outside 0–"),
        (["case", "list", "--due-within", "70000"], "beyond 2199-12-31"),
        (["case", "list", "--year", "1900"], "outside the supported years"),
        (
            receive_args("2200-01-01", applicant="甲"),
            "outside the supported dates",
        ),
        (["deadlines", "sweep", "--today", "1989-12-31"], "outside the supported dates"),
        (["appeal", "file", REF, "--kind", "reconsideration", "--on", "2300-01-01"], "outside"),
        (["appeal", "decide", "99999999999", "--result", "upheld"], "unknown appeal"),
        (["report", "build", "--organ", "east", "--year", "2300"], "outside the supported years"),
        (["outbox", "list", "--limit", "99999999999999"], "--limit"),
        (["case", "show", "99999999999999999999999"], "unknown case"),
        (["serve", "--port", "99999"], "--port: 99999 is outside 1–65535"),
    ],
)
def test_the_cli_refuses_an_out_of_range_date_or_number_in_one_line(
    env: dict[str, str], args: list[str], why: str
) -> None:
    p = ogi(env, *args, ok=False)
    assert p.returncode == 1 and "Traceback" not in p.stderr, p.stderr
    assert p.stderr.count("\n") == 1 and why in p.stderr, p.stderr


@pytest.mark.parametrize(
    ("line", "why"),
    [
        ({"received_on": "1989-12-31"}, "date received: 1989-12-31 is outside the supported dates"),
        (
            {"events": [{"event": "request_correction", "on": "2026-03-05", "days": 70000}]},
            "beyond 2199-12-31",
        ),
        (
            {"events": [{"event": "defer", "on": "2026-03-05", "until": "2300-01-01", "reason": "多"}]},
            "until: 2300-01-01 is outside",
        ),
        ({"events": [{"event": "request_correction", "on": "2026-03-05", "days": 1000000}]}, "days"),
        ({"appeals": [{"kind": "reconsideration", "filed_on": "2300-01-01"}]}, "date filed: 2300-01-01"),
    ],
)
def test_an_import_line_out_of_range_is_one_line_naming_the_line(
    env: dict[str, str], tmp_path: Path, line: dict[str, object], why: str
) -> None:
    good = {"ref": "OK-1", "organ": "east", "applicant_type": "natural_person", "applicant": "甲",
            "channel": "online", "received_on": "2026-03-02"}  # fmt: skip
    path = tmp_path / "cases.jsonl"
    path.write_text(json.dumps(good) + "\n" + json.dumps({**good, "ref": "BAD-1", **line}) + "\n")
    p = ogi(env, "case", "import", str(path), ok=False)
    assert p.returncode == 1 and "Traceback" not in p.stderr and p.stderr.count("\n") == 1, p.stderr
    assert p.stderr.startswith(f"ogi: error: {path}:2: case BAD-1: ") and why in p.stderr, p.stderr
