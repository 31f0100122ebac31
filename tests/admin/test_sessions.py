"""Sessions an attacker could hold: a cookie signed with the public development key, a cookie copied
before logout, and the key itself (`ogi serve` refuses the development key beyond loopback)."""

from __future__ import annotations

import hashlib
import json
import os
import stat
import subprocess
from base64 import b64encode
from pathlib import Path

import pytest
from itsdangerous import TimestampSigner
from sqlmodel import select

from admin.security import SESSION_COOKIE
from config.settings import Settings, get_settings
from models.db import read_session
from models.organs import User
from tests.admin.conftest import Web, logged_in, person
from tests.admin.test_roles import case_state
from tests.cli_support import OGI, ogi
from tests.fixtures import free_port
from tests.support import D, receive

# these tests are about start-up refusals; they assert the English text
pytestmark = pytest.mark.usefixtures("english")

REPO = Path(__file__).resolve().parents[2]


def forged_cookie(data: dict[str, object], key: str) -> str:
    """A session cookie as Starlette's SessionMiddleware signs it (what anyone knowing the key can do)."""
    payload = b64encode(json.dumps(data).encode())
    return TimestampSigner(key).sign(payload).decode()


def user_row(name: str) -> User:
    with read_session() as s:
        user = s.exec(select(User).where(User.name == name)).one()
        s.expunge(user)
        return user


@pytest.mark.parametrize("role", ["caseworker", "admin"])
def test_a_user_without_a_password_never_holds_a_session_even_with_a_validly_signed_cookie(
    office: str, role: str
) -> None:
    person("nopass", "east", role, password=None)
    user = user_row("nopass")
    empty_stamp = hashlib.sha256(b"").hexdigest()[:16]  # what the old code expected of such a user
    w = Web()
    for sv in (0, 1):
        w.client.cookies.set(
            SESSION_COOKIE,
            forged_cookie({"uid": user.id, "pw": empty_stamp, "sv": sv}, get_settings().secret_key),
        )
        assert w.get("/cases").status_code == 303
        assert w.get("/admin/").status_code in (303, 302)
        assert w.get("/admin/user/list").status_code in (303, 302)


def test_logging_out_ends_every_copy_of_the_session_cookie(office: str) -> None:
    receive(D(2026, 4, 1), organ="east", ref="E-1", assignee="east-worker")
    w = logged_in("east-worker")
    thief = Web()
    thief.client.cookies.set(SESSION_COOKIE, w.client.cookies[SESSION_COOKIE])
    token = thief.token()  # the copied session's own CSRF token, read while it still worked
    assert thief.get("/cases/E-1").status_code == 200
    assert w.post("/logout").status_code == 303
    assert thief.get("/cases/E-1").status_code == 303
    before = case_state("E-1")
    r = thief.client.post(
        "/cases/E-1/reassign", data={"assignee": "east-head", "csrf_token": token, "version": "1"}
    )
    assert r.status_code == 303 and r.headers["location"].startswith("/login")
    assert case_state("E-1") == before
    # the user logs in again and works; the copied cookie stays dead
    assert logged_in("east-worker").get("/cases/E-1").status_code == 200
    assert thief.get("/cases").status_code == 303


def test_logging_out_of_the_reference_admin_ends_the_session_on_the_server(office: str) -> None:
    w = logged_in("root")
    copy = Web()
    copy.client.cookies.set(SESSION_COOKIE, w.client.cookies[SESSION_COOKIE])
    assert copy.get("/admin/organ/list").status_code == 200
    assert w.admin_post("/admin/logout", {}).status_code == 303
    assert copy.get("/admin/organ/list").status_code in (302, 303)
    assert copy.get("/cases").status_code == 303


def serve(host: str, env: dict[str, str], cwd: Path = REPO) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [OGI, "serve", "--host", host, "--port", str(free_port())],
        cwd=cwd, env={**os.environ, **env}, capture_output=True, text=True, timeout=60,
    )  # fmt: skip


@pytest.mark.parametrize("host", ["0.0.0.0", "192.168.1.20", "::"])
def test_ogi_serve_refuses_the_development_key_beyond_loopback(sqlite_db: str, host: str) -> None:
    p = serve(
        host, {"OGI_DATABASE_URL": sqlite_db, "OGI_SECRET_KEY": Settings.model_fields["secret_key"].default}
    )
    assert p.returncode == 1
    [line] = p.stderr.strip().splitlines()
    assert "OGI_SECRET_KEY" in line and "ogi secret generate" in line and "Traceback" not in p.stderr


def secret(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != "OGI_SECRET_KEY"}
    return ogi(env, "secret", "generate", *args, ok=False, cwd=tmp_path)


def test_ogi_secret_generate_writes_a_private_random_key_that_the_settings_read(tmp_path: Path) -> None:
    (tmp_path / ".env").write_text("OGI_TIMEZONE=Asia/Shanghai")
    assert secret(tmp_path).returncode == 0
    env = tmp_path / ".env"
    assert stat.S_IMODE(env.stat().st_mode) == 0o600
    settings = Settings(_env_file=env)  # type: ignore[call-arg]
    assert not settings.has_default_secret and len(settings.secret_key) >= 48
    assert settings.timezone == "Asia/Shanghai"  # the other lines are kept
    # a key in place is not replaced by accident (that would log everyone out) …
    again = secret(tmp_path)
    assert again.returncode == 1 and "--force" in again.stderr
    assert Settings(_env_file=env).secret_key == settings.secret_key  # type: ignore[call-arg]
    # … only on purpose, and the key is never printed
    forced = secret(tmp_path, "--force")
    new_key = Settings(_env_file=env).secret_key  # type: ignore[call-arg]
    assert forced.returncode == 0 and new_key != settings.secret_key and new_key not in forced.stdout
    assert env.read_text().count("OGI_SECRET_KEY") == 1


def test_a_generated_key_lets_ogi_serve_start_beyond_loopback(sqlite_db: str, tmp_path: Path) -> None:
    assert secret(tmp_path).returncode == 0
    key = Settings(_env_file=tmp_path / ".env").secret_key  # type: ignore[call-arg]
    from cli.serve_cmd import require_real_secret

    require_real_secret(Settings(secret_key=key), "0.0.0.0")  # no refusal
    with pytest.raises(Exception, match="OGI_SECRET_KEY"):
        require_real_secret(Settings(), "0.0.0.0")


def test_ogi_serve_beyond_loopback_needs_the_host_names_it_answers_to(sqlite_db: str) -> None:
    p = serve("0.0.0.0", {"OGI_DATABASE_URL": sqlite_db, "OGI_SECRET_KEY": "k" * 64})
    assert p.returncode == 1
    [line] = p.stderr.strip().splitlines()
    assert "OGI_ALLOWED_HOSTS" in line
