"""The only code that changes a case. Every door (CLI, admin, import, tasks) comes through here.

Applying an event: load the case, let the state machine check it and compute the deadlines,
then, in the caller's transaction, update the row with a compare-and-set on its version and
append the history row. An event that is refused leaves nothing behind.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from functools import partial
from typing import Annotated, Any

from pydantic import BaseModel, BeforeValidator, ConfigDict
from sqlalchemy import bindparam, exists, insert, update
from sqlalchemy import select as sa_select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.attributes import set_committed_value
from sqlmodel import Session, col, select

from codes import Role
from codes.labels import Coded, FieldList
from config.i18n import N_
from config.logging import about_case
from config.settings import get_settings
from models.applicants import ApplicantDetails
from models.bulk import insert_returning_ids, insert_rows
from models.cases import Appeal, Case, CaseEvent, CaseRefSequence
from models.db import detached, is_postgres
from models.organs import Organ, User
from models.outbox import OutboxMessage
from models.reports import ReportSnapshot
from workflow import (
    calendar_store,  # noqa: F401  installs the database calendar (every door that changes a case comes through here)
    clock,
    fee_quotes,
    reminders,
)
from workflow import events as ev
from workflow.access import SYSTEM, Actor
from workflow.applicants import ApplicantDetailsIn, check_details, details_row
from workflow.bounds import as_id
from workflow.calendar import default_calendar
from workflow.code_input import label_or_code, parse_code
from workflow.directory import get_organ, get_user
from workflow.errors import (
    Conflict,
    InvalidInput,
    NotFound,
    OgiError,
    PermissionDenied,
    Phrase,
    RuleViolation,
    collect,
    gather,
)
from workflow.machine import CaseFlow, CaseRecord, Policy
from workflow.plan import MARK, REJUDGED, judge_marks, plan_of
from workflow.sealed_years import closed_years, require_open
from workflow.stored_text import same_reasons
from workflow.text import NAME, REQUEST, clean_optional, clean_text

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
_EVENTS = CaseEvent.__table__  # type: ignore[attr-defined]
_APPEALS = Appeal.__table__  # type: ignore[attr-defined]
# an appeal row copies its case's organ (models.cases.Appeal.organ_id)
_APPEAL_CASE, _APPEAL_ORGAN = _APPEALS.c.case_id.key, _APPEALS.c.organ_id.key
_CASE_ORGAN = _CASES.c.organ_id.key
_APPLICANTS = ApplicantDetails.__table__  # type: ignore[attr-defined]

# An event's compare-and-set also refuses a year sealed for the case's organ: the load below holds
# the organ row FOR SHARE (as workflow.sealed_years.closed_years does), so a concurrent close_year, which
# takes it FOR UPDATE, waits for this transaction; this later statement reads the seals with a
# snapshot taken after that lock was granted. One statement instead of a lock, a read and a write.
_SEALS = ReportSnapshot.__table__  # type: ignore[attr-defined]
_EVENT_CAS = _CAS.where(
    ~exists().where(
        _SEALS.c.organ_id == _CASES.c.organ_id,
        _SEALS.c.year == bindparam("cas_year"),
        _SEALS.c.reopened_at.is_(None),
    )
)


# the case to advance, its organ's code, and whether reminders are pending for it: one statement
_LOAD = (
    sa_select(
        *_CASES.columns,
        col(Organ.code).label("organ_code"),
        exists()
        .where(col(OutboxMessage.case_id) == _CASES.c.id, col(OutboxMessage.status) == "pending")
        .label("has_pending"),
    )
    .join_from(_CASES, Organ, _CASES.c.organ_id == col(Organ.id))
    .with_for_update(read=True, of=Organ)
)
_LOAD_BY_REF = _LOAD.where(_CASES.c.ref == bindparam("key"))
_LOAD_BY_ID = _LOAD.where(_CASES.c.id == bindparam("key"))


def policy() -> Policy:
    s = get_settings()
    return Policy(correction_days=s.correction_days, fee_days=s.fee_days)


def new_flow(record: CaseRecord) -> CaseFlow:
    return CaseFlow(record, calendar=default_calendar(), policy=policy())


# --- finding a case ----------------------------------------------------------------------------
def get_case(session: Session, key: str | int, *, actor: Actor | None = None) -> Case:
    """A case by its ref, or by its numeric id. With an actor, a case of an organ they may not see
    answers exactly as a missing one does (a refusal must not tell that it exists)."""
    row = session.exec(select(Case).where(Case.ref == str(key))).first() if usable_key(str(key)) else None
    if row is None and (number := as_id(key)) is not None:
        row = session.get(Case, number)
    if row is None or (actor is not None and not actor.can_see(row.organ_id)):
        raise NotFound("unknown case {key!r}", key=key)
    return row


def check_version(row: Case, expected: int | None) -> None:
    """A change made from a loaded page applies only to the case as it was loaded."""
    if expected is not None and expected != row.version:
        raise Conflict(
            "the case changed since you loaded it (version {expected}, now {version}); reload it",
            expected=expected,
            version=row.version,
        )


def hold_version(session: Session, row: Case, expected: int | None) -> None:
    """For a change recorded beside the case (an appeal) rather than by its compare-and-set: lock
    the case row until the transaction ends (PostgreSQL; SQLite serialises writers) and check its
    version then, so no event slips in between the check and the write."""
    if expected is None:
        return
    current = (
        session.connection()
        .execute(sa_select(_CASES.c.version).where(_CASES.c.id == row.id).with_for_update())
        .scalar_one()
    )
    set_committed_value(row, "version", current)
    check_version(row, expected)


# --- opening a case ----------------------------------------------------------------------------
class CaseOpening(BaseModel):
    """What opens a case, from every door: `case receive` / `case register`, the web form, and
    (with its history) a line of `case import` (workflow.importer.ImportLine)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    organ: str
    applicant_type: Annotated[str, BeforeValidator(partial(label_or_code, "applicant_type"))]
    applicant: str
    channel: Annotated[str, BeforeValidator(partial(label_or_code, "channel"))]
    received_on: dt.date | None = None  # the doors parse and bound their dates (the import: IsoDate)
    submitted_on: dt.date | None = None
    request: str | None = None
    assignee: str | None = None
    ref: str | None = None
    # contact details and the identity document (DESIGN §12); the number is protected at rest
    applicant_details: ApplicantDetailsIn | None = None


