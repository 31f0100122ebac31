"""Celery app, beat schedule and thin tasks calling workflow/ (issue 4).

`celery -A tasks worker` / `celery -A tasks beat` find the app here as `app`.
"""

from tasks import deadlines, outbox, year_end
from tasks.celery_app import app

__all__ = ["app", "deadlines", "outbox", "year_end"]
