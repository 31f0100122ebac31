"""Cases as data (the public JSON of DESIGN §8) and the case list's filters, shared by every door."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.sql.elements import ColumnElement
from sqlmodel import Session, col, select

from codes import CASE_DATE_LABELS, State
from codes.labels import FieldName
from models.cases import Appeal, Case, CaseEvent
from models.organs import Organ, User
from workflow import clock
from workflow.applicants import applicant_details, identity_condition, identity_hash, masked
from workflow.bounds import check_count, check_year
from workflow.calendar import add_workdays
from workflow.case_search import normalise, search_clause
from workflow.code_input import parse_code
from workflow.directory import get_organ, get_user, subtree_ids
from workflow.machine import is_overdue
from workflow.replay import Plan, plan_of
from workflow.stored_text import shown

_DATES = tuple(CASE_DATE_LABELS)


def case_json(row: Case, *, organ: str, assignee: str | None, today: dt.date) -> dict[str, Any]:
    out: dict[str, Any] = {
        "id": row.id,
        "ref": row.ref,
        "organ": organ,
        "applicant_type": row.applicant_type,
        "applicant": row.applicant,
        "channel": row.channel,
        "state": row.state,
        "outcome": row.outcome,
    }
    out.update({k: (v.isoformat() if (v := getattr(row, k)) else None) for k in _DATES})
    out.update(
        late=row.late,
        extension_days=row.extension_days,
        paused_workdays=row.paused_workdays,
        provisional=row.provisional,
        attention=row.attention,  # why a supervisor must look at the case, or null
        overdue=is_overdue(row, today),
        late_correction_notice=row.late_correction_notice,
        assignee=assignee,
        version=row.version,
    )
    return out


def event_json(h: CaseEvent, plan: Plan | None = None) -> dict[str, Any]:
    out = {
        "event": h.event,
        "on": h.effective_on.isoformat(),
        "actor": h.actor,
        "recorded_at": h.recorded_at.isoformat(),
        **h.params,
    }
    # what a later calendar change made of the entry (the history itself is never rewritten)
    if plan is not None and h.seq in plan.moved:
        out["rederived_on"] = plan.moved[h.seq].isoformat()
    if plan is not None and h.seq in plan.removed:
        out["undone"] = True
    if plan is not None and h.seq in plan.kept:
        out["kept_as_recorded"] = shown(plan.kept[h.seq])
    if plan is not None and h.seq in plan.voided:  # a sweep entry a later-recorded event refutes
        out["undone"] = True
        out["void"] = shown(plan.voided[h.seq])
    return out


def appeal_json(a: Appeal) -> dict[str, Any]:
    return {
        "id": a.id,
        "kind": a.kind,
        "filed_on": a.filed_on.isoformat(),
        "result": a.result,
        "decided_on": a.decided_on.isoformat() if a.decided_on else None,
    }


def history(session: Session, case_id: int) -> list[CaseEvent]:
    q = select(CaseEvent).where(CaseEvent.case_id == case_id).order_by(col(CaseEvent.seq))
    return list(session.exec(q))


def case_detail(
    session: Session, row: Case, *, reveal: bool = False, events: list[CaseEvent] | None = None
) -> dict[str, Any]:
    """`case show --json`: the case, its events and its appeals, and `applicant_details` (null when
    only a name was given) with the identity number masked, or in clear with `reveal` (for the
    organ's own users: workflow.applicants). `events`: the case's history when the caller read it
    already (the case page shows it twice)."""
    assert row.id is not None
    [out] = cases_json(session, [row])
    out["request"] = row.request
    details = applicant_details(session, row.id)
    out["applicant_details"] = details if reveal else masked(details)
    events = history(session, row.id) if events is None else events
    plan = plan_of(events)
    out["events"] = [event_json(h, plan) for h in events]
    appeals = session.exec(select(Appeal).where(Appeal.case_id == row.id).order_by(col(Appeal.id)))
    out["appeals"] = [appeal_json(a) for a in appeals]
    return out


def cases_json(session: Session, rows: Sequence[Case]) -> list[dict[str, Any]]:
    # only the organs and assignees of these rows (an office has hundreds of users; a page, 50 rows)
    organ_ids = {r.organ_id for r in rows}
    user_ids = {r.assignee_id for r in rows if r.assignee_id}
    organs = {o.id: o.code for o in session.exec(select(Organ).where(col(Organ.id).in_(organ_ids)))}
    users = (
        {u.id: u.name for u in session.exec(select(User).where(col(User.id).in_(user_ids)))}
        if user_ids
        else {}
    )
    today = clock.today()
    return [
        case_json(
            r,
            organ=organs[r.organ_id],
            assignee=users.get(r.assignee_id) if r.assignee_id else None,
            today=today,
        )
        for r in rows
    ]


@dataclass(frozen=True)
class CaseFilter:
    """The case list's filters; every one optional."""

    organ: str | None = None
    include_children: bool = False
    state: str | None = None
    overdue: bool = False
    due_within: int | None = None  # working days
    assignee: str | None = None
    applicant_type: str | None = None
    year: int | None = None  # received in
    attention: bool = False  # only cases flagged for a supervisor
    # the applicant's identity number (matched through its keyed hash; never stored in clear)
    identity_number: str | None = field(default=None, repr=False)
    organ_ids: tuple[int, ...] | None = None  # set by the admin to the user's organ(s)
    search: str = ""  # ref prefix, applicant, request text or identity number (workflow.case_search)

    def check(self) -> None:
        """Refuse a filter value that can match nothing because it is not a value at all."""
        if self.state:
            object.__setattr__(self, "state", parse_code("state", self.state, where="state"))
        if self.applicant_type:
            code = parse_code("applicant_type", self.applicant_type, where="applicant_type")
            object.__setattr__(self, "applicant_type", code)
        if self.due_within is not None:
            check_count(self.due_within, FieldName.named("due_within"))
        if self.year is not None:
            check_year(self.year)

    def where(self, session: Session) -> list[ColumnElement[bool]]:
        self.check()
        today = clock.today()
        conds: list[ColumnElement[bool]] = []
        if self.organ:
            organ = get_organ(session, self.organ)
            assert organ.id is not None
            ids = subtree_ids(session, organ.id) if self.include_children else [organ.id]
            conds.append(col(Case.organ_id).in_(ids))
        if self.organ_ids is not None:
            conds.append(col(Case.organ_id).in_(self.organ_ids))
        if self.state:
            conds.append(col(Case.state) == self.state)
        if self.overdue:
            conds += [col(Case.state) == State.received, col(Case.reply_due) < today]
        if self.due_within is not None:
            limit = add_workdays(today, self.due_within)
            conds += [
                col(Case.state) == State.received,
                col(Case.reply_due) >= today,
                col(Case.reply_due) <= limit,
            ]
        if self.assignee:
            conds.append(col(Case.assignee_id) == get_user(session, self.assignee).id)
        if self.applicant_type:
            conds.append(col(Case.applicant_type) == self.applicant_type)
        if self.identity_number:
            conds.append(identity_condition(identity_hash(self.identity_number)))
        if self.attention:
            conds.append(col(Case.attention).is_not(None))
        if self.year:
            conds.append(col(Case.received_on).between(dt.date(self.year, 1, 1), dt.date(self.year, 12, 31)))
        found = search_clause(normalise(self.search))
        if found is not None:
            conds.append(found)
        return conds


def list_cases(session: Session, f: CaseFilter, *, limit: int | None = None, offset: int = 0) -> list[Case]:
    q = select(Case).where(*f.where(session)).order_by(col(Case.id)).offset(offset)
    if limit is not None:
        q = q.limit(limit)
    return list(session.exec(q))
