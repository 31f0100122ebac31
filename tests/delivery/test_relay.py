"""The outbox relay against a real SMTP server: claim, send, mark sent; retries; never twice."""

from __future__ import annotations

import datetime as dt
import threading
from pathlib import Path
from typing import Any

import pytest
import time_machine
from sqlalchemy import text

from config.settings import get_settings
from delivery import outbox
from delivery.mail import FileMailer, compose, message_id
from models.db import get_engine, session_scope
from tests.fixtures.smtp import SmtpServer
from tests.support import D, organ_with_staff, receive
from tests.workflow.sweep_support import messages, on_day, sweep
from workflow import clock, reminders

REPLY_DUE = D(2026, 3, 30)


def due_case(ref: str = "R-1") -> None:
    """A case whose reply is due today (2026-03-30), with its reminder queued by the sweep."""
    organ_with_staff()
    with on_day(D(2026, 3, 2)):
        receive(D(2026, 3, 2), ref=ref, assignee="east-worker")
    with on_day(REPLY_DUE):
        sweep(REPLY_DUE)


def synthetic(n: int, prefix: str = "bulk") -> None:
    """n due messages not tied to a case (as digests are)."""
    now = clock.now()
    rows: list[dict[str, Any]] = [
        {
            "key": f"{prefix}:{i}",
            "case_id": None,
            "kind": "digest",
            "due_on": None,
            "offset_days": None,
            "recipient": f"user{i}@example.org",
            "subject": f"消息 {i}",
            "body": f"正文 {prefix}:{i}\n",
            "status": "pending",
            "attempts": 0,
            "next_attempt_at": now,
            "created_at": now,
        }
        for i in range(n)
    ]
    with session_scope() as s:
        assert reminders.queue(s, rows) == n


@pytest.mark.usefixtures("any_db")
def test_the_relay_sends_a_due_reminder_once_and_marks_it_sent(smtp: SmtpServer) -> None:
    due_case()
    with on_day(REPLY_DUE):
        first = outbox.relay()
        second = outbox.relay()
    [mail] = smtp.messages
    [row] = messages("R-1")
    assert (first.sent, second.sent) == (1, 0)
    assert (row.status, row.attempts, row.sent_at is not None) == ("sent", 1, True)
    assert mail["To"] == "worker@east.example.org" and mail["X-OGI-Case"] == "R-1"
    assert mail["Message-ID"] == message_id(row.key, get_settings().mail_from)
    body = mail.get_payload(decode=True).decode()
    assert "2026-03-30" in body and "ogi case advance R-1 answer" in body


