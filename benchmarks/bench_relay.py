"""relay: the outbox relay sending real reminders to a real local SMTP server (aiosmtpd).

The reminders are the ones the deadline sweep queues for the small sweep set (its due cases:
reminders to the assignees, escalations to the supervisors), committed this time. The relay
(`delivery.outbox.relay`, the body of the Celery relay task) claims them in batches, sends each
over one SMTP session per batch and marks each sent in its own transaction. Baseline: the same
messages composed and sent by a bare smtplib loop over one connection, with no database at all
(the floor the mail server sets). The server must receive every message exactly once.
Target: at least 200 messages a second.
"""

from __future__ import annotations

import datetime as dt
import os
import smtplib
import socket
import threading
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import time_machine
from aiosmtpd.controller import Controller
from sqlalchemy import and_, func
from sqlmodel import col, select

from benchmarks.core import Result, Sizes, Target, count
from benchmarks.data import DataSet, Datasets
from benchmarks.generate import TODAY
from config.settings import get_settings
from delivery.mail import compose
from delivery.outbox import relay
from models.db import read_session, session_scope
from models.outbox import OutboxMessage
from workflow import clock
from workflow.sweep import sweep


class Inbox:
    """An aiosmtpd handler that keeps the Message-ID of every message it accepts."""

    def __init__(self) -> None:
        self.ids: list[str] = []
        self.lock = threading.Lock()

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        content = envelope.content.decode("utf-8", errors="replace")
        mid = next(
            (
                ln.split(":", 1)[1].strip()
                for ln in content.splitlines()
                if ln.lower().startswith("message-id:")
            ),
            "",
        )
        with self.lock:
            self.ids.append(mid)
        return "250 OK"


@contextmanager
def smtp_server() -> Iterator[tuple[Controller, Inbox]]:
    inbox = Inbox()
    with socket.socket() as probe:  # a free port on the loopback
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield controller, inbox
    finally:
        controller.stop()


@contextmanager
def smtp_settings(port: int) -> Iterator[None]:
    old = os.environ.get("OGI_SMTP_URL")
    os.environ["OGI_SMTP_URL"] = f"smtp://127.0.0.1:{port}"
    get_settings.cache_clear()
    try:
        yield
    finally:
        if old is None:
            os.environ.pop("OGI_SMTP_URL", None)
        else:
            os.environ["OGI_SMTP_URL"] = old
        get_settings.cache_clear()


def due_now() -> Any:
    # the data set was imported at the real time, and the import queued the reminders its open cases
    # were due for then: under this benchmark's clock (the generation day) those are not due yet
    return and_(col(OutboxMessage.status) == "pending", col(OutboxMessage.next_attempt_at) <= clock.now())


def queue_reminders() -> int:
    with session_scope() as s:
        sweep(s, today=TODAY)
    with read_session() as s:
        return int(s.exec(select(func.count()).where(due_now())).one())


def raw_send(port: int, rows: list[OutboxMessage]) -> float:
    mail_from = get_settings().mail_from
    start = time.perf_counter()
    smtp = smtplib.SMTP("127.0.0.1", port)
    for m in rows:
        smtp.send_message(
            compose(key=m.key, recipient=m.recipient, subject=m.subject, body=m.body, mail_from=mail_from)
        )
    smtp.quit()
    return time.perf_counter() - start


def run(sizes: Sizes, data: Datasets) -> list[Result]:
    small = data.small()
    # the sweep and the relay run on the day the data was generated for (the clock ticking on from
    # its noon): on a later real day "due today" reminders would be stale, and rightly dropped
    with time_machine.travel(dt.datetime.combine(TODAY, dt.time(12), get_settings().tz), tick=True):
        return _run(small)


def _run(small: DataSet) -> list[Result]:
    n = queue_reminders()
    with read_session() as s:
        rows = list(s.exec(select(OutboxMessage).where(due_now())))
    with smtp_server() as (controller, inbox):
        t_raw = raw_send(controller.port, rows)
        inbox.ids.clear()
        with smtp_settings(controller.port):
            start = time.perf_counter()
            result = relay(max_seconds=600)
            t_relay = time.perf_counter() - start
        received = list(inbox.ids)
    twice = [m for m, k in Counter(received).items() if k > 1]
    # a reminder whose deadline changed after it was queued is cancelled by the relay, not sent
    if result.sent + result.cancelled != n or len(received) != result.sent or twice:
        raise RuntimeError(
            f"of {n} queued the relay sent {result.sent} and cancelled {result.cancelled}; "
            f"the server received {len(received)} ({len(twice)} twice)"
        )
    n = result.sent
    ours, floor = n / t_relay, len(rows) / t_raw
    return [
        Result(
            benchmark="relay",
            name="outbox relay → aiosmtpd",
            figure=ours,
            unit="msg/s",
            baseline_name="bare smtplib loop, one connection, no database",
            baseline=floor,
            baseline_unit="msg/s",
            ratio=ours / floor,
            ratio_means="relay rate / bare SMTP rate",
            target=Target("figure", ">=", 200),
            size=count(n, "reminders") + f" queued by the sweep of {count(small.cases, 'cases')}",
            notes=(
                f"each received exactly once; {result.cancelled} stale ones cancelled instead; "
                f"{t_relay:,.2f} s vs {t_raw:,.2f} s"
            ),
        )
    ]
