"""Celery workers as subprocesses (`celery -A tasks worker`, never eager mode) on the private
Redis of tests/fixtures/redis.py, with the real SMTP server of tests/fixtures/smtp.py."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest


@dataclass
class Workers:
    """Celery processes started by a test; each in its own process group, stopped by its id."""

    workdir: Path
    procs: list[subprocess.Popen[bytes]] = field(default_factory=list)

    def env(self, **extra: str) -> dict[str, str]:
        env = dict(os.environ)
        env.update(extra)
        return env

    def start(self, *args: str, log: str, **env: str) -> subprocess.Popen[bytes]:
        cmd = [sys.executable, "-m", "celery", "-A", "tasks", *args]
        with open(self.workdir / log, "ab") as out:
            p = subprocess.Popen(
                cmd,
                cwd=self.workdir,
                env=self.env(**env),
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,  # its own group: the pool children die with it
            )
        self.procs.append(p)
        return p

    def worker(
        self, name: str, *, beat: bool = False, concurrency: int = 2, **env: str
    ) -> subprocess.Popen[bytes]:
        args = ["worker", "-n", f"{name}@%h", f"--concurrency={concurrency}", "--loglevel=info"]
        args += ["--without-mingle", "--without-gossip"]
        return self.start(*args, *(["-B"] if beat else []), log=f"{name}.log", **env)

    def beat(self, name: str, **env: str) -> subprocess.Popen[bytes]:
        return self.start("beat", "--loglevel=info", log=f"{name}.log", **env)

    def kill(self, p: subprocess.Popen[bytes], sig: int = signal.SIGKILL) -> None:
        if p.poll() is None:
            os.killpg(p.pid, sig)
        p.wait(timeout=30)

    def stop_all(self) -> None:
        for p in self.procs:
            if p.poll() is None:
                os.killpg(p.pid, signal.SIGTERM)
        for p in self.procs:
            try:
                p.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(p.pid, signal.SIGKILL)
                p.wait(timeout=10)

    def log(self, name: str) -> str:
        path = self.workdir / f"{name}.log"
        return path.read_text(errors="replace") if path.exists() else ""


@pytest.fixture
def workers(tmp_path: Path) -> Iterator[Workers]:
    w = Workers(tmp_path)
    yield w
    w.stop_all()


@contextmanager
def publisher(url: str) -> Iterator[Any]:
    """A Celery app that only sends tasks by name to `url` (as beat or another service would)."""
    from celery import Celery

    app = Celery("test-publisher", broker=url)
    app.conf.update(task_serializer="json", accept_content=["json"])
    try:
        yield app
    finally:
        app.close()