NewCase = CaseOpening  # the name the doors use


@dataclass(frozen=True)
class Header:
    """A new case's free text, checked and trimmed (the same for every door)."""

    applicant: str
    request: str | None


def check_header(applicant_type: str, channel: str, applicant: str, request: str | None = None) -> Header:
    """Every field checked, every bad one refused at once (a form marks each)."""
    checked = collect(
        {
            "applicant_type": partial(parse_code, "applicant_type", applicant_type, where="applicant_type"),
            "channel": partial(parse_code, "channel", channel, where="channel"),
            "applicant": partial(clean_text, applicant, NAME, "applicant"),
            "request": partial(clean_optional, request, REQUEST, "request"),
        }
    )
    return Header(applicant=checked["applicant"], request=checked["request"])


def opening_problems(new: CaseOpening) -> dict[str, OgiError]:
    """Every bad field of a new case the service would refuse one check at a time (its texts, its
    codes, the applicant's details), by field name: a form marks them all at once."""
    return gather(
        {
            "header": partial(check_header, new.applicant_type, new.channel, new.applicant, new.request),
            "details": partial(check_details, new.applicant_details),
        }
    )


# --- case references ---------------------------------------------------------------------------
REF_MAX = 64
_REF_FORBIDDEN = frozenset("/\\?#%")  # they break the case page's URL and the CLI's arguments
_REF_FORMULA = ("=", "+", "-", "@")  # a spreadsheet would run an exported ref as a formula
_AUTOMATIC = re.compile(r"^(.+)-(\d{4})-(\d+)$")


def ref_problem(ref: str) -> Phrase | None:
    """What is wrong with a ref typed by hand or imported (in the reader's language), or None."""
    if not 1 <= len(ref) <= REF_MAX:
        return Phrase("must be 1–{max} characters, got {n}", max=REF_MAX, n=len(ref))
    for i, ch in enumerate(ref, 1):
        if ch.isspace() or unicodedata.category(ch)[0] in "CZ":
            return Phrase(
                "contains white space or an invisible/control character (U+{code:04X}) at position {n}",
                code=ord(ch),
                n=i,
            )
        if ch in _REF_FORBIDDEN:
            return Phrase("contains {ch!r} at position {n} (none of / \\ ? # % may appear)", ch=ch, n=i)
    if ref.isdigit():
        return Phrase("is only digits (a bare number names a case by its id)")
    if ref.startswith(_REF_FORMULA):
        return Phrase("starts with {ch!r} (a spreadsheet would read it as a formula)", ch=ref[0])
    return None


