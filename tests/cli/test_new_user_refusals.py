"""What a new user got wrong in a trial, each refused in one line that says how to get it right:
`--as` where a command has none, an `OGI_USER` that names nobody, an import error without its file,
a calendar year out of range."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from cli.acting import commands_taking_as
from cli.main import app
from tests.cli_support import ogi, ogi_json, one_line_error
from tests.support import organ_with_staff


@pytest.fixture
def env(sqlite_db: str) -> dict[str, str]:
    organ_with_staff("east")
    return {**{k: v for k, v in os.environ.items() if k != "OGI_USER"}, "OGI_DATABASE_URL": sqlite_db}


def test_the_commands_taking_as_are_found_from_the_commands_themselves() -> None:
    taking = list(commands_taking_as(typer_group()))
    assert {"case advance", "year close", "report build", "case import"} <= set(taking)
    assert "case list" not in taking and "organ add" not in taking


def typer_group():  # the click group typer builds from the app
    import typer.main

    return typer.main.get_command(app)


def test_as_given_to_a_command_without_it_is_one_line_naming_the_commands_that_take_it(
    env: dict[str, str],
) -> None:
    p = ogi(env, "case", "list", "--as", "east-worker", ok=False)
    one_line_error(p, "--as", "ogi case list", "case advance", "year close")
    assert "Usage" not in p.stderr and "╭" not in p.stderr


def test_as_given_before_the_command_is_one_line_too(env: dict[str, str]) -> None:
    p = ogi(env, "--as", "east-worker", "case", "list", ok=False)
    one_line_error(p, "--as", "case advance")


def test_an_unknown_ogi_user_is_refused_in_one_line_by_a_command_that_has_no_as(env: dict[str, str]) -> None:
    p = ogi({**env, "OGI_USER": "nobody"}, "case", "list", ok=False)
    one_line_error(p, "OGI_USER", "nobody")
    assert p.stdout == ""


def test_an_unknown_ogi_user_is_refused_by_a_command_that_has_as(env: dict[str, str]) -> None:
    one_line_error(
        ogi({**env, "OGI_USER": "nobody"}, "year", "status", "--organ", "east", ok=False), "nobody"
    )


def test_a_known_ogi_user_is_accepted_and_db_upgrade_never_asks_for_one(env: dict[str, str]) -> None:
    assert ogi_json({**env, "OGI_USER": "east-worker"}, "case", "list") == []
    ogi({**env, "OGI_USER": "nobody"}, "db", "upgrade")  # before any user can exist


def test_an_import_error_names_the_file_and_the_line_as_file_colon_line(
    env: dict[str, str], tmp_path: Path
) -> None:
    good = {"ref": "OK-1", "organ": "east", "applicant_type": "natural_person", "applicant": "王五",
            "channel": "online", "received_on": "2026-11-02"}  # fmt: skip
    path = tmp_path / "cases.jsonl"
    path.write_text(json.dumps(good) + "\n" + json.dumps({**good, "ref": "BAD-1", "organ": "nowhere"}) + "\n")
    one_line_error(ogi(env, "case", "import", str(path), ok=False), f"{path}:2: case BAD-1: ")
    path.write_text(json.dumps(good) + "\n{not json\n")
    one_line_error(ogi(env, "case", "import", str(path), ok=False), f"{path}:2: not valid JSON")
    assert ogi_json(env, "case", "list") == []


@pytest.mark.parametrize("year", [1989, 2300])
def test_a_calendar_file_for_a_year_out_of_range_states_the_years_allowed(
    env: dict[str, str], tmp_path: Path, year: int
) -> None:
    path = tmp_path / "calendar.yaml"
    path.write_text(f"year: {year}\nsource: 通知\nholidays: []\n", encoding="utf-8")
    one_line_error(ogi(env, "calendar", "import", str(path), ok=False), str(path), str(year), "1990", "2199")
