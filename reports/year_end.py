"""Year-end, run by beat in January: build every organ's report for the year just ended, then
close the year (DESIGN §6, §7). Each organ in its own transaction: one failing organ (a failed
check, a conflict) is reported and never stops the others.
"""

from __future__ import annotations

import logging
from typing import Any

from sqlmodel import Session, col, select

from models.db import read_session, session_scope
from models.organs import Organ
from models.reports import ReportSnapshot
from reports.build import build_report
from reports.closing import close_year
from workflow.access import SYSTEM
from workflow.errors import OgiError

log = logging.getLogger(__name__)


def _organ_codes(session: Session) -> list[str]:
    return list(session.exec(select(Organ.code).order_by(col(Organ.code))))


def build_reports(year: int) -> list[dict[str, Any]]:
    """Each organ's report for `year`, counted from the cases: which checks fail, ahead of the close."""
    out = []
    with read_session() as s:
        for code in _organ_codes(s):
            try:
                report = build_report(s, code, year, timeliness=False)
            except OgiError as e:
                log.warning("year-end build %s %s: %s", code, year, e)
                out.append({"organ": code, "year": year, "error": str(e)})
                continue
            failed = [c["name"] for c in report["checks"] if not c["ok"]]
            if failed:
                log.warning("year-end build %s %s: failing checks %s", code, year, failed)
            out.append({"organ": code, "year": year, "failed_checks": failed})
    return out


def close_years(year: int) -> dict[str, list[str]]:
    """Close `year` for every organ that has never been closed for it. An organ whose year was
    closed and then reopened by a supervisor is left to a person: the system never re-seals it."""
    with read_session() as s:
        done = set(
            s.exec(
                select(Organ.code)
                .join(ReportSnapshot, col(ReportSnapshot.organ_id) == Organ.id)
                .where(ReportSnapshot.year == year)
            )
        )
        codes = [c for c in _organ_codes(s) if c not in done]
    out: dict[str, list[str]] = {"closed": [], "refused": []}
    for code in codes:
        try:
            with session_scope() as s:
                close_year(s, code, year, actor=SYSTEM)
            out["closed"].append(code)
        except OgiError as e:
            log.warning("year-end close %s %s: %s", code, year, e)
            out["refused"].append(f"{code}: {e}")
    return out