def check_ref(ref: str, organ: Organ, codes: Mapping[str, int]) -> str:
    """A hand-typed or imported ref, refused unless well-formed and not in another organ's
    automatic numbering (`codes`: every organ's code in upper case, to its id)."""
    problem = ref_problem(ref)
    if problem:
        raise InvalidInput("case ref {ref!r}: {problem}", ref=ref, problem=problem)
    m = _AUTOMATIC.match(ref)
    owner = codes.get(m.group(1).upper()) if m else None
    if owner is not None and owner != organ.id:
        raise RuleViolation(
            "case ref {ref!r}: has the form of another organ's automatic numbering ({value}-YEAR-N); use "
            "a ref of organ {code}",
            ref=ref,
            value=m.group(1),  # type: ignore[union-attr]
            code=organ.code,
        )
    return ref


def ref_taken(refs: str) -> RuleViolation:
    """A typed ref that is taken, in words that do not say a case exists nor whose it is: the same
    whether the user's own organ or another holds it (refs are unique across organs)."""
    return RuleViolation(
        "case ref {refs} cannot be used (refs are unique across all organs); "
        "type another, or leave it blank for the next automatic number",
        refs=refs,
    )


def require_free_ref(session: Session, ref: str) -> None:
    if session.exec(select(Case.id).where(Case.ref == ref)).first() is not None:
        raise ref_taken(repr(ref))


def organ_codes(session: Session) -> dict[str, int]:
    return {code.upper(): oid for code, oid in session.exec(select(Organ.code, Organ.id)) if oid is not None}


def usable_key(key: str) -> bool:
    """Whether a typed case key can be looked up at all (PostgreSQL refuses NUL in a parameter)."""
    return len(key) <= REF_MAX and "\x00" not in key


def opening(received_on: dt.date | None, submitted_on: dt.date | None) -> tuple[str, dt.date]:
    """The first event of a case: receive (clock starts) or register (awaiting confirmation)."""
    if (received_on is None) == (submitted_on is None):
        raise InvalidInput(
            "give exactly one of received_on (clock starts) or submitted_on (awaiting confirmation)"
        )
    return ("receive", received_on) if received_on else ("register", submitted_on)  # type: ignore[return-value]


def check_assignee(user: User, organ: Organ) -> None:
    if user.organ_id != organ.id:
        raise RuleViolation(
            "assignee {name!r} does not work for organ {code}", name=user.name, code=organ.code
        )
    if not user.active:
        raise RuleViolation("assignee {name!r} is deactivated", name=user.name)


def open_case(session: Session, new: NewCase, *, actor: Actor, today: dt.date | None = None) -> Case:
    header = check_header(new.applicant_type, new.channel, new.applicant, new.request)
    event, on = opening(new.received_on, new.submitted_on)
    organ = get_organ(session, new.organ)
    assert organ.id is not None
    actor.require_organ(organ.id, action=Phrase("receive applications for this organ"))
    ref = check_ref(new.ref, organ, organ_codes(session)) if new.ref is not None else None
    details = check_details(new.applicant_details)
    if ref is not None:
        require_free_ref(session, ref)
    row = Case(
        ref=ref or next_ref(session, organ, on),
        organ_id=organ.id,
        applicant_type=new.applicant_type,
        applicant=header.applicant,
        channel=new.channel,
        request=header.request,
    )
    if new.assignee:
        user = get_user(session, new.assignee)
        check_assignee(user, organ)
        row.assignee_id = user.id
    params = ev.Params(on=on)
    require_open(closed_years(session, organ.id), on, what=event, organ_code=organ.code)
    record = CaseRecord()
    today = today or clock.today()
    new_flow(record).fire(event, params, today=today)
    copy_into(row, record)
    case = {c.name: getattr(row, c.name) for c in _CASES.columns if c.name != "id"}
    case |= {"version": 1, "created_at": clock.now()}
    opened = Opened(
        case, [history_row(0, 1, event, params, actor.name)], applicant=details_row(details, organ.id)
    )
    with about_case(row.ref):
        return detached(Case, {**case, "id": write_opened(session, [opened], today=today)[0]})


