"""Cases, their append-only event history, and the appeals filed against their replies."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import CheckConstraint, Column, Index, UniqueConstraint, text
from sqlmodel import Field, SQLModel

from codes import OPEN_STATES, OUTCOMES, AppealKind, AppealResult, ApplicantType, Channel, State
from models.types import JsonType, UtcDateTime, utcnow


def _in(column: str, values: Any) -> str:
    return f"{column} IN ({', '.join(repr(str(v)) for v in values)})"


class CaseState(SQLModel):
    """What a case's history decides: the columns the state machine reads and writes, written once.
    The table below inherits them; workflow.machine.CaseRecord is derived from them."""

    state: str = Field(default="new", max_length=32)  # "new" only until the opening event
    outcome: str | None = Field(default=None, max_length=40)
    submitted_on: dt.date | None = None
    received_on: dt.date | None = None
    # the day the current reply period started: receipt, or receipt of the corrected application
    clock_start: dt.date | None = None
    concluded_on: dt.date | None = None
    late: bool = False

    # live deadlines: null when the deadline does not apply now (reply_due stays after the answer)
    reply_due: dt.date | None = None
    correction_notice_due: dt.date | None = None
    correction_until: dt.date | None = None
    consultation_due: dt.date | None = None
    fee_due: dt.date | None = None
    provisional: bool = False

    paused_from: dt.date | None = None  # start of the running consultation or fee pause
    extension_days: int = 0
    paused_workdays: int = 0
    corrected: bool = False  # a correction round was completed (allows unable_still_unclear)
    late_correction_notice: bool = False

    last_event_on: dt.date | None = None


SEARCHED = ("ref", "applicant", "request")


def _trigram_index(column: str) -> Index:
    """A pg_trgm GIN index on `column`, made on PostgreSQL only (migration 0012_search)."""
    index = Index(
        f"ix_case_{column}_trgm",
        column,
        postgresql_using="gin",
        postgresql_ops={column: "gin_trgm_ops"},
    )
    return index.ddl_if(dialect="postgresql")


class Case(CaseState, table=True):
    """An application. Its state and dates always equal what replaying its history produces."""

    __tablename__ = "case"
    __table_args__ = (
        CheckConstraint(_in("state", State), name="ck_case_state"),
        CheckConstraint(_in("applicant_type", ApplicantType), name="ck_case_applicant_type"),
        CheckConstraint(_in("channel", Channel), name="ck_case_channel"),
        CheckConstraint(f"outcome IS NULL OR {_in('outcome', OUTCOMES)}", name="ck_case_outcome"),
        CheckConstraint("(state = 'answered') = (outcome IS NOT NULL)", name="ck_case_outcome_iff_answered"),
        # the report counts by organ and receipt / conclusion date
        Index("ix_case_organ_received", "organ_id", "received_on"),
        Index("ix_case_organ_concluded", "organ_id", "concluded_on"),
        # the case list's own order, newest first (admin.cases.list_order), for every organ at once
        Index("ix_case_received_ref", "received_on", "ref"),
        # the deadline sweep reads only the rows whose deadline falls in its window (DESIGN §7)
        Index("ix_case_state_reply_due", "state", "reply_due"),
        Index("ix_case_correction_notice_due", "correction_notice_due"),
        Index("ix_case_correction_until", "correction_until"),
        Index("ix_case_consultation_due", "consultation_due"),
        Index("ix_case_fee_due", "fee_due"),
        # the few cases a supervisor must look at (the digest and `case list --attention`)
        Index(
            "ix_case_attention",
            "organ_id",
            sqlite_where=text("attention IS NOT NULL"),
            postgresql_where=text("attention IS NOT NULL"),
        ),
        # the case list's search (workflow.case_search): substrings of the applicant and the request
        # and prefixes of the ref, through pg_trgm on PostgreSQL; SQLite searches without them
        *(_trigram_index(column) for column in SEARCHED),
        # a surname typed alone (under three characters: no trigram) is the start of the name
        Index(
            "ix_case_applicant_prefix", "applicant", postgresql_ops={"applicant": "text_pattern_ops"}
        ).ddl_if(dialect="postgresql"),
        # …and within the organ a caseworker sees (counted without a bitmap of the whole organ)
        Index(
            "ix_case_organ_applicant_prefix",
            "organ_id",
            "applicant",
            postgresql_ops={"applicant": "text_pattern_ops"},
        ).ddl_if(dialect="postgresql"),
    )

    id: int | None = Field(default=None, primary_key=True)
    ref: str = Field(max_length=64, unique=True, index=True)
    organ_id: int = Field(foreign_key="organ.id")
    applicant_type: str = Field(max_length=32)
    applicant: str = Field(max_length=200)
    channel: str = Field(max_length=32)
    request: str | None = None
    assignee_id: int | None = Field(default=None, foreign_key="app_user.id", index=True)

    # why a supervisor must look at the case (a recorded decision the official calendar refutes);
    # set and cleared by the recompute, cleared by a supervisor's acknowledgement; not derived
    attention: str | None = None

    version: int = 1
    created_at: dt.datetime = Field(default_factory=utcnow, sa_column=Column(UtcDateTime, nullable=False))

    @property
    def is_open(self) -> bool:
        return self.state in OPEN_STATES


class CaseEvent(SQLModel, table=True):
    """One entry of a case's history. Rows are never updated or deleted (database triggers)."""

    __tablename__ = "case_event"
    __table_args__ = (UniqueConstraint("case_id", "seq", name="uq_case_event_seq"),)

    id: int | None = Field(default=None, primary_key=True)
    case_id: int = Field(foreign_key="case.id", index=True)
    seq: int
    event: str = Field(max_length=40)
    effective_on: dt.date
    actor: str = Field(max_length=100)
    recorded_at: dt.datetime = Field(default_factory=utcnow, sa_column=Column(UtcDateTime, nullable=False))
    params: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JsonType, nullable=False))


