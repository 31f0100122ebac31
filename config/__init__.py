"""Wiring only: settings, Celery configuration, logging, the official fonts and their fontconfig mapping."""
