"""The `ogi` command as a user runs it: JSON only with --json; one-line errors; nothing written on refusal."""

from __future__ import annotations

import datetime as dt
import json
import os
import sqlite3
from contextlib import closing
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from tests.cli_support import ogi, ogi_json, ogi_process, one_line_error
from tests.support import receive_args


def test_a_case_goes_from_receipt_to_answer_with_json_output_only(env: dict[str, str]) -> None:
    ogi(env, "organ", "add", "east", "--name", "东区")
    ogi(env, "user", "add", "wang", "--organ", "east", "--role", "supervisor", "--email", "wang@example.org")
    c = ogi_json(env, *receive_args("2026-09-01"))
    assert (c["ref"], c["reply_due"], c["state"]) == ("EAST-2026-00001", "2026-09-29", "received")
    c = ogi_json(
        env, "case", "advance", c["ref"], "extend", "--on", "2026-09-20", "--days", "20", "--approver", "wang"
    )
    assert c["reply_due"] == "2026-11-02"
    c = ogi_json(
        env, "case", "advance", "1", "answer", "--on", "2026-10-30", "--outcome", "disclosed", "--as", "wang"
    )
    assert (c["state"], c["outcome"], c["late"], c["concluded_on"]) == (
        "answered",
        "disclosed",
        False,
        "2026-10-30",
    )
    assert [e["event"] for e in c["events"]] == ["receive", "extend", "answer"]
    assert c["events"][2]["actor"] == "wang"
    shown = ogi_json(env, "case", "show", "EAST-2026-00001")
    assert shown["events"] == c["events"]


def test_bad_input_is_one_line_on_stderr_with_a_nonzero_exit_and_nothing_written(env: dict[str, str]) -> None:
    ogi(env, "organ", "add", "east", "--name", "东区")
    ogi(env, *receive_args("2026-09-01", ref="C-1"))
    before = ogi_json(env, "case", "show", "C-1")
    for args, message in [
        (
            ("case", "advance", "C-1", "answer", "--on", "2025-02-30", "--outcome", "disclosed"),
            "not a valid date",
        ),
        (
            ("case", "advance", "C-1", "answer", "--on", "2026-09-02", "--outcome", "approved"),
            "unknown outcome",
        ),
        (
            ("case", "advance", "C-1", "extend", "--on", "2026-09-02", "--days", "5", "--approver", "nobody"),
            "is not a user",
        ),
        (("case", "advance", "NOPE", "answer"), "unknown case 'NOPE'"),
        (
            receive_args("2026-09-01", applicant_type="company", applicant="x"),
            "unknown applicant type",
        ),
        (("organ", "add", "east", "--name", "again"), "already exists"),
        (("calendar", "add-workdays", "2026-13-01", "3"), "not a valid date"),
    ]:
        p = ogi(env, *args, ok=False)
        assert p.returncode != 0, args
        assert message in p.stderr and len(p.stderr.strip().splitlines()) == 1, p.stderr
        assert "Traceback" not in p.stderr and p.stdout == ""
    assert ogi_json(env, "case", "show", "C-1") == before


def test_case_list_json_prints_every_matching_case(env: dict[str, str], tmp_path: Path) -> None:
    ogi(env, "organ", "add", "east", "--name", "东区")
    lines = [
        {
            "ref": f"L-{i}",
            "organ": "east",
            "applicant_type": "other_org",
            "applicant": "乙",
            "channel": "fax",
            "received_on": "2025-03-03",
            "events": [],
        }
        for i in range(260)
    ]
    f = tmp_path / "cases.jsonl"
    f.write_text("".join(json.dumps(x) + "\n" for x in lines))
    assert ogi_json(env, "case", "import", str(f)) == {"cases": 260, "events": 260, "appeals": 0}
    listed = ogi_json(env, "case", "list", "--organ", "east")
    assert len(listed) == 260 and "events" not in listed[0]
    assert len(ogi_json(env, "case", "list", "--overdue")) == 260


