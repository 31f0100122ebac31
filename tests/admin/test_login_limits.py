"""Guessing passwords: limited per client address as well as per account, and counted before each
password is verified, so parallel attempts (real HTTP requests to uvicorn on PostgreSQL) cannot
exceed either limit."""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest
import time_machine
import uvicorn

from admin import auth
from config.settings import get_settings
from tests.admin.conftest import PASSWORD, TOKEN, Web, person, staff
from tests.fixtures import free_port


@pytest.fixture
def address_limit(monkeypatch: pytest.MonkeyPatch) -> int:
    monkeypatch.setenv("OGI_LOGIN_MAX_FAILURES_PER_ADDRESS", "6")
    get_settings.cache_clear()
    return 6


def test_wrong_passwords_from_one_address_across_accounts_refuse_that_address_for_a_while(
    office: str, address_limit: int, pinned: time_machine.Traveller
) -> None:
    attacker = Web("203.0.113.7")
    names = ["east-worker", "east-head", "west-worker", "west-head", "nobody", "root"]
    for name in names[:address_limit]:  # never more than one try per account: no account locks
        assert attacker.login(name, "wrong-password").status_code == 401
    r = attacker.login("east-worker")  # the right password, from the refused address
    assert r.status_code == 401 and "锁定" in r.text
    assert Web("198.51.100.9").login("east-worker").status_code == 303  # another address is not refused
    pinned.shift(dt.timedelta(minutes=16))
    assert Web("203.0.113.7").login("east-worker").status_code == 303


def test_correct_passwords_do_not_count_against_their_address(office: str, address_limit: int) -> None:
    office_nat = "192.0.2.1"  # a whole office behind one address logs in every morning
    names = ("east-worker", "east-head", "west-worker", "west-head")
    for i in range(address_limit - 1):  # a few typing mistakes among many logins
        assert Web(office_nat).login(names[i % 4], "mistyped").status_code == 401
        for name in names:
            assert Web(office_nat).login(name).status_code == 303


# --- parallel attempts on PostgreSQL ------------------------------------------------------------
@pytest.fixture
def pg_server(pg_db: str, pinned: time_machine.Traveller) -> Iterator[str]:
    from admin.app import create_app

    staff()
    port = free_port()
    srv = uvicorn.Server(uvicorn.Config(create_app(), host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    while not srv.started:
        assert thread.is_alive()
        threading.Event().wait(0.05)
    yield f"http://127.0.0.1:{port}"
    srv.should_exit = True
    thread.join(timeout=10)


@pytest.fixture
def verified(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The hashes argon2 really checked a password against (the decoy's excluded): a spy on the
    real verification, which still runs."""
    checked: list[str] = []
    real = auth.verify_password
    decoy = auth._decoy_hash()

    def spy(stored: str, password: str) -> bool:
        if stored != decoy:
            checked.append(stored)
        return real(stored, password)

    monkeypatch.setattr(auth, "verify_password", spy)
    return checked


def parallel_logins(base: str, attempts: list[tuple[str, str]]) -> list[int]:
    """Each attempt from its own client with its own session and token, all sent at once."""

    def attempt(name_password: tuple[str, str]) -> int:
        with httpx.Client(base_url=base, timeout=120) as c:
            match = TOKEN.search(c.get("/login").text)
            assert match
            barrier.wait()
            form = {"name": name_password[0], "password": name_password[1], "csrf_token": match.group(1)}
            return c.post("/login", data=form).status_code

    barrier = threading.Barrier(len(attempts))
    with ThreadPoolExecutor(len(attempts)) as pool:
        return list(pool.map(attempt, attempts))


def test_parallel_wrong_passwords_verify_no_more_guesses_than_the_account_limit(
    pg_server: str, verified: list[str]
) -> None:
    limit = get_settings().login_max_failures
    statuses = parallel_logins(pg_server, [("east-worker", f"guess-{i}") for i in range(4 * limit)])
    assert statuses == [401] * (4 * limit)
    assert len(verified) == limit  # the other attempts were refused before argon2 ran
    with httpx.Client(base_url=pg_server) as c:  # and the account is locked
        token = TOKEN.search(c.get("/login").text)
        assert token
        r = c.post("/login", data={"name": "east-worker", "password": PASSWORD, "csrf_token": token.group(1)})
        assert r.status_code == 401


def test_parallel_attempts_across_accounts_verify_no_more_than_the_address_limit(
    pg_server: str, verified: list[str], address_limit: int
) -> None:
    for i in range(8):
        person(f"extra-{i}", "west", "caseworker")
    attempts = [(f"extra-{i}", f"guess-{j}") for i in range(8) for j in range(3)]  # 3 < account limit
    assert parallel_logins(pg_server, attempts) == [401] * len(attempts)
    assert len(verified) == address_limit