class Appeal(SQLModel, table=True):
    """An administrative reconsideration or lawsuit against a case's reply (report section 四)."""

    __tablename__ = "appeal"
    __table_args__ = (
        CheckConstraint(_in("kind", AppealKind), name="ck_appeal_kind"),
        CheckConstraint(f"result IS NULL OR {_in('result', AppealResult)}", name="ck_appeal_result"),
        CheckConstraint("(result IS NULL) = (decided_on IS NULL)", name="ck_appeal_decided"),
        Index("ix_appeal_filed_on", "filed_on"),
        Index("ix_appeal_organ_filed_on", "organ_id", "filed_on"),
    )

    id: int | None = Field(default=None, primary_key=True)
    case_id: int = Field(foreign_key="case.id", index=True)
    # the case's organ, copied (a case never changes organ): section 四 of an organ-year reads its
    # appeals through (organ_id, filed_on) instead of looking up each appeal's case
    organ_id: int = Field(foreign_key="organ.id")
    kind: str = Field(max_length=40)
    filed_on: dt.date
    result: str | None = Field(default=None, max_length=20)
    decided_on: dt.date | None = None
    recorded_by: str = Field(default="system", max_length=100)
    recorded_at: dt.datetime = Field(default_factory=utcnow, sa_column=Column(UtcDateTime, nullable=False))


class CaseRefSequence(SQLModel, table=True):
    """The last automatic number given to an organ's cases of a year (ORGAN-YEAR-NNNNN).

    Numbering from this row, and not from the refs already stored, keeps refs typed by hand or
    imported (in any organ) from steering or blocking the numbering; the row's update is
    atomic, so two cases received at once never draw the same number."""

    __tablename__ = "case_ref_sequence"

    organ_id: int = Field(foreign_key="organ.id", primary_key=True)
    year: int = Field(primary_key=True)
    last: int