def test_an_import_error_names_the_line_and_writes_nothing(env: dict[str, str], tmp_path: Path) -> None:
    ogi(env, "organ", "add", "east", "--name", "东区")
    f = tmp_path / "bad.jsonl"
    good = {
        "ref": "G",
        "organ": "east",
        "applicant_type": "other_org",
        "applicant": "乙",
        "channel": "fax",
        "received_on": "2025-03-03",
    }
    f.write_text(json.dumps(good) + "\n\n" + '{"ref": "B"\n')
    p = ogi(env, "case", "import", str(f), ok=False)
    assert p.returncode == 1 and f"{f}:3: not valid JSON" in p.stderr
    assert ogi_json(env, "case", "list") == []


def test_the_calendar_commands_print_dates_and_official_arrangements(env: dict[str, str]) -> None:
    assert ogi(env, "calendar", "add-workdays", "2026-10-03", "20").stdout.strip() == "2026-11-03"
    assert ogi_json(env, "calendar", "add-workdays", "2026-02-10", "20") == {
        "date": "2026-03-16",
        "start": "2026-02-10",
        "workdays": 20,
        "provisional": False,
    }
    year = ogi_json(env, "calendar", "show", "2026")
    assert year["official"] and {"date": "2026-02-14", "name": "春节"} in year["workdays"]
    assert ogi_json(env, "calendar", "show", "2031")["official"] is False


def test_a_database_that_was_never_upgraded_gets_a_hint_not_a_traceback(tmp_path: Path) -> None:
    env = {**os.environ, "OGI_DATABASE_URL": f"sqlite:///{tmp_path}/empty.db"}
    p = ogi(env, "case", "list", ok=False)
    assert p.returncode == 1 and "ogi db upgrade" in p.stderr and "Traceback" not in p.stderr


def test_db_upgrade_creates_the_schema_and_seeds_the_official_calendar(tmp_path: Path) -> None:
    env = {**os.environ, "OGI_DATABASE_URL": f"sqlite:///{tmp_path}/new.db"}
    out = ogi(env, "db", "upgrade").stdout
    assert "created" in out and "2004" in out
    assert "up to date" in ogi(env, "db", "upgrade").stdout


def test_the_installed_ogi_script_runs_and_fails_in_one_line(tmp_path: Path) -> None:
    """The process itself: the `ogi` entry point starts, works, and refuses in one line and exit 1."""
    env = {**os.environ, "OGI_DATABASE_URL": f"sqlite:///{tmp_path}/new.db"}
    done = ogi_process(env, "db", "upgrade")
    assert done.returncode == 0 and "created" in done.stdout, done.stderr
    one_line_error(ogi_process(env, "case", "show", "NOPE-1"), "NOPE-1")
    one_line_error(ogi_process({**env, "OGI_TIMEZONE": "Mars/Base"}, "case", "list"), "OGI_TIMEZONE")


def test_demo_sweeps_the_deadlines_then_closes_last_year_and_prints_its_matrix(tmp_path: Path) -> None:
    db = tmp_path / "demo.db"
    env = {**os.environ, "OGI_DATABASE_URL": f"sqlite:///{db}"}
    out = ogi(env, "demo", "--cases", "80").stdout
    assert "deadline sweep" in out and "version 1, sealed" in out
    assert "New applications received this year" in out
    today = dt.datetime.now(ZoneInfo("Asia/Shanghai")).date().isoformat()
    with closing(sqlite3.connect(db)) as con:
        overdue = con.execute(
            "SELECT id FROM \"case\" WHERE state = 'received' AND reply_due < ?", (today,)
        ).fetchall()
        marked = con.execute("SELECT case_id FROM case_event WHERE event = 'became_overdue'").fetchall()
        sealed = con.execute("SELECT year FROM report_snapshot").fetchall()
    # the sweep ran: every overdue open case is marked overdue once in its history
    assert overdue and sorted(marked) == sorted(overdue)
    assert sealed == [(int(today[:4]) - 1,)]


def test_an_interrupted_command_is_one_line_and_exit_130_in_process_as_in_the_script(
    env: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The refusals are translated by the command group itself, so a run that never goes through the
    script's `main()` (CliRunner, another entry point) still ends in one line and the right code."""
    from workflow import calendar as wcal

    def interrupted() -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(wcal, "default_calendar", interrupted)
    p = ogi(env, "calendar", "add-workdays", "2026-01-05", "1", ok=False)
    assert (
        p.returncode == 130
        and p.stderr == "ogi: error: interrupted; nothing was written by the unfinished command\n"
    )
