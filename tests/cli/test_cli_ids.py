"""The CLI's ids and versions: a number too long to be a row id names no row (one line, not a
driver's overflow); an appeal carries the case version like every other change."""

from __future__ import annotations

import os
import subprocess

import pytest
from sqlmodel import select

from models.cases import Appeal
from models.db import read_session, session_scope
from tests.cli_support import ogi
from tests.support import D, organ_with_staff, receive, step
from workflow.directory import add_organ, get_user
from workflow.service import get_case


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
    p = ogi({**os.environ, "OGI_DATABASE_URL": any_db}, *args, ok=False)
    assert p.returncode == 1
    [line] = p.stderr.strip().splitlines()
    assert says in line and "Traceback" not in p.stderr


def test_an_appeal_recorded_against_a_stale_case_version_is_refused_and_writes_nothing(
    sqlite_db: str,
) -> None:
    with session_scope() as s:
        add_organ(s, code="east", name="东区")
    receive(D(2026, 4, 1), organ="east", ref="E-1")
    step("E-1", "answer", on=D(2026, 4, 20), outcome="disclosed")  # the case is at version 2

    def file(version: str) -> subprocess.CompletedProcess[str]:
        args = ("appeal", "file", "E-1", "--kind", "reconsideration", "--on", "2026-05-06")
        return ogi(
            {**os.environ, "OGI_DATABASE_URL": sqlite_db}, *args, "--expect-version", version, ok=False
        )

    stale = file("1")
    assert stale.returncode == 1 and "changed since you loaded it" in stale.stderr
    with read_session() as s:
        assert s.exec(select(Appeal)).all() == []
    assert file("2").returncode == 0


def test_a_reassignment_against_a_stale_case_version_is_refused_and_writes_nothing(
    sqlite_db: str,
) -> None:
    organ_with_staff("east")
    receive(D(2026, 4, 1), organ="east", ref="E-2")
    step(
        "E-2", "request_correction", on=D(2026, 4, 2), items=["申请内容的描述"], days=10
    )  # the case is at version 2
    env = {**os.environ, "OGI_DATABASE_URL": sqlite_db}
    stale = ogi(env, "case", "assign", "E-2", "east-head", "--expect-version", "1", ok=False)
    assert stale.returncode == 1 and "changed since you loaded it" in stale.stderr
    with read_session() as s:
        assert get_case(s, "E-2").assignee_id != get_user(s, "east-head").id
    assert ogi(env, "case", "assign", "E-2", "east-head", "--expect-version", "2", ok=False).returncode == 0
