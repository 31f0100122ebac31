"""Issued documents not yet served (DESIGN §11): after some working days a supervisor is told, in the
digest and on the dashboard. Reads only; documents.service records the service."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import select
from sqlmodel import Session, col

from codes.labels import label
from config.i18n import current_language
from config.settings import get_settings
from models.cases import Case
from models.documents import Document
from workflow.calendar import default_calendar


@dataclass(frozen=True)
class Unserved:
    organ_id: int
    ref: str
    number: str
    kind: str
    issued_on: dt.date

    @property
    def kind_label(self) -> str:
        """The kind as the reader reads it (the dashboard's and the digest's language)."""
        return label("document_kind", self.kind, current_language())


def unserved_documents(
    session: Session, today: dt.date, organ_ids: Sequence[int] | None = None
) -> list[Unserved]:
    """Documents issued more than `unserved_document_workdays` working days before today and not served,
    oldest first (of the given organs, or of all)."""
    q = (
        select(
            col(Document.organ_id),
            col(Case.ref),
            col(Document.number),
            col(Document.kind),
            col(Document.issued_on),
        )
        .join(Case, col(Case.id) == Document.case_id)
        .where(col(Document.served_on).is_(None), col(Document.issued_on) < today)
        .order_by(col(Document.issued_on), col(Document.id))
    )
    if organ_ids is not None:
        q = q.where(col(Document.organ_id).in_(organ_ids))
    cal, limit = default_calendar(), get_settings().unserved_document_workdays
    # few rows (most documents are served within days): the working days are counted here
    return [
        Unserved(organ_id, ref, number, kind, issued_on)
        for organ_id, ref, number, kind, issued_on in session.execute(q)
        if cal.add_workdays(issued_on, limit) < today
    ]
