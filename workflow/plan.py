"""A history's replay plan: what later facts made of entries the history already holds.

The history is append-only. The latest entry that carries a `replay` parameter (a recompute after a
calendar change, or a re-judging after an event dated in the past) says how the history replays:
which of the system's own lapses moved or did not happen, which recorded facts are kept although
the current rules refuse them (workflow.recompute), and which of the sweep's `became_overdue`
entries a later-recorded, earlier-dated event refutes (`judge_marks`): those are void, not facts.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from codes.labels import Coded
from config.i18n import N_
from models.cases import CaseEvent
from workflow import events as ev
from workflow.access import SYSTEM
from workflow.errors import OgiError, Phrase
from workflow.machine import CaseFlow, CaseRecord, is_overdue
from workflow.stored_text import Stored, same_reasons, stored

RECOMPUTED = "deadlines_recomputed"
# the sweep's entry that a reply deadline passed; re-judged when an earlier-dated event is recorded
MARK = "became_overdue"
# recorded when an event dated in the past voids such an entry (workflow.service)
REJUDGED = "sweep_entries_rejudged"
# the entries whose `replay` parameter is the history's replay plan (the latest one counts)
PLANNERS = frozenset({RECOMPUTED, REJUDGED})


@dataclass(frozen=True)
class Plan:
    """How a history replays after calendar changes (empty: exactly as recorded)."""

    moved: dict[int, dt.date] = field(default_factory=dict)  # seq → the system lapse's new date
    removed: frozenset[int] = frozenset()  # seqs of system lapses that did not happen after all
    # the reasons are stored messages (workflow.stored_text), read in the reader's language
    kept: dict[int, Stored] = field(default_factory=dict)  # seq → why its rule no longer holds
    voided: dict[int, Stored] = field(default_factory=dict)  # seq of a sweep annotation → why it is void

    def same_as(self, other: Plan) -> bool:
        """The same plan, a reason stored as text before counting as the message that says it."""
        return (
            (self.moved, self.removed) == (other.moved, other.removed)
            and same_reasons(self.kept, other.kept)
            and same_reasons(self.voided, other.voided)
        )

    def as_params(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "moved": {str(k): v.isoformat() for k, v in sorted(self.moved.items())},
            "removed": sorted(self.removed),
            "kept": {str(k): v for k, v in sorted(self.kept.items())},
        }
        if self.voided:  # only when there are any: the plans recorded before it stay as they were
            out["voided"] = {str(k): v for k, v in sorted(self.voided.items())}
        return out

    @classmethod
    def from_params(cls, raw: dict[str, Any]) -> Plan:
        return cls(
            moved={int(k): dt.date.fromisoformat(v) for k, v in raw.get("moved", {}).items()},
            removed=frozenset(int(k) for k in raw.get("removed", [])),
            kept={int(k): _reason(v) for k, v in raw.get("kept", {}).items()},
            voided={int(k): _reason(v) for k, v in raw.get("voided", {}).items()},
        )


def _reason(value: Any) -> Stored:
    """A stored reason: a message (a JSON object) or, written before, its text."""
    return value if isinstance(value, dict) else str(value)


def plan_of(history: Sequence[CaseEvent]) -> Plan:
    """The replay plan the history records (the latest one), or the empty plan."""
    for h in reversed(history):
        if h.event in PLANNERS and "replay" in h.params:
            return Plan.from_params(h.params["replay"])
    return Plan()


# --- the sweep's annotations, re-judged ------------------------------------------------------------
def judge_marks(
    history: Sequence[CaseEvent], plan: Plan, new_flow: Callable[[], CaseFlow]
) -> dict[int, Stored]:
    """seq → why, for each `became_overdue` the sweep wrote that the history now refutes.

    A mark says the case was open, its clock running, past the reply deadline it names, on the day
    it is dated. It stands when the events dated before that day (replayed as `plan` says) leave
    the case so; an answer dated on the day itself is a late answer and leaves it standing. A mark
    whose earlier events no longer replay is left as it is (the recompute flags such a case).
    `new_flow` gives a fresh flow on the calendar in force (workflow.service.new_flow)."""
    out: dict[int, Stored] = {}
    for mark in history:
        if mark.event != MARK or mark.actor != SYSTEM.name:
            continue
        before = [
            h for h in _real(history, plan) if (plan.moved.get(h.seq) or h.effective_on) < mark.effective_on
        ]
        try:
            record = _replayed(new_flow(), before, plan)
        except OgiError:
            continue
        due = mark.params.get("reply_due")
        if is_overdue(record, mark.effective_on) and record.reply_due and record.reply_due.isoformat() == due:
            continue
        out[mark.seq] = _void_reason(mark, [h for h in before if h.seq > mark.seq], record)
    return out


def _real(history: Sequence[CaseEvent], plan: Plan) -> list[CaseEvent]:
    return [h for h in history if h.event not in ev.ANNOTATIONS and h.seq not in plan.removed]


def _replayed(flow: CaseFlow, events: Sequence[CaseEvent], plan: Plan) -> CaseRecord:
    for h in events:
        params = event_params(h, plan.moved.get(h.seq))
        if h.seq in plan.kept:
            flow.keep_as_recorded(h.event, params)
        else:
            flow.fire(h.event, params)
    return flow.row


def _void_reason(mark: CaseEvent, later: Sequence[CaseEvent], record: CaseRecord) -> Stored:
    """Why a mark is void (for a person, stored as a message): the later-recorded events dated
    before it, or else (a calendar change moved the deadline) the reply deadline the case had that day."""
    entry: dict[str, Any] = {"seq": mark.seq, "event": Coded("event", mark.event), "on": mark.effective_on}
    if not later:
        due = record.reply_due.isoformat() if record.reply_due else "—"
        return stored(
            N_("entry {seq} ({event}, {on}) no longer holds: that day the reply was due {due}"),
            due=due,
            **entry,
        )
    which = [
        Phrase("{event} ({seq}, {on})", event=Coded("event", h.event), seq=h.seq, on=h.effective_on)
        for h in later
    ]
    return stored(
        N_("entry {seq} ({event}, {on}) no longer holds: recorded later but dated before it: {which}"),
        which=which,
        **entry,
    )


def event_params(h: CaseEvent, on: dt.date | None = None) -> ev.Params:
    return ev.parse_params(h.event, {"on": on or h.effective_on, **h.params})
