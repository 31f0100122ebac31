"""A case's history for people: who did what, when, effective which day, and why each deadline moved.

The explanations are derived by replaying the history through the state machine
(`workflow.replay.steps`), comparing the derived columns before and after each event, so they
always agree with the stored case."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from admin.labels import CASE_DATE_LABELS, PAUSE_LABELS
from codes.labels import actor_label, label, param_value
from config.i18n import _, current_language
from models.cases import CaseEvent
from workflow.access import OPERATOR_PREFIX, is_operator
from workflow.errors import OgiError
from workflow.machine import CONSULTATION_WORKDAYS, CORRECTION_NOTICE_WORKDAYS, REPLY_WORKDAYS, CaseRecord
from workflow.replay import PLANNERS, plan_of, steps
from workflow.service import new_flow
from workflow.stored_text import Stored, shown


@dataclass(frozen=True)
class Entry:
    seq: int
    event: str
    on: dt.date
    actor: str
    recorded_at: dt.datetime
    params: tuple[tuple[str, str], ...]
    explanations: tuple[str, ...]
    void: str | None = None  # why a sweep entry no longer holds (workflow.plan): shown void, not as a fact

    @property
    def label(self) -> str:
        return label("event", self.event, current_language())

    @property
    def actor_label(self) -> str:
        """Who did it: a user's name, or a word for the system (the sweep, an import); the operator
        by the account's name (the page says it was the command-line operator)."""
        if is_operator(self.actor):
            return self.actor.removeprefix(OPERATOR_PREFIX)
        return actor_label(self.actor, current_language())


def timeline(history: Sequence[CaseEvent]) -> tuple[list[Entry], str | None]:
    """The entries, and a note when the history no longer replays on today's calendar."""
    voided = plan_of(history).voided
    try:
        return _explained(history, voided), None
    except OgiError as e:  # e.g. an imported calendar made a recorded date invalid: a person must look
        plain = [_entry(h, (), voided) for h in history]
        return plain, _(
            "the history no longer replays, so the deadline changes cannot be explained: {problem}", problem=e
        )


def _explained(history: Sequence[CaseEvent], voided: dict[int, Stored]) -> list[Entry]:
    flow = new_flow(CaseRecord())
    out, pause = [], ""
    for h, before in steps(flow, history):
        after = {name: getattr(flow.row, name) for name in before}
        if h.event == "consult":
            pause = _(PAUSE_LABELS[str(h.params.get("party"))])
        elif h.event == "notify_fee":
            pause = _(PAUSE_LABELS["fee"])
        out.append(_entry(h, tuple(explain(h.event, h.params, before, after, pause)), voided))
    return out


def _entry(h: CaseEvent, explanations: tuple[str, ...], voided: dict[int, Stored]) -> Entry:
    params = shown_params(h)
    return Entry(
        h.seq,
        h.event,
        h.effective_on,
        h.actor,
        h.recorded_at,
        params,
        explanations,
        shown(voided[h.seq]) if h.seq in voided else None,
    )


def shown_params(h: CaseEvent) -> tuple[tuple[str, str], ...]:
    out = []
    for key, value in h.params.items():
        if key in ("changes", "replay"):
            continue
        text = param_value(key, value, current_language())
        if isinstance(value, list):  # numbered lines under the parameter's name (the page keeps the breaks)
            text = "\n" + text
        out.append((label("field", key, current_language()), text))
    return tuple(out)


def explain(
    event: str, params: dict[str, Any], before: dict[str, Any], after: dict[str, Any], pause: str
) -> list[str]:
    """Why the deadlines changed with this event, one sentence per change."""
    if event in PLANNERS:
        return recomputed(params)
    out: list[str] = []
    old, new = before["reply_due"], after["reply_due"]
    paused = after["paused_workdays"] - before["paused_workdays"]
    if event in ("receive", "confirm_receipt"):
        out.append(_("reply due {new}: {days} working days from receipt", new=new, days=REPLY_WORKDAYS))
        notice, days = after["correction_notice_due"], CORRECTION_NOTICE_WORKDAYS
        out.append(
            _("correction notice due {notice}: {days} working days from receipt", notice=notice, days=days)
        )
    elif event == "receive_correction":
        out.append(
            _(
                "reply due recomputed from {old} to {new}: {days} working days from the correction",
                old=old,
                new=new,
                days=REPLY_WORKDAYS,
            )
        )
    elif event == "extend" and old != new:
        who, extra = params.get("approver"), params.get("days")
        out.append(
            _(
                "reply due extended from {old} to {new}: {days} working days approved by {who}",
                old=old,
                new=new,
                days=extra,
                who=who,
            )
        )
    elif event == "defer" and old != new:
        out.append(
            _(
                "reply due set from {old} to {new}: {reason}",
                old=old,
                new=new,
                reason=params.get("reason", ""),
            )
        )
    elif paused and old != new:
        out.append(
            _(
                "reply due moved from {old} to {new}: {pause} paused the clock for {days} working days",
                old=old,
                new=new,
                pause=pause,
                days=paused,
            )
        )
    elif old and new and old != new:
        out.append(_("reply due changed from {old} to {new}", old=old, new=new))
    out += _other_deadlines(event, before, after)
    if event == "answer" and new:
        late = after["late"]
        out.append(
            _("answered late (reply due {new})", new=new)
            if late
            else _("answered by the reply date {new}", new=new)
        )
    return out


def _other_deadlines(event: str, before: dict[str, Any], after: dict[str, Any]) -> list[str]:
    out = []
    if after["correction_until"] and after["correction_until"] != before["correction_until"]:
        out.append(
            _(
                "correction until {until}; the reply period starts again when the correction arrives",
                until=after["correction_until"],
            )
        )
        if after["late_correction_notice"] and not before["late_correction_notice"]:
            out.append(
                _("correction requested after its notice deadline {due}", due=before["correction_notice_due"])
            )
    if after["consultation_due"] and after["consultation_due"] != before["consultation_due"]:
        due, days = after["consultation_due"], CONSULTATION_WORKDAYS
        out.append(
            _(
                "consultation due {due} ({days} working days); it does not count towards the reply period",
                due=due,
                days=days,
            )
        )
    if after["fee_due"] and after["fee_due"] != before["fee_due"]:
        out.append(
            _(
                "fee due {due}; from the notice to the payment does not count towards the reply period",
                due=after["fee_due"],
            )
        )
    return out


def recomputed(params: dict[str, Any]) -> list[str]:
    changes = params.get("changes") or {}
    out = [
        _(
            "{date} moved from {old} to {new}: recomputed after the holiday arrangement changed",
            date=label("case_date", c, current_language()),
            old=old,
            new=new,
        )
        for c, (old, new) in changes.items()
        if c in CASE_DATE_LABELS and old != new
    ]
    plan = params.get("replay") or {}
    out += [
        _("entry {seq}: the system's lapse is now dated {on} under the current arrangement", seq=seq, on=on)
        for seq, on in plan.get("moved", {}).items()
    ]
    out += [
        _(
            "entry {seq}: under the current arrangement the period has not ended; the lapse is withdrawn",
            seq=seq,
        )
        for seq in plan.get("removed", [])
    ]
    out += [
        _("entry {seq} kept as recorded: {why}", seq=seq, why=shown(why))
        for seq, why in plan.get("kept", {}).items()
    ]
    out += [shown(why) for why in plan.get("voided", {}).values()]  # each names its entry and why
    if "attention" in changes:
        new = changes["attention"][1]
        out.append(
            _("needs a supervisor: {why}", why=new)
            if new
            else _("the problem a supervisor was to look at is gone; the flag is cleared")
        )
    return out
