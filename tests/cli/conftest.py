"""The CLI tests' database: a fresh migrated SQLite file, named by the environment `ogi` runs with."""

from __future__ import annotations

import os

import pytest


@pytest.fixture
def env(sqlite_db: str) -> dict[str, str]:
    """The environment of an `ogi` run against this test's database."""
    return {**os.environ, "OGI_DATABASE_URL": sqlite_db}
