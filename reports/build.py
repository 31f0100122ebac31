"""The annual report of an organ and year as data: the JSON every renderer and door starts from.

A year closed for the organ returns its sealed snapshot (a sealed report never changes); any
other year is counted live from the cases.
"""

from __future__ import annotations

from typing import Any

from sqlmodel import Session, col, select

from codes import COLUMNS
from models.organs import Organ
from reports import counting
from reports.checks import DatabaseEvidence, Previous, run_checks
from reports.fee_notices import fee_summary
from reports.inputs import inputs_for
from reports.scope import Scope, resolve
from reports.seal import in_force, sealed_report
from reports.timeliness import timeliness as timeliness_annex
from workflow.calendar import default_calendar


def build_report(
    session: Session, organ_code: str, year: int, *, include_children: bool = False, timeliness: bool = True
) -> dict[str, Any]:
    """The report JSON of DESIGN §8 plus `narrative`, `timeliness` and `sealed` (null if not closed).

    `timeliness=False` leaves the annex out (null) for callers that only need the statutory tables.
    """
    scope = resolve(session, organ_code, year, include_children=include_children)
    if not include_children:
        seal = in_force(session, scope.organ_id, year)
        if seal is not None:
            return sealed_report(seal)
    return live_report(session, scope, timeliness=timeliness)


def live_report(session: Session, scope: Scope, *, timeliness: bool = True) -> dict[str, Any]:
    """Counted now from the cases, whatever is sealed."""
    s3 = counting.section3(session, scope)
    s4 = counting.section4(session, scope)
    checks = run_checks(
        s3,
        s4,
        year=scope.year,
        previous=previous_year(session, scope),
        evidence=DatabaseEvidence(session, scope),
    )
    # section 二 and the narrative are the organ's own, also in a roll-up
    section2, narrative = inputs_for(session, scope.organ_id, scope.year).report_parts()
    return {
        "organ": scope.organ.code,
        "organ_name": scope.organ.name,
        "year": scope.year,
        "include_children": scope.include_children,
        "organs": _codes(session, scope) if scope.include_children else [scope.organ.code],
        "columns": list(COLUMNS),
        "section3": s3,
        "section4": s4,
        "section2": section2,
        "narrative": narrative,
        # section 六's sentence on 信息处理费, counted from the cases
        "fees": fee_summary(session, scope),
        "timeliness": timeliness_annex(session, scope, default_calendar()) if timeliness else None,
        "checks": [c.to_json() for c in checks],
        "sealed": None,
    }


def previous_year(session: Session, scope: Scope) -> Previous | None:
    """The sealed report of the year before, when one is in force (only for an organ's own report)."""
    if scope.include_children:
        return None
    seal = in_force(session, scope.organ_id, scope.year - 1)
    if seal is None:
        return None
    return Previous(seal.version, seal.sealed_at, list(seal.report["section3"]["carried_out"]))


def _codes(session: Session, scope: Scope) -> list[str]:
    q = select(col(Organ.code)).where(col(Organ.id).in_(scope.organ_ids)).order_by(col(Organ.code))
    return list(session.exec(q))
