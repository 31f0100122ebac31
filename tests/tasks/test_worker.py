"""Real Celery workers (subprocesses) on Redis, a real SMTP server, and the faults of issue 4 §8.

In every test each due reminder arrives exactly once. The workers run on today's real date, so
the cases are dated relative to it; the broker is this test session's private redis-server (or one
that a test stops and restarts), never the machine's shared Redis.
"""

from __future__ import annotations

import datetime as dt
import re
import signal
import uuid

import pytest
import time_machine
from sqlalchemy import delete

from config.settings import get_settings
from delivery import outbox
from models.calendar import CalendarDay, CalendarYear
from models.db import session_scope
from tests.fixtures import free_port, wait_for
from tests.fixtures.redis import ThrowawayRedis
from tests.fixtures.smtp import SmtpServer
from tests.support import TESTER, organ_with_staff, receive
from tests.tasks.conftest import Workers, publisher
from tests.workflow.sweep_support import case, due_soon, events, messages, received_for_reply_due_in, sweep
from workflow import calendar as wcal
from workflow import clock
from workflow.calendar_store import seed_from_package
from workflow.service import NewCase, advance, open_case

pytestmark = [pytest.mark.redis, pytest.mark.slow, pytest.mark.usefixtures("sqlite_db")]

FAST = {"OGI_SWEEP_INTERVAL": "1"}


def succeeded(workers: Workers, name: str, task: str = "ogi.deadlines.sweep") -> int:
    return len(re.findall(re.escape(task) + r"\[[^]]+\] succeeded", workers.log(name)))


def sweeps_done(workers: Workers, name: str) -> int:
    return succeeded(workers, name)


def test_a_worker_with_embedded_beat_emails_one_reminder_for_a_case_due_soon_and_never_a_second(
    broker: str, smtp: SmtpServer, workers: Workers
) -> None:
    organ_with_staff()
    due_soon("RM-1")
    workers.worker("w1", beat=True, **FAST)
    wait_for("the reminder email", lambda: smtp.about("RM-1"), timeout=60)
    done = sweeps_done(workers, "w1")
    wait_for("five more sweeps", lambda: sweeps_done(workers, "w1") >= done + 5, timeout=60)
    [mail] = smtp.about("RM-1")
    assert mail["To"] == "worker@east.example.org"
    assert [m.status for m in messages("RM-1")] == ["sent"]


def test_the_same_sweep_task_delivered_twice_sends_each_reminder_once(
    broker: str, smtp: SmtpServer, workers: Workers
) -> None:
    organ_with_staff()
    due_soon("TW-1", "TW-2")
    workers.worker("w1", concurrency=2)
    task_id = str(uuid.uuid4())
    with publisher(broker) as app:
        for _ in range(2):  # a redelivery: the same message twice, handled concurrently
            app.send_task("ogi.deadlines.sweep", task_id=task_id)
    wait_for("both deliveries to run", lambda: sweeps_done(workers, "w1") == 2, timeout=60)
    wait_for("the reminders", lambda: smtp.about("TW-1") and smtp.about("TW-2"), timeout=60)
    relays = succeeded(workers, "w1", "ogi.outbox.relay")
    with publisher(broker) as app:
        app.send_task("ogi.outbox.relay")
    wait_for("one more relay", lambda: succeeded(workers, "w1", "ogi.outbox.relay") > relays, timeout=30)
    assert (len(smtp.about("TW-1")), len(smtp.about("TW-2"))) == (1, 1)


def test_two_beats_at_once_still_send_each_reminder_once(
    broker: str, smtp: SmtpServer, workers: Workers
) -> None:
    organ_with_staff()
    refs = [f"TB-{i}" for i in range(3)]
    due_soon(*refs)
    workers.beat("beat1", **FAST)
    workers.beat("beat2", **FAST)
    workers.worker("w1", concurrency=3, **FAST)
    wait_for("every reminder", lambda: all(smtp.about(r) for r in refs), timeout=60)
    wait_for("ten sweeps from the two beats", lambda: sweeps_done(workers, "w1") >= 10, timeout=60)
    assert [len(smtp.about(r)) for r in refs] == [1, 1, 1]
    assert len({m["Message-ID"] for m in smtp.messages}) == len(smtp.messages) == 3


