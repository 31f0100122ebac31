"""`ogi organ` and `ogi user` for a first install: an administrator without an organ, passwords set
at the shell, organs moved under a parent (never into a loop)."""

from __future__ import annotations

import os

import pytest
from sqlmodel import select

from accounts.passwords import verify_password
from models.db import read_session
from models.organs import User
from tests.cli_support import ogi, ogi_json, one_line_error


@pytest.fixture
def env(any_db: str) -> dict[str, str]:
    return {**os.environ, "OGI_DATABASE_URL": any_db}


def stored(name: str) -> User:
    with read_session() as s:
        user = s.exec(select(User).where(User.name == name)).one()
        s.expunge(user)
        return user


def test_an_administrator_may_be_added_without_an_organ_and_a_caseworker_may_not(env: dict[str, str]) -> None:
    out = ogi_json(env, "user", "add", "root", "--role", "admin", "--email", "root@example.org")
    assert out["organ"] is None and stored("root").organ_id is None
    one_line_error(
        ogi(env, "user", "add", "li", "--role", "caseworker", "--email", "li@x.org", ok=False), "--organ"
    )
    assert {u["name"]: u["organ"] for u in ogi_json(env, "user", "list")} == {"root": None}


def test_user_passwd_asks_twice_and_stores_an_argon2_hash_of_the_password(env: dict[str, str]) -> None:
    ogi(env, "user", "add", "root", "--role", "admin", "--email", "root@example.org")
    ogi(env, "user", "passwd", "root", stdin="a-long-password\na-long-password\n")
    user = stored("root")
    assert user.password_hash and user.password_hash.startswith("$argon2id$")
    assert verify_password(user.password_hash, "a-long-password")


def test_user_passwd_with_two_different_answers_is_refused_and_changes_nothing(env: dict[str, str]) -> None:
    ogi(env, "user", "add", "root", "--role", "admin", "--email", "root@example.org")
    p = ogi(env, "user", "passwd", "root", stdin="a-long-password\nanother-password\n", ok=False)
    assert p.returncode == 1 and "Traceback" not in p.stderr
    assert p.stderr.count("ogi: error:") == 1  # after the two prompts (on stderr too)
    assert stored("root").password_hash is None


def test_user_passwd_from_stdin_resets_a_password_and_lifts_a_lock(env: dict[str, str]) -> None:
    ogi(env, "user", "add", "root", "--role", "admin", "--email", "root@example.org")
    ogi(env, "user", "passwd", "root", "--password-stdin", stdin="first-password\n")
    ogi(env, "user", "passwd", "root", "--password-stdin", stdin="second-password\n")
    user = stored("root")
    assert verify_password(user.password_hash, "second-password") and user.failed_logins == 0
    assert not verify_password(user.password_hash, "first-password")


def test_user_passwd_refuses_a_short_password_and_an_unknown_user_in_one_line(env: dict[str, str]) -> None:
    ogi(env, "user", "add", "root", "--role", "admin", "--email", "root@example.org")
    one_line_error(ogi(env, "user", "passwd", "root", "--password-stdin", stdin="short\n", ok=False), "8")
    one_line_error(ogi(env, "user", "passwd", "nobody", "--password-stdin", stdin="long-enough\n", ok=False))
    assert stored("root").password_hash is None


def test_organ_update_moves_an_organ_under_a_parent_and_back_to_the_top(env: dict[str, str]) -> None:
    ogi(env, "organ", "add", "hongxing", "--name", "红星镇人民政府")
    ogi(env, "organ", "add", "district", "--name", "阿城区人民政府办公室")
    ogi(env, "organ", "update", "hongxing", "--parent", "district")
    ogi(env, "organ", "update", "hongxing", "--name", "阿城区红星镇人民政府")  # the parent stays
    organs = {o["code"]: o for o in ogi_json(env, "organ", "list")}
    assert organs["hongxing"] == {"code": "hongxing", "name": "阿城区红星镇人民政府", "parent": "district"}
    ogi(env, "organ", "update", "hongxing", "--no-parent")
    assert {o["code"]: o["parent"] for o in ogi_json(env, "organ", "list")}["hongxing"] is None


def test_organ_update_refuses_a_parent_that_would_make_a_loop_in_one_line(env: dict[str, str]) -> None:
    ogi(env, "organ", "add", "district", "--name", "阿城区人民政府办公室")
    ogi(env, "organ", "add", "hongxing", "--name", "红星镇人民政府", "--parent", "district")
    ogi(env, "organ", "add", "village", "--name", "红星村", "--parent", "hongxing")
    for parent in ("village", "district"):
        one_line_error(ogi(env, "organ", "update", "district", "--parent", parent, ok=False), "district")
    assert {o["code"]: o["parent"] for o in ogi_json(env, "organ", "list")}["district"] is None