# a column a new row leaves to its default (an importer's row names only what it knows)
_UNSET = {
    c.name: c.default.arg if c.default is not None and c.default.is_scalar else None for c in _CASES.columns
}
APPEAL_EVENTS = ("appeal_filed", "appeal_decided")  # the annotations that record an appeal


@dataclass(frozen=True, slots=True)
class Opened:
    """A new case, checked and replayed: its row (without id), its history and its appeals. Their
    case_id is filled in on writing, and so is an appeal annotation's appeal_id, which until then
    is the appeal's index in `appeals`."""

    case: dict[str, Any]
    history: list[dict[str, Any]]
    appeals: list[dict[str, Any]] = field(default_factory=list)
    applicant: dict[str, Any] | None = None  # its applicant_details row (workflow.applicants.details_row)


def write_opened(session: Session, batch: Sequence[Opened], *, today: dt.date) -> list[int]:
    """The one way new cases are written (a receive, a register, an import): the rows, their
    history and appeals, and the reminders the open ones are already due for, all in the caller's
    transaction. Returns the new ids, in order."""
    try:
        ids = insert_returning_ids(session, _CASES, [o.case for o in batch])
    except IntegrityError:  # the refs were checked; a concurrent writer took one meanwhile
        refs = ", ".join(repr(o.case["ref"]) for o in batch[:3])
        raise ref_taken(f"{'among ' if len(batch) > 1 else ''}{refs}") from None
    pairs = list(zip(batch, ids, strict=True))
    appeals = [
        {**a, _APPEAL_CASE: i, _APPEAL_ORGAN: o.case[_CASE_ORGAN]} for o, i in pairs for a in o.appeals
    ]
    appeal_ids = iter(insert_returning_ids(session, _APPEALS, appeals))
    history = []
    for o, i in pairs:
        mine = [next(appeal_ids) for _ in o.appeals]
        history += [{**h, "case_id": i, "params": _appeal_id(h, mine)} for h in o.history]
    insert_rows(session, _EVENTS, history)
    insert_rows(session, _APPLICANTS, [{**o.applicant, "case_id": i} for o, i in pairs if o.applicant])
    opened = [detached(Case, {**_UNSET, **o.case, "id": i}) for o, i in pairs]
    reminders.queue_opened(session, opened, today)  # in the same transaction
    return ids


def copy_into(row: Case, record: CaseRecord) -> None:
    """Put what the flow decided on the row. The service's rows are detached (only the
    compare-and-set writes), so the values are set without the ORM's change tracking."""
    for name, value in record.values().items():
        set_committed_value(row, name, value)


def _appeal_id(history: dict[str, Any], appeal_ids: list[int]) -> Any:
    params = history["params"]
    if history["event"] in APPEAL_EVENTS:
        return {**params, "appeal_id": appeal_ids[params["appeal_id"]]}
    return params


def next_ref(session: Session, organ: Organ, on: dt.date) -> str:
    """ORGAN-YEAR-NNNNN, numbered within the organ and year of the first event: the organ's own
    sequence, skipping a number a ref typed or imported earlier already holds."""
    assert organ.id is not None
    prefix = f"{organ.code.upper()}-{on.year}-"
    while True:
        ref = f"{prefix}{_draw(session, organ.id, on.year, prefix):05d}"
        if session.exec(select(Case.id).where(Case.ref == ref)).first() is None:
            return ref


def _draw(session: Session, organ_id: int, year: int, prefix: str) -> int:
    """The next number of the organ's sequence for the year. The row's update holds its lock until
    the transaction ends, so concurrent receives for one organ and year draw one after another."""
    seq = CaseRefSequence.__table__  # type: ignore[attr-defined]
    key = (seq.c.organ_id == organ_id) & (seq.c.year == year)
    drawn = session.execute(update(seq).where(key).values(last=seq.c.last + 1).returning(seq.c.last)).scalar()
    if drawn is not None:
        return int(drawn)
    # first number of the year here (or a database from before the sequence): after the organ's own
    # automatic refs; refs of other forms (a legacy A017, a short 9) never steer it
    start = _last_own_number(session, organ_id, prefix) + 1
    insert_ = postgresql.insert if is_postgres(session) else sqlite.insert
    stmt = (
        insert_(seq)
        .values(organ_id=organ_id, year=year, last=start)
        .on_conflict_do_update(index_elements=["organ_id", "year"], set_={"last": seq.c.last + 1})
        .returning(seq.c.last)
    )
    return int(session.execute(stmt).scalar_one())


