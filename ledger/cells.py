"""A case's row of the ledger, from its history replayed through the rules.

Dates the rules computed (a correction period given in working days, the reply deadline) are read
from the replay, so the row shows what the case's page shows. A step that happened more than once
lists every round in its cell, separated by "；".
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from codes import APPLICANT_TYPE_LABELS, CHANNEL_LABELS, ROW_LABELS
from ledger import columns as c
from ledger.columns import PARTS, SEP, identity_cell
from ledger.labels import NO, PARTY_LABELS, YES
from models.cases import Case, CaseEvent
from workflow.machine import CaseRecord, is_overdue
from workflow.replay import steps
from workflow.service import new_flow

Cell = str | dt.date | int | None


@dataclass
class _Rounds:
    """The cells of the steps that may repeat, filled event by event."""

    cells: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    consult: list[str] | None = None  # the open consultation round: [party, start]

    def add(self, column: str, text: str) -> None:
        self.cells[column].append(text)

    def end_consultation(self, on: dt.date | None) -> None:
        if self.consult is not None:
            self.add(c.CONSULTATION, PARTS.join([*self.consult, on.isoformat() if on else ""]))
            self.consult = None


def fee_text(on: dt.date, amount: Any) -> str:
    return f"{on.isoformat()}（{Decimal(str(amount)).normalize():f}元）"


def _rounds(history: Sequence[CaseEvent]) -> tuple[_Rounds, CaseRecord]:
    record = CaseRecord()
    flow = new_flow(record)
    out = _Rounds()
    for h, _before in steps(flow, history):
        on, p = h.effective_on, h.params
        if h.event == "request_correction":
            out.add(c.CORRECTION_NOTICE, on.isoformat())
            out.add(
                c.CORRECTION_UNTIL, record.correction_until.isoformat() if record.correction_until else ""
            )
        elif h.event == "receive_correction":
            out.add(c.CORRECTION_RECEIVED, on.isoformat())
        elif h.event == "extend":
            out.add(c.EXTENSION, f"{p['days']}天{PARTS}{p['approver']}")
        elif h.event == "consult":
            out.consult = [PARTY_LABELS[p["party"]], on.isoformat()]
        elif h.event in ("receive_opinion", "lapse_consultation"):
            out.end_consultation(on)
        elif h.event == "notify_fee":
            out.add(c.FEE_NOTICE, fee_text(on, p["amount"]))
        elif h.event == "receive_payment":
            out.add(c.FEE_PAID, on.isoformat())
        elif h.event == "defer":
            out.add(c.DEFERRED, p["until"])
    out.end_consultation(None)  # still consulting, or answered while consulting: no end date
    return out, record


def case_row(
    n: int,
    case: Case,
    history: Sequence[CaseEvent],
    assignee: str | None,
    *,
    today: dt.date,
    full: bool,
    identity_number: str | None = None,
) -> list[Cell]:
    """The ledger row of a case, in the order of `columns.HEADERS`."""
    rounds, record = _rounds(history)
    answered = record.concluded_on
    late = record.late if answered else is_overdue(record, today)
    values: dict[str, Cell] = {
        c.SEQ: n,
        c.REF: case.ref,
        c.SUBMITTED: record.submitted_on,
        c.RECEIVED: record.received_on,
        c.APPLICANT: case.applicant,
        c.APPLICANT_TYPE: APPLICANT_TYPE_LABELS[case.applicant_type],
        c.IDENTITY: identity_cell(identity_number, full),
        c.CHANNEL: CHANNEL_LABELS[case.channel],
        c.REQUEST: case.request or "",
        c.REPLY_DUE: record.reply_due,
        c.ANSWERED: answered,
        c.OUTCOME: ROW_LABELS[record.outcome] if record.outcome else "",
        c.LATE: YES if late else NO,
        c.ASSIGNEE: assignee or "",
    }
    for column, texts in rounds.cells.items():
        values[column] = SEP.join(texts)
    return [values.get(h, "") for h in c.HEADERS]
