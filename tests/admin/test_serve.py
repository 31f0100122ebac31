"""`ogi serve` as a new user runs it: a process serving the login page, refusing an unmigrated database."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from pathlib import Path

import httpx

from tests.admin.conftest import Web, logged_in
from tests.fixtures import free_port

REPO = Path(__file__).resolve().parents[2]


def ogi(*args: str, env: dict[str, str]) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "cli.main", *args],
        cwd=REPO,
        env={**os.environ, **env},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def test_ogi_serve_serves_the_login_page_on_the_given_port(sqlite_db: str) -> None:
    port = free_port()
    proc = ogi("serve", "--host", "127.0.0.1", "--port", str(port), env={"OGI_DATABASE_URL": sqlite_db})
    try:
        deadline, response = time.monotonic() + 60, None
        while time.monotonic() < deadline and proc.poll() is None:
            try:
                response = httpx.get(f"http://127.0.0.1:{port}/", follow_redirects=True, timeout=2)
                break
            except httpx.TransportError:
                time.sleep(0.2)
        assert response is not None, proc.stderr.read() if proc.stderr else ""
        assert response.status_code == 200 and str(response.url).endswith("/login")
        assert "政府信息公开申请办理系统" in response.text
    finally:
        proc.terminate()
        proc.wait(timeout=20)


def test_ogi_serve_refuses_a_database_that_is_not_migrated(tmp_path: Path) -> None:
    proc = ogi(
        "serve", "--port", str(free_port()), env={"OGI_DATABASE_URL": f"sqlite:///{tmp_path / 'new.db'}"}
    )
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 1
    assert err.strip().splitlines() == ["ogi：错误：数据库结构不是最新的；请先运行 `ogi db upgrade`"]


def test_every_response_tells_the_browser_to_load_nothing_from_elsewhere(web: Web) -> None:
    for path in ("/login", "/static/admin.css", "/admin/"):
        headers = web.get(path).headers
        assert "default-src 'self'" in headers["content-security-policy"], path
        assert "frame-ancestors 'none'" in headers["content-security-policy"]
        assert headers["x-frame-options"] == "DENY" and headers["x-content-type-options"] == "nosniff"


def test_the_case_pages_get_a_strict_policy_and_only_the_admin_section_allows_inline_code(
    office: str,
) -> None:
    from tests.support import D, receive

    receive(D(2026, 4, 1), organ="east", ref="E-1")
    w = logged_in("root")
    for path in ("/login", "/", "/cases", "/cases/E-1", "/cases-new", "/reports", "/cases/nowhere"):
        csp = w.get(path).headers["content-security-policy"]
        assert "'unsafe-inline'" not in csp and "script-src 'self';" in csp and "style-src 'self'" in csp, (
            path
        )
    for path in ("/admin/", "/admin/organ/list"):
        assert "script-src 'self' 'unsafe-inline'" in w.get(path).headers["content-security-policy"], path


def test_the_case_page_templates_hold_no_inline_script_style_or_event_handler() -> None:
    pages = Path(__file__).resolve().parents[2] / "admin" / "templates" / "pages"
    for template in pages.glob("*.html"):
        text = template.read_text(encoding="utf-8")
        assert not re.search(r"<script(?![^>]*\bsrc=)", text), template.name
        assert not re.search(r"<style|\sstyle=|\son[a-z]+=", text), template.name


def test_ogi_serve_for_an_office_answers_only_to_its_host_names(sqlite_db: str) -> None:
    port = free_port()
    env = {"OGI_DATABASE_URL": sqlite_db, "OGI_SECRET_KEY": "k" * 64, "OGI_ALLOWED_HOSTS": "ogi.example.org"}
    proc = ogi("serve", "--host", "0.0.0.0", "--port", str(port), env=env)
    try:
        deadline, ours = time.monotonic() + 60, None
        while time.monotonic() < deadline and proc.poll() is None:
            try:
                ours = httpx.get(
                    f"http://127.0.0.1:{port}/login", headers={"host": "ogi.example.org"}, timeout=2
                )
                break
            except httpx.TransportError:
                time.sleep(0.2)
        assert ours is not None and ours.status_code == 200, proc.stderr.read() if proc.stderr else ""
        other = httpx.get(f"http://127.0.0.1:{port}/login", headers={"host": "evil.example"}, timeout=5)
        assert other.status_code == 400
    finally:
        proc.terminate()
        proc.wait(timeout=20)
