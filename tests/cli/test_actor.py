"""Who acts in the CLI: a named user (--as or OGI_USER) under that user's role and organ rules, or the
operator, recorded as operator:<os user> in every history entry and seal and said so on the screen."""

from __future__ import annotations

import getpass

import pytest

from tests.cli_support import ogi, ogi_json, one_line_error

OPERATOR = f"operator:{getpass.getuser()}"


def test_without_a_named_user_the_year_is_sealed_by_the_operator_and_the_output_says_so(
    office: dict[str, str],
) -> None:
    p = ogi(office, "year", "close", "2024", "--organ", "east")
    assert f"sealed by {OPERATOR} (the operator, not a supervisor" in " ".join(p.stdout.split())
    [seal] = ogi_json(office, "year", "status", "--organ", "east")
    assert seal["sealed_by"] == OPERATOR
    p = ogi(office, "year", "reopen", "2024", "--organ", "east", "--reason", "补录")
    assert f"by {OPERATOR} (the operator" in " ".join(p.stdout.split())


def test_ogi_user_names_the_acting_user_and_their_role_rules_apply(office: dict[str, str]) -> None:
    worker = {**office, "OGI_USER": "east-worker"}
    one_line_error(ogi(worker, "year", "close", "2024", "--organ", "east", ok=False), "supervisor")
    assert ogi_json(office, "year", "status", "--organ", "east") == []  # nothing sealed
    other_head = {**office, "OGI_USER": "west-head"}
    one_line_error(ogi(other_head, "year", "close", "2024", "--organ", "east", ok=False))
    seal = ogi_json({**office, "OGI_USER": "east-head"}, "year", "close", "2024", "--organ", "east")
    assert seal["sealed_by"] == "east-head"


def test_an_explicit_as_wins_over_ogi_user(office: dict[str, str]) -> None:
    env = {**office, "OGI_USER": "east-worker"}
    seal = ogi_json(env, "year", "close", "2024", "--organ", "east", "--as", "east-head")
    assert seal["sealed_by"] == "east-head"


@pytest.mark.parametrize(("env_user", "recorded"), [(None, OPERATOR), ("east-worker", "east-worker")])
def test_every_history_entry_names_who_acted(
    office: dict[str, str], env_user: str | None, recorded: str
) -> None:
    env = {**office, **({"OGI_USER": env_user} if env_user else {})}
    ogi(env, "case", "advance", "E-1", "answer", "--on", "2025-01-06", "--outcome", "disclosed")
    case = ogi_json(env, "case", "show", "E-1")
    assert case["events"][-1]["actor"] == recorded


def test_an_unknown_ogi_user_is_refused_in_one_line(office: dict[str, str]) -> None:
    one_line_error(
        ogi({**office, "OGI_USER": "nobody"}, "year", "close", "2024", "--organ", "east", ok=False), "nobody"
    )
