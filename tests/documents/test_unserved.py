"""Unserved documents (DESIGN §11): after N working days they reach the supervisors' digest."""

from __future__ import annotations

import pytest
from sqlmodel import select

from documents import service
from models.db import session_scope
from models.outbox import OutboxMessage
from tests.documents.support import TESTER, D, office, withheld_case
from workflow.digest import queue_digests
from workflow.unserved import unserved_documents

pytestmark = pytest.mark.usefixtures("any_db", "chinese")  # the digest is asserted in Chinese


def test_a_document_unserved_after_five_working_days_is_in_the_supervisors_digest_until_served() -> None:
    office()
    withheld_case()  # answered on Friday 2026-03-20
    with session_scope() as s:
        number = service.issue(s, "W-1", "reply", actor=TESTER).document.number
    with session_scope() as s:
        assert unserved_documents(s, D(2026, 3, 27)) == []  # five working days: not yet
        assert [u.number for u in unserved_documents(s, D(2026, 3, 30))] == [number]
        assert queue_digests(s, today=D(2026, 3, 30)) == 1
    with session_scope() as s:
        digest = s.exec(select(OutboxMessage).where(OutboxMessage.kind == "digest")).one()
        assert digest.recipient == "head@east.example.org"
        assert number in digest.body and "1 份文书未送达" in digest.subject
        service.serve(s, number, "in_person", D(2026, 3, 30), actor=TESTER, today=D(2026, 3, 30))
    with session_scope() as s:
        assert unserved_documents(s, D(2026, 4, 30)) == []


def test_an_unserved_document_names_its_kind_in_the_readers_language(monkeypatch: pytest.MonkeyPatch) -> None:
    from config.settings import get_settings

    office()
    withheld_case()
    with session_scope() as s:
        service.issue(s, "W-1", "reply", actor=TESTER)
    with session_scope() as s:
        (unserved,) = unserved_documents(s, D(2026, 3, 30))
    assert unserved.kind == "reply" and unserved.kind_label == "政府信息公开申请答复书"
    monkeypatch.setenv("OGI_LANG", "en")
    get_settings.cache_clear()
    assert unserved.kind_label == "reply to the application"