def _last_own_number(session: Session, organ_id: int, prefix: str) -> int:
    refs = session.exec(
        select(Case.ref).where(Case.organ_id == organ_id, col(Case.ref).startswith(prefix, autoescape=True))
    )
    numbers = [
        int(t) for r in refs if (t := r[len(prefix) :]).isascii() and t.isdigit() and f"{int(t):05d}" == t
    ]
    return max(numbers, default=0)


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
    loaded = _load(session, key)
    try:
        with about_case(loaded.row.ref):
            return _advance(session, loaded, event, raw, actor, expected_version, today or clock.today())
    except OgiError as e:
        raise type(e)(N_("case {ref}: {problem}"), ref=loaded.row.ref, problem=e) from None


@dataclass(frozen=True)
class _Loaded:
    row: Case  # detached: the flow changes a copy; only the compare-and-set writes
    organ_code: str
    has_pending: bool  # reminders are pending in the outbox for this case


def _load(session: Session, key: str | int) -> _Loaded:
    conn = session.connection()
    found = conn.execute(_LOAD_BY_REF, {"key": str(key)}).mappings().first() if usable_key(str(key)) else None
    if found is None and (number := as_id(key)) is not None:
        found = conn.execute(_LOAD_BY_ID, {"key": number}).mappings().first()
    if found is None:
        raise NotFound("unknown case {key!r}", key=key)
    return _Loaded(detached(Case, found), found["organ_code"], bool(found["has_pending"]))


def _advance(
    session: Session,
    loaded: _Loaded,
    event: str,
    raw: dict[str, Any],
    actor: Actor,
    expected: int | None,
    today: dt.date,
) -> Case:
    row = loaded.row
    assert row.id is not None
    actor.require_organ(row.organ_id, action=Phrase("record {event}", event=Coded("event", event)))
    version = row.version
    check_version(row, expected)
    if event in ev.OPENING_EVENTS:
        raise RuleViolation(
            "{event} opens a new case; use `case receive` or `case register`", event=Coded("event", event)
        )
    record = CaseRecord.of(row)
    flow = new_flow(record)
    params = flow.resolve(event, ev.parse_params(event, raw), today)
    if isinstance(params, ev.Extend):
        require_approver(session, params.approver, row.organ_id)
    if isinstance(params, ev.NotifyFee):  # the amount computed from the method and pages (109号)
        params = fee_quotes.priced(session, row, params)
    assert params.on is not None
    flow.fire(event, params, today=today)
    # after the rules (they say first whether the event may happen at all); nothing is written yet
    require_letter_params(event, params)
    copy_into(row, record)
    history = history_row(row.id, version + 1, event, params, actor.name)
    write(session, row, version, history, sealed_check=(event, params.on, loaded.organ_code))
    if params.on < today:  # dated in the past: it may refute what the sweep wrote meanwhile
        rejudge_marks(session, row, params.on, today)
    # in the same transaction: queue what the case is now due for, cancel reminders gone stale
    reminders.refresh(session, row, today, has_pending=loaded.has_pending)
    return row


def require_letter_params(event: str, params: ev.Params) -> None:
    """A live event carries what its document must print (DESIGN §11): refused, naming the missing."""
    gaps = ev.letter_gaps(event, params)
    if gaps:
        outcome = getattr(params, "outcome", None)
        what = Coded("outcome", outcome) if outcome else Coded("event", event)
        raise InvalidInput("{event}: {names} required for {what} (the document notifies it)",
              event=Coded("event", event), names=FieldList(gaps), what=what
        )  # fmt: skip


_APPROVER = sa_select(col(User.role), col(User.organ_id)).where(col(User.name) == bindparam("name"))


def require_approver(session: Session, name: str, organ_id: int) -> None:
    """In live use an extension needs the consent of a supervisor of the case's organ (Art. 33)."""
    found = session.connection().execute(_APPROVER, {"name": name}).first()
    if found is None:
        raise RuleViolation(
            "extend: approver {name!r} is not a user; name a supervisor of the organ", name=name
        )
    role, approver_organ = found
    if role != Role.supervisor:
        raise PermissionDenied(
            "extend: approver {name!r} is a {role}, not a supervisor", name=name, role=Coded("role", role)
        )
    if approver_organ != organ_id:
        raise PermissionDenied("extend: approver {name!r} is a supervisor of another organ", name=name)


