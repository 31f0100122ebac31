"""Today, in the office's time zone: every date the law cares about is a business date there."""

from __future__ import annotations

import datetime as dt

from config.settings import get_settings


def now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def today() -> dt.date:
    return now().astimezone(get_settings().tz).date()
