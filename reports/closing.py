"""Closing and reopening an organ's year (DESIGN §6): sealed, versioned, audited.

While a seal is in force, workflow.sealed_years refuses every event, import and appeal dated in that
year for the organ's cases. Closing takes the organ row FOR UPDATE and every writer of a case
takes it FOR SHARE (workflow.sealed_years.closed_years), so on PostgreSQL no event can slip in between
the count and the seal; SQLite serializes writers anyway.
"""

from __future__ import annotations

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, func, select

from codes import Role
from config.i18n import ZonedTime
from models.organs import Organ
from models.reports import ReportSnapshot
from reports.build import live_report
from reports.scope import Scope, resolve
from reports.seal import content_hash, in_force
from workflow import clock
from workflow.access import Actor
from workflow.errors import Conflict, InvalidInput, NotFound, Phrase, RuleViolation
from workflow.text import REASON, clean_text, is_blank


def _authorized(session: Session, organ_code: str, year: int, actor: Actor, action: Phrase) -> Scope:
    scope = resolve(session, organ_code, year)
    actor.require_organ(scope.organ_id, action=action)
    actor.require_role(Role.supervisor, action=action)
    # wait for writers of this organ's cases to finish; keep new ones out until we commit
    session.exec(select(Organ.id).where(Organ.id == scope.organ_id).with_for_update())
    return scope


def close_year(session: Session, organ_code: str, year: int, *, actor: Actor) -> ReportSnapshot:
    """Seal the organ's report for the year; refuses a year not yet over or a failed check."""
    scope = _authorized(session, organ_code, year, actor, Phrase("close {year}", year=year))
    today = clock.today()
    if year >= today.year:
        raise RuleViolation(
            "cannot close {year} for organ {organ_code}: the year has not ended (today is {today})",
            year=year,
            organ_code=organ_code,
            today=today,
        )
    current = in_force(session, scope.organ_id, year)
    if current is not None:
        raise RuleViolation(
            "{year} is already closed for organ {organ_code} (version {version}, sealed by {sealed_by} on "
            "{value})",
            year=year,
            organ_code=organ_code,
            version=current.version,
            sealed_by=current.sealed_by,
            value=ZonedTime(current.sealed_at),
        )
    report = live_report(session, scope)
    failed = [c for c in report["checks"] if not c["ok"]]
    if failed:
        reasons = "; ".join(
            f"{c['name']} ({c['detail']}"
            + (f"; cases {', '.join(c['cases'])}" if c.get("cases") else "")
            + ")"
            for c in failed
        )
        raise RuleViolation(
            "cannot close {year} for organ {organ_code}: failed check {reasons}",
            year=year,
            organ_code=organ_code,
            reasons=reasons,
        )
    last = session.exec(
        select(func.max(col(ReportSnapshot.version))).where(
            ReportSnapshot.organ_id == scope.organ_id, ReportSnapshot.year == year
        )
    ).one()
    seal = ReportSnapshot(
        organ_id=scope.organ_id,
        year=year,
        version=(last or 0) + 1,
        include_children=False,
        report={k: v for k, v in report.items() if k != "sealed"},
        content_hash=content_hash(report),
        sealed_by=actor.name,
        sealed_at=clock.now(),
    )
    session.add(seal)
    try:
        session.flush()
    except IntegrityError:
        raise Conflict(
            "{year} was closed for organ {organ_code} by someone else at the same time",
            year=year,
            organ_code=organ_code,
        ) from None
    return seal


def reopen_year(session: Session, organ_code: str, year: int, *, reason: str, actor: Actor) -> ReportSnapshot:
    """Lift the seal (it stays readable, marked with who, when and why); the next close is version+1."""
    if not reason or is_blank(reason):
        raise InvalidInput("reopening a year needs a reason (--reason); the one given is empty")
    reason = clean_text(reason, REASON, "reason")
    scope = _authorized(session, organ_code, year, actor, Phrase("reopen {year}", year=year))
    seal = in_force(session, scope.organ_id, year)
    if seal is None:
        raise RuleViolation("{year} is not closed for organ {organ_code}", year=year, organ_code=organ_code)
    later = in_force(session, scope.organ_id, year + 1)
    if later is not None:
        raise RuleViolation(
            "cannot reopen {year} for organ {organ_code}: {value} is closed and its carried-in counts "
            "depend on {year}; reopen {value} first",
            year=year,
            organ_code=organ_code,
            value=year + 1,
        )
    seal.reopened_by, seal.reopened_at, seal.reopen_reason = actor.name, clock.now(), reason
    session.add(seal)
    session.flush()
    return seal


def snapshot(
    session: Session, organ_code: str, year: int, version: int | None = None
) -> ReportSnapshot | None:
    """A sealed version (the latest when `version` is None), in force or reopened; None if never sealed."""
    scope = resolve(session, organ_code, year)
    q = select(ReportSnapshot).where(ReportSnapshot.organ_id == scope.organ_id, ReportSnapshot.year == year)
    if version is not None:
        q = q.where(ReportSnapshot.version == version)
    return session.exec(q.order_by(col(ReportSnapshot.version).desc())).first()


def require_snapshot(
    session: Session, organ_code: str, year: int, version: int | None = None
) -> ReportSnapshot:
    seal = snapshot(session, organ_code, year, version)
    if seal is None:
        if version is not None:  # a whole sentence each: the version is no phrase to splice in
            raise NotFound(
                "no sealed report: organ {organ_code} has no version {version} of {year}",
                organ_code=organ_code,
                version=version,
                year=year,
            )
        raise NotFound(
            "no sealed report: {year} was never closed for organ {organ_code} (`ogi report build` "
            "counts it live)",
            year=year,
            organ_code=organ_code,
        )
    return seal