@pytest.mark.usefixtures("any_db")
def test_concurrent_relays_send_every_message_exactly_once(smtp: SmtpServer) -> None:
    synthetic(300)
    results: list[outbox.RelayResult] = []
    start = threading.Barrier(4)

    def run() -> None:
        start.wait()
        results.append(outbox.relay(batch=20))

    threads = [threading.Thread(target=run) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    ids = [m["Message-ID"] for m in smtp.messages]
    assert len(ids) == 300 and len(set(ids)) == 300
    assert sum(r.sent for r in results) == 300
    assert {m.status for m in messages()} == {"sent"}


@pytest.mark.usefixtures("sqlite_db")
def test_an_unreachable_smtp_server_backs_off_then_the_message_is_delivered_once(
    smtp: SmtpServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("OGI_SMTP_RETRY_BASE", "30")
    get_settings.cache_clear()
    synthetic(3)
    smtp.stop()  # the port is closed: connection refused
    with time_machine.travel(clock.now(), tick=False) as t:
        down = outbox.relay()
        again = outbox.relay()  # backing off: not even tried
        assert (down.retried, again.retried, again.sent) == (3, 0, 0)
        assert {(m.status, m.attempts) for m in messages()} == {("pending", 1)}
        t.shift(dt.timedelta(seconds=29))
        assert outbox.relay().retried == 0
        t.shift(dt.timedelta(seconds=2))
        assert outbox.relay().retried == 3  # 2nd attempt after 30 s; the next after 60 s
        t.shift(dt.timedelta(seconds=61))
        smtp.start()
        back = outbox.relay()
    assert back.sent == 3 and len(smtp.messages) == 3
    assert {(m.status, m.attempts) for m in messages()} == {("sent", 3)}


@pytest.mark.usefixtures("sqlite_db")
def test_a_refusal_for_good_fails_at_once_and_an_operator_can_queue_it_again(smtp: SmtpServer) -> None:
    synthetic(1)
    smtp.handler.refuse = "550 5.1.1 no such user"
    result = outbox.relay()
    [row] = messages()
    assert (result.failed, row.status, row.attempts) == (1, "failed", 1)
    assert "550" in (row.last_error or "")
    smtp.handler.refuse = None
    with session_scope() as s:
        assert outbox.retry_failed(s) == 1
    assert outbox.relay().sent == 1 and len(smtp.messages) == 1


@pytest.mark.usefixtures("sqlite_db")
def test_temporary_refusals_of_a_message_stop_after_the_configured_retries(
    smtp: SmtpServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("OGI_SMTP_MAX_RETRIES", "2")
    get_settings.cache_clear()
    synthetic(1)
    smtp.handler.refuse = "451 4.7.1 greylisted, try again later"
    with time_machine.travel(clock.now(), tick=False) as t:
        statuses = []
        for _ in range(3):
            outbox.relay()
            [row] = messages()
            statuses.append((row.status, row.attempts))
            t.shift(dt.timedelta(hours=1))
    assert statuses == [("pending", 1), ("pending", 2), ("failed", 3)]
    assert smtp.messages == []


@pytest.mark.usefixtures("sqlite_db")
def test_a_reminder_whose_deadline_changed_after_it_was_queued_is_cancelled_not_sent(
    smtp: SmtpServer,
) -> None:
    due_case("MOVED")
    # another transaction moved the deadline without the service (no hook ran): the relay checks
    with get_engine().begin() as c:
        c.execute(text("UPDATE \"case\" SET reply_due = '2026-04-30' WHERE ref = 'MOVED'"))
    with on_day(REPLY_DUE):
        result = outbox.relay()
    assert (result.sent, result.cancelled) == (0, 1)
    assert [m.status for m in messages("MOVED")] == ["cancelled"] and smtp.messages == []


@pytest.mark.usefixtures("sqlite_db")
def test_a_claim_abandoned_by_a_dead_relay_is_reclaimed_later_and_sent_once_with_the_same_message_id(
    smtp: SmtpServer,
) -> None:
    synthetic(2)
    with time_machine.travel(clock.now(), tick=False) as t:
        claimed, _ = outbox.claim(worker="dead-relay", limit=1)  # then it died: never sent, never marked
        assert outbox.relay().sent == 1  # the other message goes; the claimed one is left alone …
        t.shift(outbox.CLAIM_TIMEOUT - dt.timedelta(seconds=1))
        assert outbox.relay().sent == 0  # … while its claim may still be alive
        t.shift(dt.timedelta(seconds=2))
        assert outbox.relay().sent == 1  # … and reclaimed once it is stale
    assert len(smtp.messages) == 2
    resent = [m for m in smtp.messages if m["X-OGI-Outbox-Key"] == claimed[0].key]
    assert [m["Message-ID"] for m in resent] == [message_id(claimed[0].key, get_settings().mail_from)]


@pytest.mark.usefixtures("sqlite_db")
def test_without_smtp_each_message_is_one_eml_file_and_a_resend_rewrites_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("OGI_SMTP_URL", raising=False)
    monkeypatch.setenv("OGI_OUTBOX_DIR", str(tmp_path / "mail"))
    get_settings.cache_clear()
    due_case("EML")
    with on_day(REPLY_DUE):
        assert outbox.relay().sent == 1
    [row] = messages("EML")
    files = list((tmp_path / "mail").glob("*.eml"))
    assert len(files) == 1 and b"EML" in files[0].read_bytes()
    # the at-least-once window: sent again after a crash before the commit → the same file
    again = compose(key=row.key, recipient=row.recipient, subject=row.subject, body=row.body, mail_from="a@b")
    FileMailer(tmp_path / "mail").send(again)
    assert list((tmp_path / "mail").glob("*.eml")) == files


@pytest.mark.usefixtures("sqlite_db")
def test_a_due_today_reminder_that_waited_past_its_day_is_cancelled_and_the_overdue_notice_goes_instead(
    smtp: SmtpServer,
) -> None:
    due_case("WAITED")  # "due today" queued on 03-30; the mail server was down all day
    with on_day(D(2026, 3, 31)):
        sweep(D(2026, 3, 31))
        result = outbox.relay()
    assert [(m.kind, m.status) for m in messages("WAITED")] == [
        ("reply_due", "cancelled"),
        ("overdue", "sent"),
        ("overdue", "sent"),
    ]
    assert result.sent == 2 and {m["To"] for m in smtp.about("WAITED")} == {
        "head@east.example.org",
        "worker@east.example.org",
    }
