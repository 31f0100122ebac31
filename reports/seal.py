"""Sealed snapshots: reading them, and the content hash that proves one unchanged."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from typing import Any

from sqlmodel import Session, col, select

from config import i18n
from models.reports import ReportSnapshot


def local_time(instant: str | dt.datetime, language: str | None = None) -> str:
    """A stored instant (UTC) as the office reads it: in OGI_TIMEZONE, to the minute, zone named
    (in the reader's language, or ``language``'s: the published documents are Chinese)."""
    return i18n.local_time(instant, zone=True, language=language)


def canonical(report: dict[str, Any]) -> bytes:
    """The report as canonical JSON (sorted keys, no spaces), without its `sealed` block."""
    body = {k: v for k, v in report.items() if k != "sealed"}
    return json.dumps(body, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode()


def content_hash(report: dict[str, Any]) -> str:
    return hashlib.sha256(canonical(report)).hexdigest()


def in_force(session: Session, organ_id: int, year: int) -> ReportSnapshot | None:
    """The seal that closes the year now (its latest version, unless reopened)."""
    q = select(ReportSnapshot).where(
        ReportSnapshot.organ_id == organ_id,
        ReportSnapshot.year == year,
        col(ReportSnapshot.reopened_at).is_(None),
    )
    return session.exec(q.order_by(col(ReportSnapshot.version).desc())).first()


def versions(session: Session, organ_id: int, year: int | None = None) -> list[ReportSnapshot]:
    q = select(ReportSnapshot).where(ReportSnapshot.organ_id == organ_id)
    if year is not None:
        q = q.where(ReportSnapshot.year == year)
    return list(session.exec(q.order_by(col(ReportSnapshot.year), col(ReportSnapshot.version))))


def sealed_info(seal: ReportSnapshot) -> dict[str, Any]:
    return {
        "version": seal.version,
        "sealed_at": seal.sealed_at.isoformat(),
        "sealed_by": seal.sealed_by,
        "content_hash": seal.content_hash,
        "content_hash_ok": content_hash(seal.report) == seal.content_hash,
        "in_force": seal.reopened_at is None,
        "reopened_at": seal.reopened_at.isoformat() if seal.reopened_at else None,
        "reopened_by": seal.reopened_by,
        "reopen_reason": seal.reopen_reason,
    }


def sealed_report(seal: ReportSnapshot) -> dict[str, Any]:
    """The stored report with its seal: exactly the numbers of the day it was closed."""
    return {**seal.report, "sealed": sealed_info(seal)}
