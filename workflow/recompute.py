"""Recomputing cases after the calendar changed (a year's arrangement imported or seeded).

A State Council notice may name days of the year before (the 2019 notice: 29–31 December 2018), so
what is recomputed starts at the earliest day whose working status or year's official status
changed, not at 1 January of the notice's year.

Each affected case (open or concluded) is replayed on the new calendar, and what its history holds
is treated by who decided it (issue 10 item 2):

- a lapse the system fired on a deadline is re-derived: it moves to the new due date, or, when that
  date is still to come and nothing was recorded after it, it did not happen (the case returns to
  its pause and the reminders follow);
- a fact judged against a deadline (an answer's `late`, an extension "before the deadline", a
  person's lapse, an opinion or a payment "within the period") is re-judged: `late` simply follows;
  a recorded decision the new calendar's rules would refuse is kept as recorded, its effects
  computed on the new calendar, and the case is flagged for a supervisor with the reason.

The outcome is recorded in the history (`deadlines_recomputed`: the changed columns, and the replay
plan when it changed), so replaying the history always gives the stored case.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from sqlalchemy import or_
from sqlmodel import Session, col, select

from codes import DEADLINE_COLUMNS, Role
from codes.labels import Coded
from config.i18n import N_, _
from config.logging import about_case
from config.settings import get_settings
from models.cases import Case, CaseEvent
from models.db import session_scope
from models.migrate import upgrade as migrate
from workflow import calendar as wcal
from workflow import clock, reminders
from workflow.access import SYSTEM, Actor
from workflow.calendar_store import Arrangement, install_arrangement, read_calendar, seed_from_package
from workflow.case_json import history
from workflow.errors import OgiError, Phrase, RuleViolation
from workflow.events import ANNOTATIONS
from workflow.machine import CaseFlow, CaseRecord
from workflow.replay import (
    DERIVED_COLUMNS,
    RECOMPUTED,
    Plan,
    event_params,
    fresh_case,
    judge_marks,
    plan_of,
)
from workflow.service import annotate, check_version, get_case, new_flow
from workflow.stored_text import Stored, shown, stored
from workflow.text import REASON, clean_optional

log = logging.getLogger(__name__)

# the lapses the sweep fires; the system re-derives its own, never a person's
SYSTEM_LAPSES = frozenset({"lapse_consultation", "lapse_correction", "lapse_fee"})
ACKNOWLEDGED = "attention_acknowledged"
NOT_RECOMPUTED = "期限无法按现行节假日安排重新计算"


@dataclass
class RecomputeResult:
    checked: int = 0
    changed: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)  # "REF: why"; each such case is flagged
    attention: list[str] = field(default_factory=list)  # refs newly flagged for a supervisor
    first_day: dt.date | None = None  # the earliest day the change touched (None: nothing changed)


# --- what changed --------------------------------------------------------------------------------
def first_change(before: wcal.CalendarData, after: wcal.CalendarData) -> dt.date | None:
    """The earliest day whose working status changed, or 1 January of a year whose official
    status changed (its deadlines stop, or start, being provisional)."""
    days = (before.holidays ^ after.holidays) | (before.workdays ^ after.workdays)
    years = before.official_years ^ after.official_years
    return min([*days, *(dt.date(y, 1, 1) for y in years)], default=None)


def affected(session: Session, first_day: dt.date) -> list[Case]:
    """Every case whose recorded computations may reach `first_day`: a deadline on or after it
    (the reply deadline stays after the answer: `late` was judged against it), an event dated on or
    after it (a pause counted over it), or a provisional date. Concluded cases too."""
    reaches = or_(
        *(col(getattr(Case, c)) >= first_day for c in DEADLINE_COLUMNS),
        col(Case.last_event_on) >= first_day,
        col(Case.provisional),
    )
    return list(session.exec(select(Case).where(reaches).order_by(col(Case.id))))


# --- re-deriving one history ---------------------------------------------------------------------
@dataclass(frozen=True)
class Rederived:
    record: CaseRecord
    plan: Plan


def rederive(history: Sequence[CaseEvent], today: dt.date, grace: int | None) -> Rederived:
    """Replay a history on the default calendar, re-deriving the system's lapses and re-judging
    the rest (see the module's docstring). Raises an OgiError when even that cannot replay it."""
    removed = set(plan_of(history).removed)  # a lapse that did not happen stays undone
    moved: dict[int, dt.date] = {}
    kept: dict[int, Stored] = {}
    flow = new_flow(CaseRecord())
    real = [h for h in history if h.event not in ANNOTATIONS and h.seq not in removed]
    for i, h in enumerate(real):
        later = real[i + 1].effective_on if i + 1 < len(real) else None
        on = h.effective_on
        due = _system_lapse_date(flow, h, grace)
        if due is not None and due != on:
            if due > today and later is None:
                removed.add(h.seq)  # its day has not come yet: the case is back in its period
                continue
            if due <= today and (later is None or due <= later):
                moved[h.seq] = on = due
        params = event_params(h, on)
        try:
            flow.fire(h.event, params)
        except RuleViolation as e:
            flow.keep_as_recorded(h.event, params)  # raises when the event is impossible in any case
            kept[h.seq] = _why(h, e)
    plan = Plan(moved=moved, removed=frozenset(removed), kept=kept)
    # the sweep's overdue marks, re-judged on the re-derived history (a deadline may have moved)
    voided = judge_marks(history, plan, lambda: new_flow(CaseRecord()))
    return Rederived(flow.row, replace(plan, voided=voided))


def _system_lapse_date(flow: CaseFlow, h: CaseEvent, grace: int | None) -> dt.date | None:
    """The date the sweep's rule gives a lapse it fired, on the current calendar (None: not one of
    the system's lapses, or not derivable: then it is re-judged like a person's)."""
    if h.actor != SYSTEM.name or h.event not in SYSTEM_LAPSES:
        return None
    r = flow.row
    if h.event == "lapse_consultation":
        return r.consultation_due
    due = r.correction_until if h.event == "lapse_correction" else r.fee_due
    if due is None or grace is None:
        return None
    return flow.cal.add_workdays(due, grace + 1)  # as workflow.sweep.lapse_due dates it


def _why(h: CaseEvent, e: RuleViolation) -> Stored:
    """Why a recorded fact no longer holds, stored as a message (read in the reader's language)."""
    return stored(
        N_("entry {seq} ({event}, {on}, {actor}) no longer holds on the current calendar: {problem}"),
        seq=h.seq,
        event=Coded("event", h.event),
        on=h.effective_on,
        actor=Coded("actor", h.actor),
        problem=e,
    )


def attention_text(plan: Plan) -> str | None:
    """The flag a supervisor reads (the case's column is text: written in the language in force)."""
    return _("; ").join(shown(plan.kept[k]) for k in sorted(plan.kept)) or None


# --- recomputing ---------------------------------------------------------------------------------
def _recompute_one(
    session: Session, row: Case, actor: str, today: dt.date, grace: int | None, out: RecomputeResult
) -> None:
    assert row.id is not None
    events = history(session, row.id)
    try:
        done = rederive(events, today, grace)
    except OgiError as e:  # not even keeping what was recorded replays it: a person must look
        log.warning("case %s: deadlines not recomputed: %s", row.ref, e)
        out.failed.append(f"{row.ref}: {e}")
        _flag(session, row, f"{NOT_RECOMPUTED}：{e}", actor, out)
        return
    _store(session, row, events, done, actor, today, out)


def recompute(session: Session, first_day: dt.date, *, actor: str = "system") -> RecomputeResult:
    """Re-derive each affected case on the current default calendar; record every change."""
    out = RecomputeResult(first_day=first_day)
    today, grace = clock.today(), get_settings().auto_lapse_grace_days
    for row in affected(session, first_day):
        assert row.id is not None
        out.checked += 1
        session.expunge(row)
        with about_case(row.ref):
            _recompute_one(session, row, actor, today, grace, out)
    return out


def _store(
    session: Session,
    row: Case,
    events: Sequence[CaseEvent],
    done: Rederived,
    actor: str,
    today: dt.date,
    out: RecomputeResult,
) -> None:
    fresh = fresh_case(row, done.record, row.version)
    changes = {
        c: [_iso(getattr(row, c)), _iso(getattr(fresh, c))]
        for c in DERIVED_COLUMNS
        if getattr(row, c) != getattr(fresh, c)
    }
    params: dict[str, Any] = {"changes": changes}
    previous = plan_of(events)
    if not done.plan.same_as(previous):
        params["replay"] = done.plan.as_params()
    # flag what is newly refuted; clear the flag once the history holds again; a supervisor's
    # acknowledgement of the same problems stands
    attention = row.attention
    if not done.plan.kept:
        attention = None
    elif done.plan.kept.keys() != previous.kept.keys() or (attention or "").startswith(NOT_RECOMPUTED):
        attention = attention_text(done.plan)  # another recorded event is refuted now
    if attention != row.attention:
        changes["attention"] = [row.attention, attention]
        row.attention = attention
        if attention:
            out.attention.append(row.ref)
    if not changes and "replay" not in params:
        return
    for c in DERIVED_COLUMNS:
        setattr(row, c, getattr(fresh, c))
    annotate(session, row, RECOMPUTED, today, params, actor=actor)
    # the reminders follow the new dates: stale pending ones cancelled, new ones keyed afresh
    reminders.refresh(session, row, today)
    out.changed.append(row.ref)


def _flag(session: Session, row: Case, text: str, actor: str, out: RecomputeResult) -> None:
    if row.attention == text:
        return
    params = {"changes": {"attention": [row.attention, text]}}
    row.attention = text
    annotate(session, row, RECOMPUTED, clock.today(), params, actor=actor)
    out.attention.append(row.ref)


# --- a supervisor's acknowledgement ----------------------------------------------------------------
def acknowledge(
    session: Session,
    key: str | int,
    *,
    actor: Actor,
    note: str | None = None,
    expected_version: int | None = None,
) -> Case:
    """A supervisor has looked at a flagged case: the flag is cleared and that is recorded.
    The same problems do not flag it again; a later calendar change that refutes more does."""
    row = get_case(session, key, actor=actor)  # another organ's case answers as a missing one
    check_version(row, expected_version)
    session.expunge(row)
    actor.require_role(Role.supervisor, action=Phrase("acknowledge a flagged case (a supervisor's review)"))
    if row.attention is None:
        raise RuleViolation("case {ref}: nothing to acknowledge (the case is not flagged)", ref=row.ref)
    params: dict[str, Any] = {"attention": row.attention}
    if (text := clean_optional(note, REASON, "note")) is not None:
        params["note"] = text
    row.attention = None
    annotate(session, row, ACKNOWLEDGED, clock.today(), params, actor=actor.name)
    return row


# --- the calendar's doors ------------------------------------------------------------------------
def import_arrangement(session: Session, arrangement: Arrangement, *, actor: str) -> RecomputeResult:
    """Store a year's arrangement (every day it names, whatever its year) and recompute what it
    changes, in the caller's transaction.

    The new calendar becomes the default at once, so the recomputation uses what was just written;
    the caller resets the default after the transaction (it reloads from what was committed).
    """
    before = read_calendar(session)
    install_arrangement(session, arrangement, actor=actor)
    return calendar_changed(session, before, actor=actor)


def seed_calendar(session: Session) -> list[int]:
    """Add the package's official years the database lacks; recompute what they change."""
    before = read_calendar(session)
    added = seed_from_package(session)
    if added:
        calendar_changed(session, before, actor="system")
    return [a.year for a in added]


def upgrade_database() -> tuple[str | None, str, list[int]]:
    """Create or migrate the configured database's schema (Alembic), then add every official
    calendar year it lacks, recomputing what they change (`ogi db upgrade`, the demo, the tests).
    Returns (revision before, revision after, the years seeded); the default calendar is reloaded."""
    before, after = migrate()
    try:
        with session_scope() as s:
            years = seed_calendar(s)
    finally:
        wcal.reset_default_calendar()
    return before, after, years


def calendar_changed(session: Session, before: wcal.CalendarData, *, actor: str) -> RecomputeResult:
    after = read_calendar(session)
    wcal.use_calendar(wcal.WorkCalendar(after))
    first_day = first_change(before, after)
    if first_day is None:
        return RecomputeResult()
    return recompute(session, first_day, actor=actor)


def recompute_stored(session: Session, first_day: dt.date, *, actor: str) -> RecomputeResult:
    """Recompute from `first_day` on the calendar the database holds now (a worker told that
    another process changed it, which knows which day the change reached)."""
    wcal.use_calendar(wcal.WorkCalendar(read_calendar(session)))
    return recompute(session, first_day, actor=actor)


def _iso(v: object) -> object:
    return v.isoformat() if isinstance(v, dt.date) else v
