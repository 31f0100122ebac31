"""Issued statutory documents (文书, DESIGN §11), their numbering series and their templates."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import CheckConstraint, Column, Index, LargeBinary, UniqueConstraint
from sqlmodel import Field, SQLModel

from codes import DOCUMENT_KINDS, ServiceMethod
from models.types import JsonType, UtcDateTime, utcnow


def _in(column: str, values: Any) -> str:
    return f"{column} IN ({', '.join(repr(str(v)) for v in values)})"


class Document(SQLModel, table=True):
    """One issued document. Its number is never reused, and what it was rendered from (the inputs
    and the template, by hash) is kept, so the same file can be produced again years later."""

    __tablename__ = "document"
    __table_args__ = (
        CheckConstraint(_in("kind", DOCUMENT_KINDS), name="ck_document_kind"),
        CheckConstraint(
            f"served_by_method IS NULL OR {_in('served_by_method', ServiceMethod)}",
            name="ck_document_service_method",
        ),
        CheckConstraint("(served_on IS NULL) = (served_by_method IS NULL)", name="ck_document_served"),
        # one document of a kind per notified event: issuing it again re-renders it
        UniqueConstraint("case_id", "kind", "event_seq", name="uq_document_event"),
        UniqueConstraint("organ_id", "series", "year", "seq", name="uq_document_series_seq"),
        # the digest's unserved documents
        Index("ix_document_organ_unserved", "organ_id", "served_on", "issued_on"),
    )

    id: int | None = Field(default=None, primary_key=True)
    number: str = Field(max_length=100, unique=True)
    kind: str = Field(max_length=40)
    case_id: int = Field(foreign_key="case.id", index=True)
    organ_id: int = Field(foreign_key="organ.id")
    event_seq: int  # the history entry the document notifies
    series: str = Field(max_length=20)  # the numbering series (公复, 公补…)
    year: int
    seq: int
    issued_on: dt.date  # the notified event's effective date
    issued_by: str = Field(max_length=100)
    issued_at: dt.datetime = Field(default_factory=utcnow, sa_column=Column(UtcDateTime, nullable=False))
    inputs: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JsonType, nullable=False))
    template_sha256: str = Field(max_length=64, foreign_key="document_template_blob.sha256")
    sha256: str = Field(max_length=64, index=True)
    served_on: dt.date | None = None
    served_by_method: str | None = Field(default=None, max_length=20)
    served_recorded_by: str | None = Field(default=None, max_length=100)


class DocumentSequence(SQLModel, table=True):
    """The last number of an organ's series in a year. Drawn in the issuing transaction, so a number
    is taken only by a document that is stored: no gaps, and concurrent issuers wait in turn."""

    __tablename__ = "document_sequence"

    organ_id: int = Field(foreign_key="organ.id", primary_key=True)
    series: str = Field(max_length=20, primary_key=True)
    year: int = Field(primary_key=True)
    last: int


class DocumentTemplateBlob(SQLModel, table=True):
    """A template's bytes by their SHA-256: every template a document was rendered from is kept."""

    __tablename__ = "document_template_blob"

    sha256: str = Field(max_length=64, primary_key=True)
    content: bytes = Field(sa_column=Column(LargeBinary, nullable=False))


class OrganTemplate(SQLModel, table=True):
    """An organ's own template for a kind (its letterhead, 红头); the shipped default otherwise."""

    __tablename__ = "organ_template"

    organ_id: int = Field(foreign_key="organ.id", primary_key=True)
    kind: str = Field(max_length=40, primary_key=True)
    sha256: str = Field(max_length=64, foreign_key="document_template_blob.sha256")
    set_by: str = Field(max_length=100)
    set_at: dt.datetime = Field(default_factory=utcnow, sa_column=Column(UtcDateTime, nullable=False))
