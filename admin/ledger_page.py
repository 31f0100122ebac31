"""The ledger (台账) download on the report page: the organ's register of the year as XLSX.

The ledger lists cases, so a roll-up (the organ and the organs below it) is for administrators
only, as every list of cases a report carries (reports_page.lists_cases). Identity numbers are
masked; `full=1` asks for them in full, which the ledger's own rule grants or refuses
(ledger.export.full_numbers_allowed, the same for `ogi ledger export --full`): a refusal is the
403 page. The report page offers that link only to those the rule allows.
"""

from __future__ import annotations

from urllib.parse import quote

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response

from admin.auth import WebUser, current_user
from admin.reports_page import DOWNLOADS, check_access, lists_cases, scope_of
from ledger.export import ledger_bytes, title
from models.db import read_session
from reports.scope import resolve
from workflow.errors import PermissionDenied, Phrase

router = APIRouter()


@router.get("/reports/ledger")
def ledger_download(request: Request, me: WebUser = Depends(current_user)) -> Response:
    organ_code, year, children = scope_of(request, me)
    if not lists_cases(me, children):
        raise PermissionDenied("only an administrator may download the ledger of a roll-up")
    full = bool(request.query_params.get("full"))
    with read_session() as s:
        organ = check_access(s, me, organ_code, action=Phrase("download this organ's ledger"))
        scope = resolve(s, organ.code, year, include_children=children)
        body = ledger_bytes(s, scope, actor=me.actor, full=full)
    disposition = (
        f'attachment; filename="ledger-{organ.code}-{year}.xlsx"; '
        f"filename*=UTF-8''{quote(title(scope) + '.xlsx')}"
    )
    return Response(body, media_type=DOWNLOADS["xlsx"], headers={"Content-Disposition": disposition})
