"""Jinja2 templates of the emails the outbox sends (plain text, Chinese)."""
