"""A database setting that cannot work is refused with one line naming it, whichever command meets
it first (a new user's mistakes: a folder that does not exist, an in-memory SQLite URL, a wrong
PostgreSQL role); `ogi db upgrade` is suggested only when upgrading can help."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from tests.cli_support import ogi
from tests.conftest import PG_ADMIN_URL


def run_in(folder: Path, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    base = {k: v for k, v in os.environ.items() if not k.startswith("OGI_")}
    return ogi({**base, "OGI_LANG": "en", **env}, *args, ok=False, cwd=folder)  # tests read English


def one_line(r: subprocess.CompletedProcess[str]) -> str:
    assert r.returncode != 0 and "Traceback" not in r.stderr, r.stderr
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1, r.stderr
    return lines[0]


@pytest.mark.parametrize("command", [("db", "upgrade"), ("demo",)])
def test_a_sqlite_file_in_a_missing_folder_is_one_line_naming_the_setting(
    tmp_path: Path, command: tuple[str, ...]
) -> None:
    url = f"sqlite:///{tmp_path}/no/such/folder/ogi.db"
    line = one_line(run_in(tmp_path, *command, OGI_DATABASE_URL=url))
    assert "OGI_DATABASE_URL" in line and "no/such/folder/ogi.db" in line


@pytest.mark.parametrize("url", ["sqlite:///", "sqlite://", "sqlite:///:memory:"])
def test_an_in_memory_sqlite_url_is_refused_since_it_keeps_nothing_between_commands(
    tmp_path: Path, url: str
) -> None:
    line = one_line(run_in(tmp_path, "db", "upgrade", OGI_DATABASE_URL=url))
    assert "OGI_DATABASE_URL" in line and "file" in line.lower()
    assert list(tmp_path.iterdir()) == []


@pytest.mark.postgres
def test_a_missing_postgresql_role_does_not_suggest_running_the_upgrade_that_just_failed(
    tmp_path: Path, pg_admin: str
) -> None:
    url = PG_ADMIN_URL.replace("postgres@", "no_such_role_ogi@")
    line = one_line(run_in(tmp_path, "db", "upgrade", OGI_DATABASE_URL=url))
    assert "no_such_role_ogi" in line and "ogi db upgrade" not in line


def test_production_without_a_secret_names_the_command_that_makes_one(tmp_path: Path) -> None:
    line = one_line(run_in(tmp_path, "case", "list", OGI_ENVIRONMENT="production"))
    assert "OGI_SECRET_KEY" in line and "ogi secret generate" in line
