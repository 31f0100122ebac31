"""The CLI tests' database: a fresh migrated SQLite file, named by the environment `ogi` runs with;
and `office`, two organs with their people and three cases in it."""

from __future__ import annotations

import os

import pytest

from models.db import session_scope
from tests.support import D, organ_with_staff, receive, step
from workflow.directory import update_organ


@pytest.fixture
def env(sqlite_db: str) -> dict[str, str]:
    """The environment of an `ogi` run against this test's database."""
    return {**os.environ, "OGI_DATABASE_URL": sqlite_db}


@pytest.fixture
def office(env: dict[str, str]) -> dict[str, str]:
    """Two organs, their people and three cases, set up through the services (their CLI is tested
    in tests/cli/test_case_cmd.py)."""
    organ_with_staff("east")
    organ_with_staff("west")
    with session_scope() as s:
        update_organ(s, "east", name="东区人民政府办公室", parent=None)
    receive(D(2024, 12, 16), ref="E-1")
    receive(D(2024, 3, 4), ref="E-2")
    step("E-2", "answer", on=D(2024, 3, 20), outcome="disclosed")
    receive(D(2024, 12, 16), organ="west", ref="W-1")
    return env
