"""The case page's documents card: what is issued, how it was served, and what can be issued now."""

from __future__ import annotations

from typing import Any

from sqlmodel import Session

from admin.templating import code_label
from codes import SERVICE_METHOD_LABELS
from documents import service
from models.cases import Case, CaseEvent


def documents_context(s: Session, row: Case, events: list[CaseEvent]) -> dict[str, Any]:
    """The case page's documents card: issued documents and the kinds offered for issuing
    (`events`: the case's history, read once for the whole page)."""
    issued, offered = service.case_documents(s, row, events)
    return {
        "documents": [
            {**service.document_json(d, row.ref), "id": d.id, "label": code_label(d.kind, "document_kind"),
             "method_label": SERVICE_METHOD_LABELS.get(d.served_by_method or "", "")}
            for d in issued
        ],
        "document_offers": [(k, code_label(k, "document_kind")) for k in offered],
        "service_methods": tuple((k, code_label(k, "service_method")) for k in SERVICE_METHOD_LABELS),
    }  # fmt: skip
