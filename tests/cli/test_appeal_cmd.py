"""`ogi appeal`: an appeal goes into the case's history, with a version bump, through the CLI door."""

from __future__ import annotations

from typing import Any

from tests.cli_support import ogi, ogi_json, one_line_error
from tests.support import receive_args


def _answered_case(env: dict[str, str]) -> dict[str, Any]:
    ogi(env, "organ", "add", "east", "--name", "东区")
    ogi(env, "user", "add", "wang", "--organ", "east", "--role", "supervisor", "--email", "wang@example.org")
    opened = ogi_json(env, *receive_args("2026-09-01", ref="A-1"))
    assert opened["version"] == 1
    return ogi_json(env, "case", "advance", "A-1", "answer", "--on", "2026-09-10", "--outcome", "disclosed")


def test_an_appeal_filed_and_decided_through_the_cli_is_in_the_case_history_with_a_version_bump(
    env: dict[str, str],
) -> None:
    answered = _answered_case(env)
    filed = ogi_json(env, "appeal", "file", "A-1", "--kind", "reconsideration", "--on", "2026-10-08")
    after_filing = ogi_json(env, "case", "show", "A-1")
    assert after_filing["version"] == answered["version"] + 1
    assert after_filing["events"][-1] | {"recorded_at": None} == {
        "event": "appeal_filed",
        "on": "2026-10-08",
        "actor": after_filing["events"][-1]["actor"],
        "recorded_at": None,
        "appeal_id": filed["id"],
        "kind": "reconsideration",
    }
    ogi_json(env, "appeal", "decide", str(filed["id"]), "--result", "upheld", "--on", "2026-11-20")
    decided = ogi_json(env, "case", "show", "A-1")
    assert decided["version"] == answered["version"] + 2
    last = decided["events"][-1]
    assert (last["event"], last["on"], last["appeal_id"], last["result"]) == (
        "appeal_decided",
        "2026-11-20",
        filed["id"],
        "upheld",
    )


def test_an_appeal_filed_with_a_stale_version_is_refused_and_nothing_is_recorded(env: dict[str, str]) -> None:
    answered = _answered_case(env)
    stale = str(answered["version"] - 1)
    p = ogi(env, "appeal", "file", "A-1", "--kind", "litigation", "--expect-version", stale, ok=False)
    one_line_error(p, "version 1, now 2")
    shown = ogi_json(env, "case", "show", "A-1")
    assert shown["version"] == answered["version"]
    assert [e["event"] for e in shown["events"]] == ["receive", "answer"]
