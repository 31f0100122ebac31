"""The Celery app, configured from the settings (config/celery.py)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from celery import Celery
from celery.signals import setup_logging as celery_setup_logging
from celery.signals import worker_process_init

from config.celery import configure
from config.i18n import _
from config.logging import setup_logging
from config.settings import ConfigError, get_settings
from models.db import get_engine

app = Celery("ogi")
try:
    configure(app, get_settings())
except ConfigError as e:  # a worker or beat started with a wrong setting: one line, not a traceback
    raise SystemExit(_("ogi: error: {message}", message=_("configuration: {problem}", problem=e))) from None


def task(name: str, **options: Any) -> Callable[[Callable[..., Any]], Any]:
    """`app.task` with an explicit name (the beat schedule and other processes refer to it)."""
    decorator: Callable[[Callable[..., Any]], Any] = app.task(name=name, **options)
    return decorator


def _fresh_connections(**_: Any) -> None:
    # a prefork child must not use the parent's pooled connections (sockets, SQLite handles);
    # close=False leaves them to the parent instead of closing them under it (SQLAlchemy's advice)
    get_engine().dispose(close=False)


worker_process_init.connect(_fresh_connections, weak=False)


def _logging(loglevel: str | int | None = None, **_: Any) -> None:
    # with a receiver on this signal Celery leaves logging alone: workers and beat log as the CLI does
    setup_logging(loglevel or "INFO", timestamps=True)


celery_setup_logging.connect(_logging, weak=False)
