"""A sweep that finds a case with a deadline to tell about and nobody to tell (no assignee, no active
supervisor of its organ) says so: a log line naming the case, and a count in the CLI's output."""

from __future__ import annotations

import logging
import os

import pytest

from models.db import session_scope
from tests.cli_support import ogi
from tests.support import D, receive
from tests.workflow.sweep_support import messages, on_day, sweep
from workflow.directory import add_organ, add_user, update_user

RECEIVED = D(2026, 3, 2)  # reply due 2026-03-30
LATE = D(2026, 4, 2)


def lone_organ(*, supervisor: bool = False, active: bool = True) -> None:
    with session_scope() as s:
        add_organ(s, code="lone", name="无人值守的机关")
        if supervisor:
            add_user(s, name="lone-head", organ="lone", role="supervisor", email="head@lone.example.org")
            if not active:
                update_user(s, "lone-head", organ="lone", role="supervisor", email="head@lone.example.org",
                            active=False)  # fmt: skip


@pytest.mark.parametrize("who", ["no supervisor", "only a deactivated supervisor"])
def test_an_overdue_case_with_nobody_to_tell_is_named_by_the_sweep(
    any_db: str, caplog: pytest.LogCaptureFixture, who: str
) -> None:
    lone_organ(supervisor=who != "no supervisor", active=False)
    with on_day(RECEIVED):
        ref = receive(RECEIVED, organ="lone").ref
    with on_day(LATE), caplog.at_level(logging.WARNING, logger="workflow.sweep"):
        result = sweep(LATE)
    assert result.became_overdue == [ref] and messages(ref) == []
    assert result.unattended == [ref] and result.summary()["unattended"] == [ref]
    assert any(ref in r.getMessage() and "nobody to tell" in r.getMessage() for r in caplog.records)


def test_a_case_due_a_reminder_with_nobody_to_tell_is_named_too(any_db: str) -> None:
    lone_organ()
    with on_day(RECEIVED):
        ref = receive(RECEIVED, organ="lone").ref
    with on_day(D(2026, 3, 27)):
        assert sweep(D(2026, 3, 27)).unattended == [ref]


def test_a_case_whose_organ_has_a_supervisor_is_not_unattended(any_db: str) -> None:
    lone_organ(supervisor=True)
    with on_day(RECEIVED):
        ref = receive(RECEIVED, organ="lone").ref
    with on_day(LATE):
        result = sweep(LATE)
    assert result.unattended == [] and [m.recipient for m in messages(ref)] == ["head@lone.example.org"]


def test_the_cli_sweep_prints_how_many_cases_have_nobody_to_tell(sqlite_db: str) -> None:
    lone_organ()
    with on_day(RECEIVED):
        ref = receive(RECEIVED, organ="lone").ref
    env = {**os.environ, "OGI_DATABASE_URL": sqlite_db}
    out = ogi(env, "deadlines", "sweep", "--today", LATE.isoformat(), "--no-relay").stdout
    assert "1 case with nobody to tell" in out and ref in out
