"""The case page's documents card: what is issued, how it was served, and what can be issued now."""

from __future__ import annotations

from typing import Any

from sqlmodel import Session

from codes import DOCUMENT_KIND_LABELS, SERVICE_METHOD_LABELS
from documents import service
from models.cases import Case, CaseEvent


def documents_context(s: Session, row: Case, events: list[CaseEvent]) -> dict[str, Any]:
    """The case page's documents card: issued documents and the kinds offered for issuing
    (`events`: the case's history, read once for the whole page)."""
    issued, offered = service.case_documents(s, row, events)
    return {
        "documents": [
            {**service.document_json(d, row.ref), "id": d.id, "label": DOCUMENT_KIND_LABELS[d.kind],
             "method_label": SERVICE_METHOD_LABELS.get(d.served_by_method or "", "")}
            for d in issued
        ],
        "document_offers": [(k, DOCUMENT_KIND_LABELS[k]) for k in offered],
        "service_methods": tuple(SERVICE_METHOD_LABELS.items()),
    }  # fmt: skip
