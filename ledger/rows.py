"""One row of a register as a case's opening and event history (the shape `case import` replays).

Each event keeps the column it came from, so a refusal by the rules names that column. Rounds of a
repeated step are paired in order (the second 补正告知日 with the second 补正期限 and 补正收到日).
Events are put in order of date; on one day, in the order a case meets them (receipt, correction,
consultation, extension, fee, deferral, conclusion).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from codes import Outcome
from ledger import columns as c
from ledger.dates import BadDate, read_date
from ledger.labels import YES, choices, code_of
from ledger.problems import LedgerError, Problem
from ledger.reading import Values
from workflow import identity
from workflow.errors import Phrase

_SPLIT = re.compile(r"[；;\n]+")
_PARTS = re.compile(r"\s*[/／]\s*")
_EXTENSION = re.compile(r"^(\d+)\s*(?:个?工作日|天|日)?$")
_FEE = re.compile(r"^(.+?)\s*[（(]\s*(?:¥|￥)?\s*([\d,.]+)\s*元?\s*[)）]$")
DEFER_REASON = "台账导入"  # the ledger holds the new reply date, not the reason (Art. 35)


@dataclass
class Step:
    column: str
    event: str
    on: dt.date
    params: dict[str, Any] = field(default_factory=dict)

    def as_event(self) -> dict[str, Any]:
        return {"event": self.event, "on": self.on.isoformat(), **self.params}


@dataclass
class Parsed:
    """A row ready for the importer: `data` as a `case import` line, `steps` its events' columns."""

    row: int
    data: dict[str, Any]
    steps: list[Step]
    first: str  # the column of the opening date


class Row:
    def __init__(self, n: int, values: Values) -> None:
        self.n, self.values = n, values

    def fail(self, column: str, problem: Problem) -> LedgerError:
        return LedgerError(self.n, column, problem)

    def text(self, column: str) -> str | None:
        v = self.values.get(column)
        if isinstance(v, float) and v.is_integer():
            v = int(v)  # a number typed in a text column (an application number 1001)
        s = "" if v is None else str(v).strip()
        return s or None

    def date(self, column: str, value: Any = None) -> dt.date | None:
        v = self.values.get(column) if value is None else value
        if v is None or (isinstance(v, str) and not v.strip()):
            return None
        try:
            return read_date(v)
        except BadDate as e:
            raise self.fail(column, e.problem) from None

    def rounds(self, column: str) -> list[str]:
        v = self.values.get(column)
        if v is None or not isinstance(v, str):
            return [] if v is None else [v]
        return [p.strip() for p in _SPLIT.split(v) if p.strip()]

    def dates(self, column: str) -> list[dt.date]:
        return [d for r in self.rounds(column) if (d := self.date(column, r)) is not None]

    def code(self, column: str, kind: str, required: bool = True) -> str | None:
        t = self.text(column)
        if t is None:
            if required:
                raise self.fail(column, Phrase("empty (a required column)"))
            return None
        code = code_of(kind, t)
        if code is None:
            raise self.fail(
                column,
                Phrase("unknown label “{label}” (expected one of: {labels})", label=t, labels=choices(kind)),
            )
        return code


def parse(n: int, values: Values, organ: str, appeals: list[dict[str, Any]]) -> Parsed:
    """The case a register row describes; LedgerError naming the row and column when it cannot be
    read. The rules themselves are applied by the importer, which replays `data`."""
    r = Row(n, values)
    submitted, received = r.date(c.SUBMITTED), r.date(c.RECEIVED)
    if received is None and submitted is None:
        raise r.fail(c.RECEIVED, Phrase("empty (a required column)"))
    if received is not None and submitted is not None and received < submitted:
        raise r.fail(c.RECEIVED, Phrase("earlier than the date of submission"))
    applicant = r.text(c.APPLICANT)
    if applicant is None:
        raise r.fail(c.APPLICANT, Phrase("empty (a required column)"))
    data: dict[str, Any] = {
        "organ": organ,
        "applicant_type": r.code(c.APPLICANT_TYPE, "applicant_type"),
        "applicant": applicant,
        "channel": r.code(c.CHANNEL, "channel"),
        "request": r.text(c.REQUEST),
        "assignee": r.text(c.ASSIGNEE),
        "appeals": appeals,
    }
    if (ref := r.text(c.REF)) is not None:
        data["ref"] = ref
    if (number := r.text(c.IDENTITY)) is not None and c.MASK not in number:
        data["applicant_details"] = {"id_kind": identity.kind_of(number), "id_number": number}
    first = c.SUBMITTED if submitted is not None else c.RECEIVED
    if submitted is not None:
        data["submitted_on"] = submitted.isoformat()
    else:
        data["received_on"] = received.isoformat()  # type: ignore[union-attr]
    steps = [Step(c.RECEIVED, "confirm_receipt", received)] if submitted and received else []
    steps += _corrections(r) + _consultations(r) + _fees(r)
    start = received or submitted
    assert start is not None
    end = _conclusion(r)
    for s in steps + end:
        if s.on < start:
            raise r.fail(s.column, Phrase("earlier than the date of receipt"))
    steps.sort(key=lambda s: s.on)  # stable: one day's steps keep the order above
    steps = _with_decisions(r, steps, start) + end
    data["events"] = [s.as_event() for s in steps]
    return Parsed(n, data, steps, first)


