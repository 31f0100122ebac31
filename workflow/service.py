"""The only code that changes a case. Every door (CLI, admin, import, tasks) comes through here.

Applying an event: load the case, let the state machine check it and compute the deadlines,
then, in the caller's transaction, update the row with a compare-and-set on its version and
append the history row. An event that is refused leaves nothing behind.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import bindparam, func, insert, update
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from config.settings import get_settings
from models.cases import Case, CaseEvent
from models.organs import Organ, User
from workflow import clock, reminders
from workflow import events as ev
from workflow.access import Actor
from workflow.calendar import default_calendar
from workflow.codes import ApplicantType, Channel, Role
from workflow.directory import get_organ, get_user
from workflow.errors import Conflict, InvalidInput, NotFound, OgiError, PermissionDenied, RuleViolation
from workflow.machine import CaseFlow, CaseRecord, Policy
from workflow.years import closed_years, require_open

# the columns an event may change; identity columns never change after creation
_FIXED = frozenset({"id", "ref", "organ_id", "created_at", "version"})
MUTABLE_COLUMNS: tuple[str, ...] = tuple(c.name for c in Case.__table__.columns if c.name not in _FIXED)  # type: ignore[attr-defined]

# The compare-and-set and the history insert, built once as Core statements. Built per event through
# the ORM (values coerced one by one, the session synchronised after the update), they cost more
# than the database round trips of an event (profile: benchmarks/bench_transitions.py).
_CASES = Case.__table__  # type: ignore[attr-defined]
_CAS = (
    update(_CASES)
    .where(_CASES.c.id == bindparam("cas_id"), _CASES.c.version == bindparam("cas_version"))
    .values({**{name: bindparam(f"v_{name}") for name in MUTABLE_COLUMNS}, "version": bindparam("cas_next")})
)
_HISTORY = insert(CaseEvent.__table__)  # type: ignore[attr-defined]


def policy() -> Policy:
    s = get_settings()
    return Policy(correction_days=s.correction_days, fee_days=s.fee_days)


def new_flow(record: CaseRecord) -> CaseFlow:
    return CaseFlow(record, calendar=default_calendar(), policy=policy())


# --- finding a case ----------------------------------------------------------------------------
def get_case(session: Session, key: str | int) -> Case:
    """A case by its ref, or by its numeric id."""
    row = session.exec(select(Case).where(Case.ref == str(key))).first()
    if row is None and str(key).isdigit():
        row = session.get(Case, int(key))
    if row is None:
        raise NotFound(f"unknown case {key!r}")
    return row


# --- opening a case ----------------------------------------------------------------------------
@dataclass(frozen=True)
class NewCase:
    """What `case receive` / `case register` and the admin's form supply."""

    organ: str
    applicant_type: str
    applicant: str
    channel: str
    received_on: dt.date | None = None
    submitted_on: dt.date | None = None
    request: str | None = None
    assignee: str | None = None
    ref: str | None = None


def check_header(applicant_type: str, channel: str, applicant: str) -> None:
    if applicant_type not in ApplicantType.__members__:
        raise InvalidInput(f"unknown applicant type {applicant_type!r} ({', '.join(ApplicantType)})")
    if channel not in Channel.__members__:
        raise InvalidInput(f"unknown channel {channel!r} ({', '.join(Channel)})")
    if not applicant.strip():
        raise InvalidInput("the applicant's name is empty")


def opening(received_on: dt.date | None, submitted_on: dt.date | None) -> tuple[str, dt.date]:
    """The first event of a case: receive (clock starts) or register (awaiting confirmation)."""
    if (received_on is None) == (submitted_on is None):
        raise InvalidInput(
            "give exactly one of received_on (clock starts) or submitted_on (awaiting confirmation)"
        )
    return ("receive", received_on) if received_on else ("register", submitted_on)  # type: ignore[return-value]


def check_assignee(user: User, organ: Organ) -> None:
    if user.organ_id != organ.id:
        raise RuleViolation(f"assignee {user.name!r} does not work for organ {organ.code}")
    if not user.active:
        raise RuleViolation(f"assignee {user.name!r} is deactivated")


def open_case(session: Session, new: NewCase, *, actor: Actor, today: dt.date | None = None) -> Case:
    check_header(new.applicant_type, new.channel, new.applicant)
    event, on = opening(new.received_on, new.submitted_on)
    organ = get_organ(session, new.organ)
    assert organ.id is not None
    actor.require_organ(organ.id, action="receive applications for this organ")
    row = Case(
        ref=new.ref or next_ref(session, organ, on),
        organ_id=organ.id,
        applicant_type=new.applicant_type,
        applicant=new.applicant.strip(),
        channel=new.channel,
        request=new.request,
    )
    if new.assignee:
        user = get_user(session, new.assignee)
        check_assignee(user, organ)
        row.assignee_id = user.id
    params = ev.Params(on=on)
    require_open(closed_years(session, organ.id), on, what=event, organ_code=organ.code)
    record = CaseRecord()
    new_flow(record).fire(event, params, today=today or clock.today())
    copy_into(row, record)
    session.add(row)
    try:
        session.flush()
    except IntegrityError:
        raise RuleViolation(f"case ref {row.ref!r} already exists") from None
    assert row.id is not None
    session.execute(_HISTORY, history_row(row.id, 1, event, params, actor.name))
    reminders.refresh(session, row, today or clock.today())  # outbox rows in the same transaction
    return row


