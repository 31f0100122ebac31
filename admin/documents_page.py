"""The case page's documents (DESIGN §11): issue what the history calls for, download, record service.
Every change goes through documents.service with the logged-in user as the actor."""

from __future__ import annotations

from urllib.parse import quote

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response

from admin.auth import WebUser, current_user
from admin.cases import date_param, run_change
from admin.templating import code_label
from config.i18n import _
from documents import service
from models.db import read_session, session_scope
from workflow import clock
from workflow.bounds import as_id
from workflow.errors import NotFound
from workflow.service import get_case

router = APIRouter()
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@router.post("/cases/{ref}/documents")
async def document_issue(request: Request, ref: str, me: WebUser = Depends(current_user)) -> Response:
    data = await request.form()
    kind = str(data.get("kind") or "")
    issued: list[str] = []

    def change() -> None:
        with session_scope() as s:
            issued.append(service.issue(s, ref, kind, actor=me.actor).document.number)

    done = _("{document} issued", document=code_label(kind, "document_kind"))
    return await run_change(request, me, ref, change, done, {"event": "issue_document", "kind": kind})


@router.post("/cases/{ref}/documents/{doc_id}/serve")
async def document_serve(
    request: Request, ref: str, doc_id: str, me: WebUser = Depends(current_user)
) -> Response:
    data = await request.form()
    method = str(data.get("method") or "")

    def change() -> None:
        on = date_param(str(data.get("on") or ""), "served_on", required=True)
        assert on is not None
        with session_scope() as s:
            row = get_case(s, ref, actor=me.actor)
            doc, _body = service.download(s, row, as_id(doc_id) or 0)
            service.serve(s, doc.number, method, on, actor=me.actor, today=clock.today())

    submitted = {"event": f"serve:{doc_id}", "method": method, "on": str(data.get("on") or "")}
    return await run_change(request, me, ref, change, _("Service recorded"), submitted)


@router.get("/cases/{ref}/documents/{doc_id}")
def document_download(
    request: Request, ref: str, doc_id: str, me: WebUser = Depends(current_user)
) -> Response:
    number = as_id(doc_id)
    if number is None:
        raise NotFound("unknown document {doc!r}", doc=doc_id)
    with read_session() as s:
        row = get_case(s, ref, actor=me.actor)
        doc, content = service.download(s, row, number)
    name = quote(f"{doc.number}.docx")
    return Response(
        content, media_type=DOCX, headers={"Content-Disposition": f"attachment; filename*=UTF-8''{name}"}
    )
