"""Small helpers that tests share: an organ with people, and cases opened through the services."""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Callable
from typing import Any

from sqlalchemy import text
from sqlmodel import Session

from models.cases import Case
from models.db import get_engine, session_scope
from workflow.access import Actor
from workflow.directory import add_organ, add_user
from workflow.service import NewCase, advance, open_case

D = dt.date
TESTER = Actor("tester")


def organ_with_staff(code: str = "east", *, parent: str | None = None) -> None:
    with session_scope() as s:
        add_organ(s, code=code, name=f"{code} bureau", parent=parent)
        add_user(s, name=f"{code}-worker", organ=code, role="caseworker", email=f"worker@{code}.example.org")
        add_user(s, name=f"{code}-head", organ=code, role="supervisor", email=f"head@{code}.example.org")


def receive(received_on: dt.date, *, organ: str = "east", ref: str | None = None, **kw: Any) -> Case:
    with session_scope() as s:
        return open_case(
            s,
            NewCase(
                organ=organ,
                applicant_type=kw.pop("applicant_type", "natural_person"),
                applicant=kw.pop("applicant", "张三"),
                channel=kw.pop("channel", "online"),
                received_on=received_on,
                ref=ref,
                **kw,
            ),
            actor=TESTER,
        )


def step(ref: str, event: str, **params: Any) -> Case:
    raw = {k: (v.isoformat() if isinstance(v, dt.date) else v) for k, v in params.items()}
    with session_scope() as s:
        return advance(s, ref, event, raw, actor=TESTER)


def receive_args(
    received_on: str,
    *,
    organ: str = "east",
    applicant: str = "张三",
    applicant_type: str = "natural_person",
    **options: str,
) -> list[str]:
    """The arguments of `ogi case receive` for an online application; `options` add more
    (`ref="C-1"` gives `--ref C-1`)."""
    args = ["case", "receive", "--organ", organ, "--applicant-type", applicant_type]
    args += ["--applicant", applicant, "--channel", "online", "--received-on", received_on]
    for name, value in options.items():
        args += [f"--{name.replace('_', '-')}", value]
    return args


# --- two PostgreSQL sessions at once ---------------------------------------------------------------
class Beside(threading.Thread):
    """`work` in a second session of its own, named `app_name` in pg_stat_activity, on a thread; its
    return value or the exception it raised (its transaction then rolled back) is kept."""

    def __init__(self, app_name: str, work: Callable[[Session], Any]) -> None:
        super().__init__(daemon=True)
        self.app_name, self.work = app_name, work
        self.result: Any = None
        self.error: Exception | None = None

    def run(self) -> None:
        try:
            with session_scope() as s:
                s.execute(text("SELECT set_config('application_name', :a, false)"), {"a": self.app_name})
                self.result = self.work(s)
        except Exception as e:
            self.error = e

    def start_and_wait_until_blocked(self) -> Beside:
        """Start, and return once the session waits for a lock the caller's transaction holds (polling
        pg_stat_activity, no sleeps on a guess)."""
        self.start()
        q = text(
            "SELECT count(*) FROM pg_stat_activity WHERE application_name = :a AND wait_event_type = 'Lock'"
        )
        with get_engine().connect() as c:
            for _ in range(2000):
                if c.execute(q, {"a": self.app_name}).scalar():
                    return self
                c.execute(text("SELECT pg_sleep(0.005)"))
        raise AssertionError(f"{self.app_name} never waited for the first session's locks")