def test_a_worker_killed_mid_send_loses_nothing_and_the_message_goes_once(
    broker: str, smtp: SmtpServer, workers: Workers
) -> None:
    organ_with_staff()
    due_soon("KILL")
    sweep(clock.today())
    [row] = messages("KILL")
    smtp.handler.hold.clear()  # the SMTP conversation stops at RCPT: the worker is mid-send
    w = workers.worker("w1", concurrency=1)
    with publisher(broker) as app:
        app.send_task("ogi.outbox.relay")
    assert smtp.handler.rcpt_seen.wait(timeout=60)
    workers.kill(w, signal.SIGKILL)
    smtp.handler.hold.set()
    [claimed] = messages("KILL")
    assert (claimed.status, smtp.messages) == ("sending", [])  # not lost: still claimed, unsent
    with time_machine.travel(clock.now() + outbox.CLAIM_TIMEOUT + dt.timedelta(seconds=1), tick=False):
        result = outbox.relay()  # the next relay, once the dead worker's claim is stale
    assert result.sent == 1
    [mail] = smtp.about("KILL")
    assert mail["X-OGI-Outbox-Key"] == row.key
    assert [m.status for m in messages("KILL")] == ["sent"]


def test_redis_stopped_while_a_caseworker_records_an_event_the_event_commits_and_the_reminder_follows_once(
    throwaway_redis: ThrowawayRedis, smtp: SmtpServer, workers: Workers
) -> None:
    organ_with_staff()
    submitted = received_for_reply_due_in(1)
    with session_scope() as s:
        opened = NewCase(
            organ="east",
            applicant_type="natural_person",
            applicant="张三",
            channel="ordinary_mail",
            submitted_on=submitted,
            ref="OUT",
            assignee="east-worker",
        )
        open_case(s, opened, actor=TESTER)
    w = workers.worker("w1", beat=True, **FAST)
    wait_for("the worker to sweep", lambda: sweeps_done(workers, "w1") >= 1, timeout=60)
    throwaway_redis.stop()
    # the caseworker confirms the receipt: the reply turns out to be due tomorrow
    with session_scope() as s:
        advance(s, "OUT", "confirm_receipt", {"on": submitted.isoformat()}, actor=TESTER)
    assert case("OUT").state == "received"
    assert [m.status for m in messages("OUT")] == ["pending"]  # queued with the event, no broker needed
    throwaway_redis.start()
    wait_for("the reminder after Redis returned", lambda: smtp.about("OUT"), timeout=90)
    done = sweeps_done(workers, "w1")
    wait_for("more sweeps", lambda: sweeps_done(workers, "w1") >= done + 3, timeout=60)
    assert len(smtp.about("OUT")) == 1 and w.poll() is None


def test_an_smtp_server_down_for_a_while_gets_each_reminder_once_when_it_is_back(
    broker: str, workers: Workers, monkeypatch: pytest.MonkeyPatch
) -> None:
    server = SmtpServer(free_port())  # not started: connections are refused
    monkeypatch.setenv("OGI_SMTP_URL", server.url)
    get_settings.cache_clear()
    organ_with_staff()
    due_soon("SMTP")
    workers.worker("w1", beat=True, OGI_SMTP_RETRY_BASE="1", **FAST)
    wait_for("two failed attempts", lambda: [m for m in messages("SMTP") if m.attempts >= 2], timeout=60)
    assert messages("SMTP")[0].status in ("pending", "sending")
    server.start()
    try:
        wait_for("the reminder", lambda: server.about("SMTP"), timeout=60)
        done = sweeps_done(workers, "w1")
        wait_for("more sweeps", lambda: sweeps_done(workers, "w1") >= done + 3, timeout=60)
        assert len(server.about("SMTP")) == 1
        assert "connect" in (messages("SMTP")[0].last_error or "connect")
    finally:
        server.stop()


def test_the_calendar_task_recomputes_open_cases_on_a_worker_and_drops_the_provisional_flag(
    broker: str, workers: Workers
) -> None:
    organ_with_staff()
    with session_scope() as s:  # as if the State Council had not yet published 2026's arrangement
        s.execute(delete(CalendarDay).where(CalendarDay.year == 2026))  # type: ignore[arg-type]
        s.execute(delete(CalendarYear).where(CalendarYear.year == 2026))  # type: ignore[arg-type]
    wcal.reset_default_calendar()
    receive(dt.date(2026, 10, 9), ref="CAL", assignee="east-worker")
    before = case("CAL")
    assert (before.reply_due, before.provisional) == (dt.date(2026, 11, 6), True)  # weekends only
    with session_scope() as s:
        assert [a.year for a in seed_from_package(s)] == [2026]  # the data arrives (no recomputation yet)
    workers.worker("w1")
    with publisher(broker) as app:
        app.send_task("ogi.calendar.recompute", args=[2026])
    wait_for("the recomputation", lambda: not case("CAL").provisional, timeout=60)
    assert case("CAL").reply_due == dt.date(2026, 11, 5)  # Saturday 10-10 was a make-up working day
    assert events("CAL")[-1][0::2] == ("deadlines_recomputed", "system")
