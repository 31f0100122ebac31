"""Parallel issuers on PostgreSQL draw document numbers one after another: no gap, no repeat."""

from __future__ import annotations

import threading

import pytest
from sqlmodel import select

from documents import service
from models.db import session_scope
from models.documents import Document
from tests.documents.support import TESTER, D, office, receive, step

pytestmark = pytest.mark.usefixtures("pg_db")
ISSUERS = 8


def test_parallel_issuers_of_one_organ_get_consecutive_numbers_and_a_failed_issue_leaves_no_gap() -> None:
    office()
    refs = [f"P-{i}" for i in range(ISSUERS)]
    for ref in refs:
        receive(D(2026, 3, 2), ref=ref, request="预算")
        step(ref, "answer", on=D(2026, 3, 20), outcome="disclosed")
    start, errors = threading.Barrier(ISSUERS + 1), []

    def issuer(ref: str, fail: bool) -> None:
        start.wait()
        try:
            with session_scope() as s:
                service.issue(s, ref, "reply", actor=TESTER)
                if fail:
                    raise RuntimeError("the office's printer jammed")  # rolls back its number
        except RuntimeError as e:
            errors.append(e)

    threads = [threading.Thread(target=issuer, args=(ref, i == 3)) for i, ref in enumerate(refs)]
    for t in threads:
        t.start()
    start.wait()
    for t in threads:
        t.join(timeout=60)
    assert len(errors) == 1
    with session_scope() as s:
        issued = s.exec(select(Document.seq, Document.number).order_by(Document.seq)).all()
    assert [seq for seq, _ in issued] == list(range(1, ISSUERS))
    assert len({n for _, n in issued}) == ISSUERS - 1
