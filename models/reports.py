"""User-supplied report inputs and the sealed, versioned annual-report snapshots."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import Column, Index, UniqueConstraint
from sqlmodel import Field, SQLModel

from models.types import JsonType, UtcDateTime, utcnow


class ReportInput(SQLModel, table=True):
    """Section 二 figures and the narrative sections 一, 五, 六 for one organ and year."""

    __tablename__ = "report_input"
    __table_args__ = (UniqueConstraint("organ_id", "year", name="uq_report_input_organ_year"),)

    id: int | None = Field(default=None, primary_key=True)
    organ_id: int = Field(foreign_key="organ.id")
    year: int
    section2: dict[str, Any] | None = Field(default=None, sa_column=Column(JsonType, nullable=True))
    narrative: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JsonType, nullable=False))
    updated_by: str = Field(max_length=100)
    updated_at: dt.datetime = Field(default_factory=utcnow, sa_column=Column(UtcDateTime, nullable=False))


class ReportSnapshot(SQLModel, table=True):
    """A sealed year: the report as built at close, immutable; reopening marks it, never edits it."""

    __tablename__ = "report_snapshot"
    __table_args__ = (
        UniqueConstraint("organ_id", "year", "version", name="uq_report_snapshot_version"),
        Index("ix_report_snapshot_organ_year", "organ_id", "year"),
    )

    id: int | None = Field(default=None, primary_key=True)
    organ_id: int = Field(foreign_key="organ.id")
    year: int
    version: int
    include_children: bool = False
    report: dict[str, Any] = Field(sa_column=Column(JsonType, nullable=False))
    content_hash: str = Field(max_length=64)
    sealed_by: str = Field(max_length=100)
    sealed_at: dt.datetime = Field(default_factory=utcnow, sa_column=Column(UtcDateTime, nullable=False))
    reopened_by: str | None = Field(default=None, max_length=100)
    reopened_at: dt.datetime | None = Field(default=None, sa_column=Column(UtcDateTime, nullable=True))
    reopen_reason: str | None = None
