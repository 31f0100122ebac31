"""The README's walkthrough runs as written: its ```bash walkthrough blocks, in order, in an empty
folder holding only a copy of examples/, with a fresh SQLite database and the installed `ogi`;
then the user whose password it set logs in to the web admin. The README cannot drift from the
product without this test failing."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import warnings
from pathlib import Path

import pytest

from tests.cli_support import OGI

ROOT = Path(__file__).resolve().parents[1]
README = ROOT / "README.md"
BLOCK = re.compile(r"^```bash walkthrough\n(.*?)^```$", re.S | re.M)
# the line that sets a password from a script:
# printf '%s\n' 'PASSWORD' | ogi user passwd NAME --password-stdin
PASSWORD_LINE = re.compile(
    r"printf '%s\\n' '(?P<password>[^']+)' \| ogi user passwd (?P<name>\S+) --password-stdin"
)


def walkthrough_blocks(text: str) -> list[str]:
    return BLOCK.findall(text)


def test_the_readme_marks_its_walkthrough_and_it_sets_a_password() -> None:
    blocks = walkthrough_blocks(README.read_text(encoding="utf-8"))
    assert len(blocks) >= 3
    assert blocks[0].lstrip().startswith("ogi db upgrade")
    assert PASSWORD_LINE.search("\n".join(blocks))
    assert all("examples/" not in b or (ROOT / "examples").is_dir() for b in blocks)


@pytest.mark.slow
def test_every_walkthrough_block_exits_0_in_an_empty_folder_and_the_admin_then_logs_in(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocks = walkthrough_blocks(README.read_text(encoding="utf-8"))
    shutil.copytree(ROOT / "examples", tmp_path / "examples")
    env = {k: v for k, v in os.environ.items() if not k.startswith("OGI_")}  # the defaults, as a new user
    env["PATH"] = f"{Path(OGI).parent}{os.pathsep}{env.get('PATH', '')}"  # the installed `ogi` first
    for n, block in enumerate(blocks, 1):
        done = subprocess.run(
            ["bash", "-euo", "pipefail", "-xc", block],
            cwd=tmp_path,
            env=env,
            capture_output=True,
            text=True,
            timeout=600,
        )
        assert done.returncode == 0, f"walkthrough block {n} failed:\n{done.stderr[-3000:]}"
    assert (tmp_path / "ogi.db").exists(), "the default database, in the folder the walkthrough ran in"
    login = PASSWORD_LINE.search("\n".join(blocks))
    assert login is not None
    assert logs_in(monkeypatch, f"sqlite:///{tmp_path / 'ogi.db'}", login["name"], login["password"])


def logs_in(monkeypatch: pytest.MonkeyPatch, url: str, name: str, password: str) -> bool:
    """A login through the web admin's own form (HTTP to the ASGI app), then the dashboard."""
    from tests.conftest import use_database

    use_database(monkeypatch, url)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from starlette.testclient import TestClient

    from admin.app import create_app

    client = TestClient(create_app(), follow_redirects=False)
    page = client.get("/login")
    token = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
    assert token, page.text[:300]
    form = {"name": name, "password": password, "next": "/", "csrf_token": token.group(1)}
    answer = client.post("/login", data=form)
    if answer.status_code != 303:
        return False
    home = client.get("/")
    return home.status_code == 200 and name in home.text


if __name__ == "__main__":  # print the walkthrough as a script (for a look, or a CI step)
    sys.stdout.write("\n".join(walkthrough_blocks(README.read_text(encoding="utf-8"))))
