"""A case's history for people: who did what, when, effective which day, and why each deadline moved.

The explanations are derived by replaying the history through the state machine
(`workflow.replay.steps`), comparing the derived columns before and after each event, so they
always agree with the stored case."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from admin.labels import CASE_DATE_LABELS, PARAM_LABELS, PARTY_LABELS, PAUSE_LABELS
from codes import EVENT_LABELS, OUTCOME_SHORT_LABELS
from config.i18n import _
from models.cases import CaseEvent
from workflow.errors import OgiError
from workflow.machine import CONSULTATION_WORKDAYS, CORRECTION_NOTICE_WORKDAYS, REPLY_WORKDAYS, CaseRecord
from workflow.replay import steps
from workflow.service import new_flow


@dataclass(frozen=True)
class Entry:
    seq: int
    event: str
    on: dt.date
    actor: str
    recorded_at: dt.datetime
    params: tuple[tuple[str, str], ...]
    explanations: tuple[str, ...]

    @property
    def label(self) -> str:
        return EVENT_LABELS.get(self.event, self.event)


def timeline(history: Sequence[CaseEvent]) -> tuple[list[Entry], str | None]:
    """The entries, and a note when the history no longer replays on today's calendar."""
    try:
        return _explained(history), None
    except OgiError as e:  # e.g. an imported calendar made a recorded date invalid: a person must look
        plain = [_entry(h, ()) for h in history]
        return plain, _(
            "the history no longer replays, so the deadline changes cannot be explained: {problem}", problem=e
        )


def _explained(history: Sequence[CaseEvent]) -> list[Entry]:
    flow = new_flow(CaseRecord())
    out, pause = [], ""
    for h, before in steps(flow, history):
        after = {name: getattr(flow.row, name) for name in before}
        if h.event == "consult":
            pause = PAUSE_LABELS[str(h.params.get("party"))]
        elif h.event == "notify_fee":
            pause = PAUSE_LABELS["fee"]
        out.append(_entry(h, tuple(explain(h.event, h.params, before, after, pause))))
    return out


def _entry(h: CaseEvent, explanations: tuple[str, ...]) -> Entry:
    return Entry(h.seq, h.event, h.effective_on, h.actor, h.recorded_at, shown_params(h), explanations)


def shown_params(h: CaseEvent) -> tuple[tuple[str, str], ...]:
    out = []
    for key, value in h.params.items():
        if key in ("changes", "replay"):
            continue
        if key == "outcome":
            text = OUTCOME_SHORT_LABELS.get(str(value), str(value))
        elif key == "party":
            text = PARTY_LABELS.get(str(value), str(value))
        else:
            text = "—" if value is None else str(value)
        out.append((PARAM_LABELS.get(key, key), text))
    return tuple(out)


def explain(
    event: str, params: dict[str, Any], before: dict[str, Any], after: dict[str, Any], pause: str
) -> list[str]:
    """Why the deadlines changed with this event, one sentence per change."""
    if event == "deadlines_recomputed":
        return recomputed(params)
    out: list[str] = []
    old, new = before["reply_due"], after["reply_due"]
    paused = after["paused_workdays"] - before["paused_workdays"]
    if event in ("receive", "confirm_receipt"):
        out.append(f"答复期限为 {new}：自收到申请之日起 {REPLY_WORKDAYS} 个工作日")
        notice, days = after["correction_notice_due"], CORRECTION_NOTICE_WORKDAYS
        out.append(f"告知补正期限为 {notice}：自收到申请之日起 {days} 个工作日")
    elif event == "receive_correction":
        out.append(f"答复期限由 {old} 重新计算为 {new}：自收到补正申请之日起 {REPLY_WORKDAYS} 个工作日")
    elif event == "extend" and old != new:
        who, extra = params.get("approver"), params.get("days")
        out.append(f"答复期限由 {old} 延长至 {new}：经 {who} 同意延长 {extra} 个工作日")
    elif event == "defer" and old != new:
        out.append(f"答复期限由 {old} 另行确定为 {new}：{params.get('reason', '')}")
    elif paused and old != new:
        out.append(f"答复期限由 {old} 顺延至 {new}：{pause or '暂停'}暂停 {paused} 个工作日")
    elif old and new and old != new:
        out.append(f"答复期限由 {old} 变更为 {new}")
    out += _other_deadlines(event, before, after)
    if event == "answer" and new:
        out.append(f"逾期答复（答复期限 {new}）" if after["late"] else f"在答复期限 {new} 内答复")
    return out


def _other_deadlines(event: str, before: dict[str, Any], after: dict[str, Any]) -> list[str]:
    out = []
    if after["correction_until"] and after["correction_until"] != before["correction_until"]:
        out.append(f"补正期限为 {after['correction_until']}；收到补正申请后答复期限重新起算")
        if after["late_correction_notice"] and not before["late_correction_notice"]:
            out.append(f"告知补正晚于告知补正期限 {before['correction_notice_due']}")
    if after["consultation_due"] and after["consultation_due"] != before["consultation_due"]:
        due, days = after["consultation_due"], CONSULTATION_WORKDAYS
        out.append(f"征求意见期限为 {due}（{days} 个工作日）；征求意见期间不计入答复期限")
    if after["fee_due"] and after["fee_due"] != before["fee_due"]:
        out.append(f"缴费期限为 {after['fee_due']}；收费通知至缴费期间不计入答复期限")
    return out


def recomputed(params: dict[str, Any]) -> list[str]:
    changes = params.get("changes") or {}
    out = [
        f"{CASE_DATE_LABELS[c]}由 {old} 调整为 {new}：节假日安排更新后重新计算"
        for c, (old, new) in changes.items()
        if c in CASE_DATE_LABELS and old != new
    ]
    plan = params.get("replay") or {}
    out += [f"第{seq}项系统记录的期满日期按现行安排改为 {on}" for seq, on in plan.get("moved", {}).items()]
    out += [f"第{seq}项系统记录的期满按现行安排尚未届满，已撤销" for seq in plan.get("removed", [])]
    out += [f"第{seq}项按原记录保留：{why}" for seq, why in plan.get("kept", {}).items()]
    if "attention" in changes:
        new = changes["attention"][1]
        out.append(f"需主管关注：{new}" if new else "原需主管关注的问题已不存在，提示已清除")
    return out