def _corrections(r: Row) -> list[Step]:
    notices, untils, got = (
        r.dates(c.CORRECTION_NOTICE),
        r.dates(c.CORRECTION_UNTIL),
        r.dates(c.CORRECTION_RECEIVED),
    )
    for column, more in ((c.CORRECTION_UNTIL, untils), (c.CORRECTION_RECEIVED, got)):
        if len(more) > len(notices):
            raise r.fail(column, Phrase("more rounds than 「{column}」", column=c.CORRECTION_NOTICE))
    steps = []
    for i, on in enumerate(notices):
        until = {"until": untils[i].isoformat()} if i < len(untils) else {}
        steps.append(Step(c.CORRECTION_NOTICE, "request_correction", on, until))
        if i < len(got):
            if got[i] < on:
                raise r.fail(c.CORRECTION_RECEIVED, Phrase("earlier than the notice to correct"))
            steps.append(Step(c.CORRECTION_RECEIVED, "receive_correction", got[i]))
    return steps


def _consultations(r: Row) -> list[Step]:
    steps = []
    for text in r.rounds(c.CONSULTATION):
        parts = _PARTS.split(str(text))
        if len(parts) not in (2, 3) or not parts[0]:
            raise r.fail(
                c.CONSULTATION,
                Phrase("write each round as party/start/end, e.g. 第三方/2024-03-01/2024-03-12"),
            )
        party = code_of("party", parts[0])
        if party is None:
            raise r.fail(
                c.CONSULTATION,
                Phrase(
                    "unknown label “{label}” (expected one of: {labels})",
                    label=parts[0],
                    labels=choices("party"),
                ),
            )
        start = r.date(c.CONSULTATION, parts[1])
        if start is None:
            raise r.fail(c.CONSULTATION, Phrase("the round has no start date"))
        steps.append(Step(c.CONSULTATION, "consult", start, {"party": party}))
        end = r.date(c.CONSULTATION, parts[2]) if len(parts) == 3 else None
        if end is not None:
            if end < start:
                raise r.fail(c.CONSULTATION, Phrase("the round ends before it starts"))
            steps.append(Step(c.CONSULTATION, "receive_opinion", end))
    return steps


# the events after which the reply clock runs again (the case is back in `received`)
_RESUMING = frozenset({"confirm_receipt", "receive_correction", "receive_opinion", "receive_payment"})


def _with_decisions(r: Row, steps: list[Step], start: dt.date) -> list[Step]:
    """Insert the extension and the deferrals, which the ledger records without the day they were
    decided: after the last step that set the reply clock running again (a correction received
    restarts the period and with it any extension), on that step's day."""
    last = max((i for i, s in enumerate(steps) if s.event in _RESUMING), default=-1)
    on = steps[last].on if last >= 0 else start
    decisions = [Step(c.EXTENSION, "extend", on, p) for p in _extensions(r)]
    reason = {"reason": DEFER_REASON}
    decisions += [
        Step(c.DEFERRED, "defer", on, {"until": d.isoformat(), **reason}) for d in r.dates(c.DEFERRED)
    ]
    return steps[: last + 1] + decisions + steps[last + 1 :]


def _extensions(r: Row) -> list[dict[str, Any]]:
    out = []
    for text in r.rounds(c.EXTENSION):
        parts = _PARTS.split(str(text), maxsplit=1)
        m = _EXTENSION.match(parts[0])
        if m is None or len(parts) != 2 or not parts[1]:
            raise r.fail(c.EXTENSION, Phrase("write it as days/approver, e.g. 20天/王主任"))
        out.append({"days": int(m[1]), "approver": parts[1]})
    return out


def _fees(r: Row) -> list[Step]:
    paid = r.dates(c.FEE_PAID)
    notices = r.rounds(c.FEE_NOTICE)
    if len(paid) > len(notices):
        raise r.fail(c.FEE_PAID, Phrase("more rounds than 「{column}」", column=c.FEE_NOTICE))
    steps = []
    for i, text in enumerate(notices):
        m = _FEE.match(str(text))
        if m is None:
            raise r.fail(
                c.FEE_NOTICE, Phrase("write it as the date and the amount, e.g. 2024-03-05（100元）")
            )
        try:
            amount = Decimal(m[2].replace(",", ""))
        except InvalidOperation:
            raise r.fail(
                c.FEE_NOTICE, Phrase("write it as the date and the amount, e.g. 2024-03-05（100元）")
            ) from None
        on = r.date(c.FEE_NOTICE, m[1])
        assert on is not None
        steps.append(Step(c.FEE_NOTICE, "notify_fee", on, {"amount": str(amount)}))
        if i < len(paid):
            steps.append(Step(c.FEE_PAID, "receive_payment", paid[i]))
    return steps


def _conclusion(r: Row) -> list[Step]:
    """The answer, or the lapse or withdrawal the outcome stands for (答复日 and 办理结果 together).
    「其他」 not late is a withdrawal (the rules judge no lateness for it); late, an answer."""
    on = r.date(c.ANSWERED)
    outcome = r.code(c.OUTCOME, "outcome", required=False)
    if on is None and outcome is None:
        return []
    if on is None:
        raise r.fail(c.ANSWERED, Phrase("empty, but 「{column}」 is given", column=c.OUTCOME))
    if outcome is None:
        raise r.fail(c.OUTCOME, Phrase("empty, but 「{column}」 is given", column=c.ANSWERED))
    if outcome == Outcome.other_no_correction:
        return [Step(c.ANSWERED, "lapse_correction", on)]
    if outcome == Outcome.other_fee_unpaid:
        return [Step(c.ANSWERED, "lapse_fee", on)]
    if outcome == Outcome.other and r.text(c.LATE) != YES:
        return [Step(c.ANSWERED, "withdraw", on)]
    return [Step(c.ANSWERED, "answer", on, {"outcome": outcome})]
