"""Fixtures: a fresh migrated database per test (SQLite, or a throwaway PostgreSQL database).

Services that a test needs (PostgreSQL, Redis, Chromium) are skipped when absent on a developer's
machine, but under CI (OGI_CI=1, set by .ci/run) their absence fails the run instead.
"""

from __future__ import annotations

import logging
import os
import shutil
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from config.settings import get_settings
from models.db import engine_for
from workflow.calendar import reset_default_calendar

# shared fixtures, each in its own module (SMTP server, private Redis)
pytest_plugins = ["tests.fixtures.smtp", "tests.fixtures.redis"]

PG_ADMIN_URL = os.environ.get("OGI_TEST_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
IN_CI = os.environ.get("OGI_CI") == "1"


@pytest.fixture(autouse=True)
def english_unless_a_test_asks(monkeypatch: pytest.MonkeyPatch) -> None:
    """Most tests assert English sentences (the message ids); tests of the Chinese text set
    OGI_LANG=zh themselves (tests/test_i18n.py, tests/cli/test_chinese.py)."""
    monkeypatch.setenv("OGI_LANG", "en")
    get_settings.cache_clear()


@pytest.fixture
def chinese(monkeypatch: pytest.MonkeyPatch) -> None:
    """OGI_LANG=zh, for a test that asserts the Chinese text (``usefixtures("chinese")``)."""
    monkeypatch.setenv("OGI_LANG", "zh")
    get_settings.cache_clear()


@pytest.fixture
def english(monkeypatch: pytest.MonkeyPatch) -> None:
    """OGI_LANG=en where a directory reads Chinese but a test asserts the English refusals."""
    monkeypatch.setenv("OGI_LANG", "en")
    get_settings.cache_clear()


def require_service(name: str, available: bool, why: str) -> None:
    if available:
        return
    if IN_CI:
        pytest.fail(f"{name} is required under CI: {why}")
    pytest.skip(f"{name} not available: {why}")


def use_database(monkeypatch: pytest.MonkeyPatch, url: str) -> None:
    monkeypatch.setenv("OGI_DATABASE_URL", url)
    get_settings.cache_clear()
    reset_default_calendar()


def migrate_and_seed() -> None:
    from workflow.recompute import upgrade_database

    upgrade_database()


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One migrated, seeded SQLite file; each test gets a copy (migrating per test is slow)."""
    path = tmp_path_factory.mktemp("template") / "template.db"
    mp = pytest.MonkeyPatch()
    try:
        use_database(mp, f"sqlite:///{path}")
        migrate_and_seed()
        engine_for(f"sqlite:///{path}").dispose()
    finally:
        mp.undo()
        get_settings.cache_clear()
        reset_default_calendar()
    return path


@pytest.fixture
def sqlite_db(sqlite_template: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    path = tmp_path / "ogi.db"
    shutil.copy(sqlite_template, path)
    url = f"sqlite:///{path}"
    use_database(monkeypatch, url)
    yield url
    engine_for(url).dispose()
    get_settings.cache_clear()
    reset_default_calendar()


def _pg_available() -> tuple[bool, str]:
    try:
        with create_engine(PG_ADMIN_URL).connect() as c:
            c.execute(text("select 1"))
        return True, ""
    except Exception as e:  # any failure to connect means "not here"
        return False, str(e).splitlines()[0]


@pytest.fixture(scope="session")
def pg_admin() -> str:
    ok, why = _pg_available()
    require_service("PostgreSQL", ok, why or PG_ADMIN_URL)
    return PG_ADMIN_URL


@pytest.fixture
def pg_db(pg_admin: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """A new, empty PostgreSQL database, migrated and seeded, dropped afterwards."""
    name = f"ogi_test_{uuid.uuid4().hex[:12]}"
    admin = create_engine(pg_admin, isolation_level="AUTOCOMMIT")
    with admin.connect() as c:
        c.execute(text(f'CREATE DATABASE "{name}"'))
    url = pg_admin.rsplit("/", 1)[0] + f"/{name}"
    use_database(monkeypatch, url)
    migrate_and_seed()
    yield url
    engine_for(url).dispose()
    get_settings.cache_clear()
    reset_default_calendar()
    with admin.connect() as c:
        c.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


@pytest.fixture(params=["sqlite", "postgres"])
def any_db(request: pytest.FixtureRequest) -> str:
    """Runs the test on both supported databases."""
    fixture = "sqlite_db" if request.param == "sqlite" else "pg_db"
    return str(request.getfixturevalue(fixture))


@pytest.fixture(autouse=True)
def _root_logger_restored() -> Iterator[None]:
    """A test that runs a process's entry point in-process (the benchmarks' main, setup_logging)
    reconfigures the root logger; put it back, or later tests' caplog would see nothing."""
    root = logging.getLogger()
    level, handlers = root.level, root.handlers[:]
    yield
    root.handlers[:] = handlers
    root.setLevel(level)
