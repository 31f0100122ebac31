"""Cases the deadline sweep holds back after their work failed (workflow.sweep)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Column
from sqlmodel import Field, SQLModel

from models.types import UtcDateTime


class SweepHold(SQLModel, table=True):
    """A poison case, pushed aside until `until` instead of being retried and logged on every sweep.
    A table of its own, not a column of `case`: every compare-and-set writes all of a case's
    mutable columns, so an event loaded before the hold would silently clear it."""

    __tablename__ = "sweep_hold"

    case_id: int = Field(primary_key=True, foreign_key="case.id")
    until: dt.datetime = Field(sa_column=Column(UtcDateTime, nullable=False))
    error: str = Field(max_length=500)  # the first line of what went wrong
    held_at: dt.datetime = Field(sa_column=Column(UtcDateTime, nullable=False))
