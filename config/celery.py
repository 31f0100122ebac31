"""Celery wiring: every setting explicit, each with the reason it is set (DESIGN §7).

Only wiring lives here; the tasks are in tasks/ and the rules in workflow/.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from celery import Celery
from celery.schedules import crontab

from config.settings import Settings

# the only broker this product supports; used when OGI_BROKER_URL is not set (a local Redis)
DEFAULT_BROKER = "redis://127.0.0.1:6379/0"
# a task's hard limit; the relay stops taking new batches well before it (delivery.outbox.relay)
TASK_TIME_LIMIT = 300
# the year-end report build and close walk every organ; they get longer
YEAR_END_TIME_LIMIT = 1800
# the relay looks for due outbox rows at least this often (retries after a backoff, rows that a
# caseworker's event queued between two sweeps); cheap: one indexed query when nothing is due
RELAY_MAX_INTERVAL = 30


def relay_interval(settings: Settings) -> int:
    return max(1, min(settings.sweep_interval, RELAY_MAX_INTERVAL))


def beat_schedule(settings: Settings) -> dict[str, dict[str, Any]]:
    """Periodic work only. No deadline is ever an ETA/countdown task: with Redis, a task delayed
    past the visibility timeout is delivered again and again. The sweep finds due cases by date."""
    sweep = settings.sweep_interval
    relay = relay_interval(settings)
    return {
        "deadline-sweep": {
            "task": "ogi.deadlines.sweep",
            "schedule": dt.timedelta(seconds=sweep),
            # a sweep not started before the next one is due is useless: drop it, do not pile up
            "options": {"expires": sweep},
        },
        "outbox-relay": {
            "task": "ogi.outbox.relay",
            "schedule": dt.timedelta(seconds=relay),
            "options": {"expires": relay},
        },
        "daily-digest": {
            "task": "ogi.deadlines.digest",
            "schedule": crontab(minute=0, hour=settings.digest_hour),
            "options": {"expires": 3600},
        },
        # the year just ended: reports built in early January, the year closed on the configured
        # day; the close runs every day after it too (idempotent: organs already sealed are
        # skipped), so a beat that was down that night catches up
        "year-end-build": {
            "task": "ogi.year_end.build",
            "schedule": crontab(minute=0, hour=2, day_of_month=settings.report_build_day, month_of_year=1),
        },
        "year-end-close": {
            "task": "ogi.year_end.close",
            "schedule": crontab(
                minute=0, hour=3, day_of_month=f"{settings.year_close_day}-31", month_of_year=1
            ),
        },
    }


def configure(app: Celery, settings: Settings) -> None:
    app.conf.update(
        broker_url=settings.broker_url or DEFAULT_BROKER,
        # results are never read (tasks report through logs and the database): no result backend
        result_backend=None,
        task_ignore_result=True,
        # JSON only: a pickled message from the broker could execute code in the worker
        task_serializer="json",
        result_serializer="json",
        accept_content=["json"],
        # acknowledge after the task ran, so a worker killed mid-task does not lose it; safe because
        # every task is idempotent (unique outbox keys, compare-and-set on cases, claimed rows)
        task_acks_late=True,
        # ... and a task whose worker process died is requeued at once, not only after the timeout
        task_reject_on_worker_lost=True,
        # take one task at a time: with acks_late a prefetched task would wait behind a long one
        worker_prefetch_multiplier=1,
        # a hung SMTP server or database must not hold a worker forever; the soft limit lets the
        # relay put unsent rows back before the hard kill
        task_soft_time_limit=TASK_TIME_LIMIT - 30,
        task_time_limit=TASK_TIME_LIMIT,
        # Redis redelivers an unacknowledged task after the visibility timeout: it must exceed the
        # longest task (and we never use ETA/countdown, which it would also cut short)
        broker_transport_options={"visibility_timeout": 2 * YEAR_END_TIME_LIMIT},
        # keep retrying the broker at start-up and after Redis restarts (Celery ≥ 5.3 asks explicitly)
        broker_connection_retry_on_startup=True,
        broker_connection_max_retries=None,
        # crontab entries (digest hour, year-end days) are in the office's time zone
        timezone=settings.timezone,
        enable_utc=True,
        # beat keeps its schedule in memory: every task decides from the database what is due, so
        # a restarted or second beat loses nothing, and no schedule file is written anywhere
        beat_scheduler="celery.beat:Scheduler",
        beat_schedule=beat_schedule(settings),
        # beat wakes at least this often (seconds), so a short OGI_SWEEP_INTERVAL is honoured
        beat_max_loop_interval=min(settings.sweep_interval, 60),
        # send task events for `celery events` / flower monitoring
        worker_send_task_events=True,
        task_send_sent_event=True,
        # a task that raises is logged with its traceback, and is not retried by Celery: the
        # next scheduled run is the retry (work is found by date, not by message)
        task_track_started=False,
    )
