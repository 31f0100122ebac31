"""Configuration mistakes are one line naming the variable, found at start-up; a command refused
because there is no database leaves no empty `ogi.db` behind; a code option must be a known code."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from config.settings import ConfigError, Settings, get_settings
from tests.cli_support import ogi
from tests.support import receive_args


def run_in(folder: Path, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    """`ogi ARGS` in `folder` with only the OGI_ settings given (in-process, as the script would)."""
    base = {k: v for k, v in os.environ.items() if not k.startswith("OGI_")} | {"OGI_LANG": "en"}
    return ogi({**base, **env}, *args, ok=False, cwd=folder)


@pytest.mark.parametrize(
    ("variable", "value", "why"),
    [
        ("OGI_DATABASE_URL", "sqlit:///x.db", "unsupported database URL"),
        ("OGI_DATABASE_URL", "mysql://u:secret@h/db", "unsupported database URL"),
        ("OGI_DATABASE_URL", "ogi.db", "unsupported database URL"),
        ("OGI_CORRECTION_DAYS", "abc", "must be a whole number"),
        ("OGI_CORRECTION_DAYS", "1000000", "must be at most 60"),
        ("OGI_FEE_DAYS", "0", "must be at least 1"),
        ("OGI_TIMEZONE", "Mars/Base", "unknown time zone 'Mars/Base'"),
        ("OGI_TIMEZONE", "../../etc/passwd", "unknown time zone"),
        ("OGI_ENVIRONMENT", "staging", "one of: development, production"),
        ("OGI_REMINDER_OFFSETS", "5,two,0", "whole numbers"),
        ("OGI_SMTP_URL", "mail.example.org:25", "smtp://"),
        ("OGI_SWEEP_INTERVAL", "-1", "must be at least 1"),
    ],
)
def test_a_bad_setting_is_one_line_naming_the_variable_before_any_command_runs(
    tmp_path: Path, variable: str, value: str, why: str
) -> None:
    p = run_in(tmp_path, "case", "list", **{variable: value})
    assert p.returncode == 1 and "Traceback" not in p.stderr, p.stderr
    assert p.stderr.count("\n") == 1 and p.stderr.startswith(f"ogi: error: configuration: {variable}")
    assert why in p.stderr and "secret" not in p.stderr
    assert list(tmp_path.iterdir()) == []


def test_production_without_a_secret_key_is_refused_at_start_up_naming_the_variable(tmp_path: Path) -> None:
    p = run_in(tmp_path, "calendar", "add-workdays", "2026-01-05", "1", OGI_ENVIRONMENT="production")
    assert p.returncode == 1 and "Traceback" not in p.stderr and p.stderr.count("\n") == 1
    assert "OGI_SECRET_KEY must be set in production" in p.stderr
    ok = run_in(tmp_path, "calendar", "add-workdays", "2026-01-05", "1", OGI_ENVIRONMENT="production",
                OGI_SECRET_KEY="a-long-random-secret", OGI_ALLOWED_HOSTS="ogi.example.gov.cn",
                OGI_DATA_KEY="vJCVGUsN2TqRZyxbqyaOy8pqS3prIxV6yzLIE8VZcmQ=")  # fmt: skip
    assert ok.returncode == 0 and ok.stdout.strip() == "2026-01-06"


def test_an_unknown_time_zone_is_refused_when_the_settings_are_read_not_at_the_first_event(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("OGI_TIMEZONE", "Mars/Base")
    get_settings.cache_clear()
    try:
        with pytest.raises(ConfigError, match="OGI_TIMEZONE: unknown time zone 'Mars/Base'"):
            get_settings()
    finally:
        get_settings.cache_clear()
    assert Settings(timezone="Europe/Berlin").tz.key == "Europe/Berlin"


COMMANDS = [
    ["case", "list"],
    ["case", "show", "X-1"],
    receive_args("2026-11-02", organ="a", applicant="甲"),
    ["case", "import", "cases.jsonl"],
    ["organ", "add", "a", "--name", "甲"],
    ["user", "add", "u", "--organ", "a", "--role", "caseworker", "--email", "u@example.org"],
    ["calendar", "show", "2026"],
    ["calendar", "import", "cal.yaml"],
    ["report", "build", "--organ", "a", "--year", "2025"],
    ["report", "inputs", "--organ", "a", "--year", "2025"],
    ["year", "status", "--organ", "a"],
    ["year", "close", "2025", "--organ", "a"],
    ["appeal", "decide", "1", "--result", "upheld"],
    ["deadlines", "sweep"],
    ["outbox", "list"],
    ["outbox", "relay"],
    ["outbox", "retry"],
    ["serve", "--port", "1"],
]  # fmt: skip


@pytest.mark.parametrize("args", COMMANDS, ids=[" ".join(a[:2]) for a in COMMANDS])
def test_a_command_refused_for_want_of_a_database_leaves_no_empty_database_file(
    tmp_path: Path, args: list[str]
) -> None:
    (tmp_path / "cases.jsonl").write_text('{"ref": "A-1"}\n')
    (tmp_path / "cal.yaml").write_text("year: 2030\nsource: x\nholidays: []\n")
    p = run_in(tmp_path, *args)
    assert p.returncode == 1 and "Traceback" not in p.stderr and p.stderr.count("\n") == 1, p.stderr
    assert "ogi db upgrade" in p.stderr
    assert sorted(f.name for f in tmp_path.iterdir()) == ["cal.yaml", "cases.jsonl"]


@pytest.mark.parametrize(
    ("args", "valid"),
    [
        (["case", "list", "--state", "bogus"], "received"),
        (["case", "list", "--state", "RECEIVED"], "awaiting_correction"),
        (["case", "list", "--applicant-type", "x"], "natural_person"),
        (["outbox", "list", "--status", "bogus"], "pending"),
        (["report", "build", "--organ", "east", "--year", "2025", "--format", "pdf"], "docx"),
        (["case", "advance", "EAST-2026-00001", "answer", "--outcome", "approved"], "disclosed"),
        (["case", "advance", "EAST-2026-00001", "consult", "--party", "someone"], "third_party"),
        (
            receive_args("2026-11-02", applicant_type="robot", applicant="甲"),
            "natural_person",
        ),
        (["user", "add", "u", "--organ", "east", "--role", "boss", "--email", "u@example.org"], "supervisor"),
    ],
)
def test_an_unknown_code_option_is_an_error_listing_the_valid_values(
    env: dict[str, str], args: list[str], valid: str
) -> None:
    ogi(env, "organ", "add", "east", "--name", "东区")
    ogi(env, *receive_args("2026-11-02", applicant="甲"))
    p = ogi(env, *args, ok=False)
    assert p.returncode == 1 and "Traceback" not in p.stderr and p.stderr.count("\n") == 1, p.stderr
    assert valid in p.stderr and "0 cases" not in p.stdout


def test_a_celery_worker_started_with_a_bad_setting_stops_with_one_line(tmp_path: Path) -> None:
    import sys

    base = {k: v for k, v in os.environ.items() if not k.startswith("OGI_")}
    p = subprocess.run(
        [sys.executable, "-c", "import tasks.celery_app"],
        cwd=tmp_path,
        env={**base, "OGI_TIMEZONE": "Mars/Base", "OGI_LANG": "en"},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert p.returncode == 1 and "Traceback" not in p.stderr
    assert p.stderr == (
        "ogi: error: configuration: OGI_TIMEZONE: unknown time zone 'Mars/Base' "
        "(an IANA name such as Asia/Shanghai)\n"
    )
