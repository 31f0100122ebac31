"""The Celery settings the design depends on, the beat schedule, and the January year-end tasks."""

from __future__ import annotations

import datetime as dt

import pytest
from celery.schedules import crontab

from config.celery import TASK_TIME_LIMIT, YEAR_END_TIME_LIMIT, beat_schedule
from config.settings import Settings
from models.db import read_session, session_scope
from models.reports import ReportSnapshot
from reports import year_end
from tests.support import D, organ_with_staff, receive, step
from tests.workflow.sweep_support import on_day
from workflow.access import actor_for


def test_tasks_are_json_acked_late_one_at_a_time_and_redis_never_redelivers_a_running_task() -> None:
    from tasks import app

    c = app.conf
    assert (c.task_serializer, c.accept_content) == ("json", ["json"])
    assert (c.task_acks_late, c.task_reject_on_worker_lost, c.worker_prefetch_multiplier) == (True, True, 1)
    longest = max(TASK_TIME_LIMIT, YEAR_END_TIME_LIMIT)
    assert c.task_time_limit == TASK_TIME_LIMIT and c.task_soft_time_limit < c.task_time_limit
    assert c.broker_transport_options["visibility_timeout"] > longest
    assert c.timezone == "Asia/Shanghai"
    assert (
        c.beat_scheduler == "celery.beat:Scheduler"
    )  # no schedule file; every task decides from the database


def test_the_beat_schedule_sweeps_every_interval_and_schedules_no_deadline_as_a_delayed_task() -> None:
    from tasks import app

    schedule = beat_schedule(Settings(sweep_interval=120, digest_hour=7, year_close_day=20))
    assert {e["task"] for e in schedule.values()} <= set(app.tasks)
    assert schedule["deadline-sweep"]["schedule"] == dt.timedelta(seconds=120)
    assert schedule["outbox-relay"]["schedule"] <= dt.timedelta(seconds=120)
    for entry in schedule.values():
        assert not {"eta", "countdown"} & set(entry.get("options", {}))
    digest = schedule["daily-digest"]["schedule"]
    assert isinstance(digest, crontab) and digest.hour == {7} and digest.minute == {0}
    close = schedule["year-end-close"]["schedule"]
    assert close.month_of_year == {1} and close.day_of_month == set(range(20, 32))  # catches up after the day


@pytest.mark.usefixtures("sqlite_db")
def test_the_year_end_close_seals_each_organ_once_and_never_reseals_a_year_a_supervisor_reopened() -> None:
    pytest.importorskip("reports.closing")  # reports/ is another part of the product
    from reports.closing import reopen_year

    organ_with_staff("east")
    organ_with_staff("west")
    with on_day(D(2025, 3, 20)):
        receive(D(2025, 3, 3), ref="E-1", organ="east")
        step("E-1", "answer", on=D(2025, 3, 20), outcome="disclosed")
    with on_day(D(2026, 1, 20)):
        built = year_end.build_reports(2025)
        first = year_end.close_years(2025)
        second = year_end.close_years(2025)
        with session_scope() as s:
            reopen_year(s, "east", 2025, reason="数据更正", actor=actor_for(s, "east-head"))
        third = year_end.close_years(2025)
    assert [(b["organ"], b["failed_checks"]) for b in built] == [("east", []), ("west", [])]
    assert (first, second, third) == (
        {"closed": ["east", "west"], "refused": []},
        {"closed": [], "refused": []},
        {"closed": [], "refused": []},  # reopened by a person: closing it again is a person's act too
    )
    with read_session() as s:
        seals = s.exec(ReportSnapshot.__table__.select()).all()  # type: ignore[attr-defined]
    assert len(seals) == 2 and all(r.sealed_by == "system" for r in seals)
