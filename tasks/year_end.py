"""Year-end tasks (January): build every organ's report for the year just ended, then close it."""

from __future__ import annotations

from typing import Any

from config.celery import YEAR_END_TIME_LIMIT
from reports import year_end
from tasks.celery_app import task
from workflow import clock


def _last_year(year: int | None) -> int:
    return year if year is not None else clock.today().year - 1


@task("ogi.year_end.build", time_limit=YEAR_END_TIME_LIMIT, soft_time_limit=YEAR_END_TIME_LIMIT - 60)
def build(year: int | None = None) -> list[dict[str, Any]]:
    return year_end.build_reports(_last_year(year))


@task("ogi.year_end.close", time_limit=YEAR_END_TIME_LIMIT, soft_time_limit=YEAR_END_TIME_LIMIT - 60)
def close(year: int | None = None) -> dict[str, list[str]]:
    return year_end.close_years(_last_year(year))
