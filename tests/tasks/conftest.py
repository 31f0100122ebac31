"""The real things deadline enforcement runs on: an SMTP server (aiosmtpd) receiving real
messages, Redis (database 13 of the machine's server, or a throwaway server for outage tests),
and Celery workers as subprocesses (`celery -A tasks worker`, never eager mode)."""

from __future__ import annotations

import asyncio
import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from email import message_from_bytes
from email.message import Message
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller

from config.settings import get_settings
from tests.conftest import require_service

REDIS_TEST_URL = "redis://127.0.0.1:6379/13"  # database 13 is this suite's; only it is flushed


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_for(what: str, check: Callable[[], Any], timeout: float = 60.0, every: float = 0.1) -> Any:
    """Poll until `check()` is truthy (a condition, not a guessed sleep); fail naming `what`."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = check()
        if value:
            return value
        time.sleep(every)
    raise AssertionError(f"timed out after {timeout:.0f}s waiting for {what}")


# --- SMTP --------------------------------------------------------------------------------------
class Recorder:
    """An aiosmtpd handler that keeps every accepted message; it can refuse, or hold a send open."""

    def __init__(self) -> None:
        self.messages: list[Message] = []
        self.refuse: str | None = None  # e.g. "550 no such user" for every recipient
        self.hold = threading.Event()  # while cleared, RCPT waits (a send caught mid-way)
        self.hold.set()
        self.rcpt_seen = threading.Event()

    async def handle_RCPT(self, server: Any, session: Any, envelope: Any, address: str, options: Any) -> str:
        self.rcpt_seen.set()
        if self.refuse:
            return self.refuse
        await asyncio.get_running_loop().run_in_executor(None, self.hold.wait)
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.messages.append(message_from_bytes(envelope.original_content or envelope.content))
        return "250 Message accepted for delivery"


@dataclass
class SmtpServer:
    port: int
    handler: Recorder = field(default_factory=Recorder)
    controller: Controller | None = None

    @property
    def url(self) -> str:
        return f"smtp://127.0.0.1:{self.port}"

    def start(self) -> None:
        self.controller = Controller(self.handler, hostname="127.0.0.1", port=self.port)
        self.controller.start()

    def stop(self) -> None:
        if self.controller is not None:
            self.handler.hold.set()
            self.controller.stop()
            self.controller = None

    @property
    def messages(self) -> list[Message]:
        return list(self.handler.messages)

    def about(self, ref: str) -> list[Message]:
        return [m for m in self.messages if m["X-OGI-Case"] == ref]


@pytest.fixture
def smtp(monkeypatch: pytest.MonkeyPatch) -> Iterator[SmtpServer]:
    server = SmtpServer(free_port())
    server.start()
    monkeypatch.setenv("OGI_SMTP_URL", server.url)
    get_settings.cache_clear()
    yield server
    server.stop()
    get_settings.cache_clear()


# --- Redis -------------------------------------------------------------------------------------
def _redis_ping(url: str) -> tuple[bool, str]:
    import redis

    try:
        redis.Redis.from_url(url, socket_connect_timeout=2).ping()
        return True, ""
    except Exception as e:  # any failure to connect means "not here"
        return False, str(e).splitlines()[0]


@pytest.fixture
def redis13(monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """Database 13 of the machine's Redis, empty, as OGI_BROKER_URL."""
    import redis

    ok, why = _redis_ping(REDIS_TEST_URL)
    require_service("Redis", ok, why or REDIS_TEST_URL)
    r = redis.Redis.from_url(REDIS_TEST_URL)
    r.flushdb()
    monkeypatch.setenv("OGI_BROKER_URL", REDIS_TEST_URL)
    get_settings.cache_clear()
    yield REDIS_TEST_URL
    r.flushdb()
    get_settings.cache_clear()


@dataclass
class ThrowawayRedis:
    """A private redis-server (never the machine's), so a test may stop and restart it."""

    port: int
    workdir: Path
    proc: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        exe = shutil.which("redis-server")
        assert exe is not None
        self.proc = subprocess.Popen(
            [exe, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
            cwd=self.workdir,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        wait_for("the throwaway Redis to answer", lambda: _redis_ping(self.url)[0], timeout=20)

    def stop(self) -> None:
        if self.proc is not None:
            self.proc.terminate()
            self.proc.wait(timeout=20)
            self.proc = None


@pytest.fixture
def throwaway_redis(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[ThrowawayRedis]:
    require_service("redis-server", shutil.which("redis-server") is not None, "redis-server is not installed")
    server = ThrowawayRedis(free_port(), tmp_path)
    server.start()
    monkeypatch.setenv("OGI_BROKER_URL", server.url)
    get_settings.cache_clear()
    yield server
    server.stop()
    get_settings.cache_clear()


# --- Celery workers ----------------------------------------------------------------------------
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