def write(
    session: Session,
    row: Case,
    version: int,
    history: dict[str, Any],
    *,
    sealed_check: tuple[str, dt.date, str] | None = None,
) -> None:
    """Compare-and-set the case and append its history row: the update applies only if nobody
    changed the case since `version`, and the row's `seq` is the new version.

    With `sealed_check` (event, date, organ code) it also applies only if the date's year is not
    sealed for the case's organ, and the refusal says which of the two it was."""
    values = {f"v_{name}": getattr(row, name) for name in MUTABLE_COLUMNS}
    values |= {"cas_id": row.id, "cas_version": version, "cas_next": version + 1}
    if sealed_check is not None:
        values["cas_year"] = sealed_check[1].year
    # applies only if nobody changed the case since `version` (and, for an event, its year is not
    # sealed); 0 rows = someone else got there first, and nothing is appended
    if session.connection().execute(_EVENT_CAS if sealed_check else _CAS, values).rowcount != 1:
        if sealed_check is not None:
            event, on, organ_code = sealed_check
            require_open(closed_years(session, row.organ_id), on, what=event, organ_code=organ_code)
        raise Conflict("someone else changed the case at the same time; reload it and try again")
    session.execute(_HISTORY, history)
    row.version = version + 1


_MARKS_AFTER = (
    sa_select(col(CaseEvent.seq))
    .where(
        col(CaseEvent.case_id) == bindparam("case_id"),
        col(CaseEvent.event) == MARK,
        col(CaseEvent.effective_on) > bindparam("on"),
    )
    .limit(1)
)


def rejudge_marks(session: Session, row: Case, on: dt.date, today: dt.date) -> None:
    """Void the sweep's `became_overdue` entries that an event just recorded, dated `on`, refutes
    (workflow.plan.judge_marks): recorded in a `sweep_entries_rejudged` entry carrying the replay
    plan, as the recompute records the sweep's lapses it re-derives. Only a mark dated after `on`
    can be refuted, so a case without one costs one indexed lookup."""
    assert row.id is not None
    if session.connection().execute(_MARKS_AFTER, {"case_id": row.id, "on": on}).first() is None:
        return
    q = select(CaseEvent).where(CaseEvent.case_id == row.id).order_by(col(CaseEvent.seq))
    events = list(session.exec(q))
    plan = plan_of(events)
    voided = judge_marks(events, plan, lambda: new_flow(CaseRecord()))
    if not same_reasons(voided, plan.voided):
        replan = replace(plan, voided=voided)
        annotate(session, row, REJUDGED, today, {"replay": replan.as_params()}, actor=SYSTEM.name)


def annotate(
    session: Session, row: Case, event: str, on: dt.date, params: dict[str, Any], *, actor: str
) -> None:
    """Write a system annotation (became overdue, deadlines recomputed) and the row as it now is."""
    assert event in ev.ANNOTATIONS and row.id is not None
    history = {
        "case_id": row.id,
        "seq": row.version + 1,
        "event": event,
        "effective_on": on,
        "actor": actor,
        "recorded_at": clock.now(),
        "params": params,
    }
    write(session, row, row.version, history)


def reassign(
    session: Session,
    key: str | int,
    assignee: str | None,
    *,
    actor: Actor,
    expected_version: int | None = None,
) -> Case:
    """Give a case to another caseworker of its organ; recorded in the history like any change."""
    row = get_case(session, key)
    session.expunge(row)
    actor.require_organ(row.organ_id, action=Phrase("reassign the case"))
    check_version(row, expected_version)
    organ = session.get(Organ, row.organ_id)
    assert organ is not None
    before = session.get(User, row.assignee_id).name if row.assignee_id else None  # type: ignore[union-attr]
    user = get_user(session, assignee) if assignee else None
    if user is not None:
        check_assignee(user, organ)
    row.assignee_id = user.id if user else None
    today = clock.today()
    annotate(session, row, "reassigned", today, {"from": before, "to": assignee}, actor=actor.name)
    reminders.refresh(session, row, today)  # the pending reminders follow the case to its new assignee
    return row
