"""`ogi deadlines sweep` and `ogi outbox` as an operator runs them (the embedded default: no broker)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from tests.cli_support import ogi, ogi_json
from tests.support import organ_with_staff
from tests.workflow.sweep_support import due_soon
from workflow import clock


@pytest.fixture
def env(env: dict[str, str], tmp_path: Path) -> dict[str, str]:
    """tests/cli/conftest.py's, with no mail server or broker and an outbox folder of its own."""
    kept = {k: v for k, v in env.items() if k not in ("OGI_SMTP_URL", "OGI_BROKER_URL")}
    return {**kept, "OGI_OUTBOX_DIR": str(tmp_path / "outbox")}


def test_the_sweep_command_queues_and_without_smtp_writes_one_eml_file_per_reminder(
    env: dict[str, str], tmp_path: Path
) -> None:
    organ_with_staff()
    due_soon("CLI-1")
    out = ogi_json(env, "deadlines", "sweep")
    again = ogi_json(env, "deadlines", "sweep")
    assert (out["queued"], out["relay"]["sent"], again["queued"], again["relay"]["sent"]) == (1, 1, 0, 0)
    [eml] = (tmp_path / "outbox").glob("*.eml")
    assert b"CLI-1" in eml.read_bytes()
    [listed] = ogi_json(env, "outbox", "list", "--case", "CLI-1")
    assert (listed["kind"], listed["status"], listed["recipient"]) == (
        "reply_due",
        "sent",
        "worker@east.example.org",
    )


def test_the_sweep_command_can_sweep_a_past_day_but_refuses_a_future_one(env: dict[str, str]) -> None:
    tomorrow = (clock.today() + dt.timedelta(days=1)).isoformat()
    p = ogi(env, "deadlines", "sweep", "--today", tomorrow, ok=False)
    assert p.returncode == 1 and p.stdout == ""
    assert p.stderr.count("\n") == 1 and "--today" in p.stderr and "future" in p.stderr
    past = ogi_json(env, "deadlines", "sweep", "--today", "2026-03-02", "--no-relay")
    assert (past["today"], past["relay"]) == ("2026-03-02", None)


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (("deadlines", "sweep", "--today", "2026-13-01"), "--today"),
        (("outbox", "list", "--status", "lost"), "unknown status 'lost'"),
        (("outbox", "list", "--case", "NOPE"), "unknown case 'NOPE'"),
        (("outbox", "retry", "case:1:reply_due:2026-03-30:0:u1"), "no failed message"),
    ],
)
def test_bad_input_is_one_line_naming_the_problem(
    env: dict[str, str], args: tuple[str, ...], says: str
) -> None:
    p = ogi(env, *args, ok=False)
    assert p.returncode == 1 and p.stderr.count("\n") == 1 and says in p.stderr, p.stderr
    assert "Traceback" not in p.stderr
