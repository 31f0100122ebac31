"""Tests of sending reminders: mail composition, SMTP and the outbox relay."""
