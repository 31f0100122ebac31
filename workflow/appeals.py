"""Administrative reconsideration and litigation against a case (report section 四)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlmodel import Session

from codes.labels import Coded
from models.cases import Appeal, Case
from models.organs import Organ
from workflow import clock
from workflow.access import Actor
from workflow.bounds import MAX_ID
from workflow.code_input import parse_code
from workflow.errors import NotFound, Phrase, RuleViolation
from workflow.machine import CaseRecord
from workflow.sealed_years import closed_years, require_open
from workflow.service import annotate, get_case, hold_version


def check_filing(case: Case | CaseRecord, kind: str, filed_on: dt.date, today: dt.date) -> None:
    parse_code("appeal_kind", kind, where="kind")
    if case.received_on is None:
        raise RuleViolation("an appeal needs a received application; this one was never received")
    if filed_on < case.received_on:
        raise RuleViolation(
            "appeal filed on {filed_on}, before the application was received ({received_on})",
            filed_on=filed_on,
            received_on=case.received_on,
        )
    if filed_on > today:
        raise RuleViolation(
            "appeal filed on {filed_on} is in the future (today is {today})", filed_on=filed_on, today=today
        )


def check_decision(appeal: Appeal, result: str, decided_on: dt.date, today: dt.date) -> None:
    parse_code("appeal_result", result, where="result")
    if appeal.result is not None:
        raise RuleViolation(
            "appeal {id} was already decided ({result}, {decided_on})",
            id=appeal.id,
            result=Coded("appeal_result", appeal.result or ""),
            decided_on=appeal.decided_on,
        )
    if decided_on < appeal.filed_on:
        raise RuleViolation(
            "appeal decided on {decided_on}, before it was filed ({filed_on})",
            decided_on=decided_on,
            filed_on=appeal.filed_on,
        )
    if decided_on > today:
        raise RuleViolation(
            "appeal decided on {decided_on} is in the future (today is {today})",
            decided_on=decided_on,
            today=today,
        )


def _organ(session: Session, case: Case) -> tuple[Organ, set[int]]:
    organ = session.get(Organ, case.organ_id)
    assert organ is not None and organ.id is not None
    return organ, closed_years(session, organ.id)


def file_appeal(
    session: Session,
    key: str | int,
    *,
    kind: str,
    filed_on: dt.date,
    actor: Actor,
    expected_version: int | None = None,
) -> Appeal:
    case = get_case(session, key)
    assert case.id is not None
    actor.require_organ(case.organ_id, action=Phrase("record an appeal"))
    hold_version(session, case, expected_version)
    check_filing(case, kind, filed_on, clock.today())
    organ, closed = _organ(session, case)
    require_open(closed, filed_on, what="appeal_filed", organ_code=organ.code)
    appeal = Appeal(
        case_id=case.id, organ_id=case.organ_id, kind=kind, filed_on=filed_on, recorded_by=actor.name
    )
    session.add(appeal)
    session.flush()
    assert appeal.id is not None
    _record(session, case, "appeal_filed", filed_on, {"appeal_id": appeal.id, "kind": kind}, actor)
    return appeal


def decide_appeal(
    session: Session,
    appeal_id: int,
    *,
    result: str,
    decided_on: dt.date,
    actor: Actor,
    expected_version: int | None = None,
) -> Appeal:
    appeal = session.get(Appeal, appeal_id) if 1 <= appeal_id <= MAX_ID else None
    if appeal is None:
        raise NotFound("unknown appeal {appeal_id}", appeal_id=appeal_id)
    case = session.get(Case, appeal.case_id)
    assert case is not None
    actor.require_organ(case.organ_id, action=Phrase("record an appeal's result"))
    hold_version(session, case, expected_version)
    check_decision(appeal, result, decided_on, clock.today())
    organ, closed = _organ(session, case)
    require_open(closed, decided_on, what="appeal_decided", organ_code=organ.code)
    appeal.result, appeal.decided_on = result, decided_on
    session.add(appeal)
    session.flush()
    params = {"appeal_id": appeal_id, "result": result}
    _record(session, case, "appeal_decided", decided_on, params, actor)
    return appeal


def _record(
    session: Session, case: Case, event: str, on: dt.date, params: dict[str, Any], actor: Actor
) -> None:
    """An appeal is part of the case's history: an annotation with a version bump, by the same
    compare-and-set as every change (the case row, held by hold_version, is written as it is)."""
    session.expunge(case)  # the compare-and-set writes the row; the ORM must not flush it again
    annotate(session, case, event, on, params, actor=actor.name)
