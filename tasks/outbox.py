"""The outbox relay task: sends what the sweep and the caseworkers' events queued."""

from __future__ import annotations

import logging
from typing import Any

from kombu.exceptions import OperationalError

from config.celery import relay_interval
from config.settings import get_settings
from delivery import outbox
from tasks.celery_app import task

log = logging.getLogger(__name__)


@task("ogi.outbox.relay")
def relay() -> dict[str, Any]:
    return outbox.relay().summary()


def enqueue_relay() -> None:
    """Ask for a relay now. Best effort: if the broker is away, the periodic relay sends them."""
    try:
        relay.apply_async(expires=relay_interval(get_settings()) * 2)
    except OperationalError as e:
        log.warning("relay not enqueued (%s); the periodic relay will send the messages", e)
