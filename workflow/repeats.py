"""Repeated applications (Art. 36(六), report row 不予处理-2): a suggestion, never a decision.

On receipt, the same applicant's (same identity hash) earlier applications to the same organ whose
request reads nearly the same are pointed out, with their outcomes, so the caseworker can decide
whether `not_processed_duplicate` applies. Nothing is decided automatically.

Similarity is difflib's ratio (2·matches / total length, Ratcliff–Obershelp) over the requests with
white space, punctuation and symbols removed and full-width forms folded (NFKC), character by
character, which suits Chinese text without a word segmenter. The threshold 0.8 was chosen because a
request re-sent with a changed date, a year or a few words (「2023年」→「2024年」, an added 的) keeps
well above it, while two different requests from one applicant written in the office's usual
phrasing (「申请公开……的文件」 around a different subject) share their frame, not their subject,
and fall well below it.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from dataclasses import dataclass
from difflib import SequenceMatcher
from typing import Any

from sqlmodel import Session, col, select

from models.cases import Case
from workflow.applicants import identity_condition, matching_hash

THRESHOLD = 0.8
MAX_CANDIDATES = 200  # the applicant's most recent applications to the organ that are compared


@dataclass(frozen=True)
class Similar:
    ref: str
    received_on: dt.date | None
    state: str
    outcome: str | None
    similarity: float

    def to_json(self) -> dict[str, Any]:
        return {
            "ref": self.ref,
            "received_on": self.received_on.isoformat() if self.received_on else None,
            "state": self.state,
            "outcome": self.outcome,
            "similarity": round(self.similarity, 3),
        }


def normalized(text: str) -> str:
    folded = unicodedata.normalize("NFKC", text).casefold()
    return "".join(ch for ch in folded if unicodedata.category(ch)[0] not in "PZSC")


def similarity(a: str, b: str) -> float:
    """difflib's ratio of the two normalized texts (0–1); the cheap upper bounds first."""
    x, y = normalized(a), normalized(b)
    if not x or not y:
        return 0.0
    m = SequenceMatcher(None, x, y, autojunk=False)
    if m.real_quick_ratio() < THRESHOLD or m.quick_ratio() < THRESHOLD:
        return 0.0
    return m.ratio()


def similar_earlier(session: Session, case: Case) -> list[Similar]:
    """The applicant's earlier applications to the case's organ whose request closely matches this
    one's (similarity ≥ THRESHOLD), the most similar first."""
    assert case.id is not None
    number_hash = matching_hash(session, case.id)
    if number_hash is None or not case.request:
        return []
    q = (
        select(Case)
        .where(identity_condition(number_hash), Case.organ_id == case.organ_id, col(Case.id) < case.id)
        .where(col(Case.request).is_not(None))
        .order_by(col(Case.id).desc())
        .limit(MAX_CANDIDATES)
    )
    found = []
    for other in session.exec(q):
        score = similarity(case.request, other.request or "")
        if score >= THRESHOLD:
            found.append(Similar(other.ref, other.received_on, other.state, other.outcome, score))
    return sorted(found, key=lambda s: -s.similarity)