def copy_into(row: Case, record: CaseRecord) -> None:
    for name, value in record.values().items():
        setattr(row, name, value)


def next_ref(session: Session, organ: Organ, on: dt.date) -> str:
    """ORGAN-YEAR-NNNNN, numbered within the organ and year of the first event."""
    prefix = f"{organ.code.upper()}-{on.year}-"
    last = session.exec(select(func.max(Case.ref)).where(col(Case.ref).startswith(prefix))).one()
    n = int(last.removeprefix(prefix)) + 1 if last and last.removeprefix(prefix).isdigit() else 1
    return f"{prefix}{n:05d}"


def history_row(case_id: int, seq: int, event: str, params: ev.Params, actor: str) -> dict[str, Any]:
    return {
        "case_id": case_id,
        "seq": seq,
        "event": event,
        "effective_on": params.on,
        "actor": actor,
        "recorded_at": clock.now(),
        "params": ev.stored_params(params),
    }


# --- advancing a case --------------------------------------------------------------------------
def advance(
    session: Session,
    key: str | int,
    event: str,
    raw: dict[str, Any],
    *,
    actor: Actor,
    expected_version: int | None = None,
    today: dt.date | None = None,
) -> Case:
    """Apply one event to a stored case. Raises an OgiError naming the case; writes nothing then."""
    row = get_case(session, key)
    session.expunge(row)  # the flow mutates a detached copy; only the compare-and-set writes
    try:
        return _advance(session, row, event, raw, actor, expected_version, today or clock.today())
    except OgiError as e:
        raise type(e)(f"case {row.ref}: {e}") from None


def _advance(
    session: Session,
    row: Case,
    event: str,
    raw: dict[str, Any],
    actor: Actor,
    expected: int | None,
    today: dt.date,
) -> Case:
    assert row.id is not None
    actor.require_organ(row.organ_id, action=f"record {event}")
    version = row.version
    if expected is not None and expected != version:
        raise Conflict(f"the case changed since you loaded it (version {expected}, now {version}); reload it")
    if event in ev.OPENING_EVENTS:
        raise RuleViolation(f"{event} opens a new case; use `case receive` or `case register`")
    record = CaseRecord.of(row)
    flow = new_flow(record)
    params = flow.resolve(event, ev.parse_params(event, raw), today)
    assert params.on is not None
    closed = closed_years(session, row.organ_id)
    require_open(closed, params.on, what=event, organ_code=lambda: _organ_code(session, row))
    if isinstance(params, ev.Extend):
        require_approver(session, params.approver, row.organ_id)
    flow.fire(event, params, today=today)
    copy_into(row, record)
    write(session, row, version)
    session.execute(_HISTORY, history_row(row.id, row.version, event, params, actor.name))
    # in the same transaction: queue what the case is now due for, cancel reminders gone stale
    reminders.refresh(session, row, today)
    return row


def _organ_code(session: Session, row: Case) -> str:
    organ = session.get(Organ, row.organ_id)
    assert organ is not None
    return organ.code


def require_approver(session: Session, name: str, organ_id: int) -> None:
    """In live use an extension needs the consent of a supervisor of the case's organ (Art. 33)."""
    try:
        user = get_user(session, name)
    except NotFound:
        raise RuleViolation(
            f"extend: approver {name!r} is not a user; name a supervisor of the organ"
        ) from None
    if user.role != Role.supervisor:
        raise PermissionDenied(f"extend: approver {name!r} is a {user.role}, not a supervisor")
    if user.organ_id != organ_id:
        raise PermissionDenied(f"extend: approver {name!r} is a supervisor of another organ")


def write(session: Session, row: Case, version: int) -> None:
    """Compare-and-set: the update applies only if nobody changed the case since `version`."""
    values = {f"v_{name}": getattr(row, name) for name in MUTABLE_COLUMNS}
    values |= {"cas_id": row.id, "cas_version": version, "cas_next": version + 1}
    result = session.execute(_CAS, values)
    if result.rowcount != 1:  # type: ignore[attr-defined]
        raise Conflict("someone else changed the case at the same time; reload it and try again")
    row.version = version + 1


def annotate(
    session: Session, row: Case, event: str, on: dt.date, params: dict[str, Any], *, actor: str
) -> None:
    """Write a system annotation (became overdue, deadlines recomputed) and the row as it now is."""
    assert event in ev.ANNOTATIONS and row.id is not None
    version = row.version
    write(session, row, version)
    session.execute(
        _HISTORY,
        {
            "case_id": row.id,
            "seq": row.version,
            "event": event,
            "effective_on": on,
            "actor": actor,
            "recorded_at": clock.now(),
            "params": params,
        },
    )


def reassign(session: Session, key: str | int, assignee: str | None, *, actor: Actor) -> Case:
    """Give a case to another caseworker of its organ; recorded in the history like any change."""
    row = get_case(session, key)
    session.expunge(row)
    actor.require_organ(row.organ_id, action="reassign the case")
    organ = session.get(Organ, row.organ_id)
    assert organ is not None
    before = session.get(User, row.assignee_id).name if row.assignee_id else None  # type: ignore[union-attr]
    user = get_user(session, assignee) if assignee else None
    if user is not None:
        check_assignee(user, organ)
    row.assignee_id = user.id if user else None
    annotate(session, row, "reassigned", clock.today(), {"from": before, "to": assignee}, actor=actor.name)
    return row
