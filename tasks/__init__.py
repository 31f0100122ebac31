"""Celery app, beat schedule and thin tasks calling workflow/ (issue 4)."""
