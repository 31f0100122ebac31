"""The outbox: every reminder or notice is a row first, and is sent by the relay afterwards."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import CheckConstraint, Column, Index
from sqlmodel import Field, SQLModel

from models.types import UtcDateTime, utcnow


class OutboxMessage(SQLModel, table=True):
    __tablename__ = "outbox_message"
    __table_args__ = (
        CheckConstraint(
            "status IN ('pending', 'sending', 'sent', 'cancelled', 'failed')", name="ck_outbox_status"
        ),
        # the relay claims due rows in this order
        Index("ix_outbox_status_next_attempt", "status", "next_attempt_at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    # unique per (case, deadline kind, due date, offset): a second sweep cannot queue it again
    key: str = Field(max_length=200, unique=True)
    case_id: int | None = Field(default=None, foreign_key="case.id", index=True)
    kind: str = Field(max_length=40)
    due_on: dt.date | None = None
    offset_days: int | None = None
    recipient: str = Field(max_length=254)
    subject: str = Field(max_length=300)
    body: str
    status: str = Field(default="pending", max_length=12)
    attempts: int = 0
    next_attempt_at: dt.datetime = Field(
        default_factory=utcnow, sa_column=Column(UtcDateTime, nullable=False)
    )
    claimed_at: dt.datetime | None = Field(default=None, sa_column=Column(UtcDateTime, nullable=True))
    claimed_by: str | None = Field(default=None, max_length=100)
    sent_at: dt.datetime | None = Field(default=None, sa_column=Column(UtcDateTime, nullable=True))
    last_error: str | None = None
    created_at: dt.datetime = Field(default_factory=utcnow, sa_column=Column(UtcDateTime, nullable=False))
