"""The official working-day calendar: one row per official year, one per special day."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import CheckConstraint, Column, Integer
from sqlmodel import Field, SQLModel

from models.types import UtcDateTime, utcnow


class CalendarYear(SQLModel, table=True):
    """A year whose State Council holiday arrangement is known (official, not provisional)."""

    __tablename__ = "calendar_year"

    year: int = Field(sa_column=Column(Integer, primary_key=True, autoincrement=False))
    source: str = Field(max_length=300)
    imported_by: str = Field(default="system", max_length=100)
    imported_at: dt.datetime = Field(default_factory=utcnow, sa_column=Column(UtcDateTime, nullable=False))


class CalendarDay(SQLModel, table=True):
    """A statutory holiday, or a weekend day that is a make-up working day (调休)."""

    __tablename__ = "calendar_day"
    __table_args__ = (CheckConstraint("kind IN ('holiday', 'workday')", name="ck_calendar_day_kind"),)

    day: dt.date = Field(primary_key=True)
    kind: str = Field(max_length=10)
    name: str = Field(default="", max_length=100)
    # the arrangement (year) that declared this day; a notice may name days of the adjacent year
    year: int = Field(foreign_key="calendar_year.year", index=True)
