"""Wiring only: settings, Celery configuration, logging."""
