"""`ogi ledger import`: an office's register replayed, row by row, through the service's rules.

Each row becomes a `case import` line (ledger.rows) that `workflow.importer.Importer` checks and
replays exactly as it does a JSON line, and writes through the service's bulk path
(`workflow.service.write_opened`), in batches, inside the caller's transaction: one refused row and
the caller rolls everything back. A refusal names the row as the spreadsheet shows it and the
column the refused fact came from.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from sqlmodel import Session, col, select

from codes.labels import label
from config.i18n import render
from ledger import columns as c
from ledger.appeals import read_appeals
from ledger.held import holds, stored_rows
from ledger.problems import LedgerError
from ledger.reading import Register, Values
from ledger.rows import Parsed, parse
from models.cases import Case
from reports import counting
from reports.scope import resolve
from workflow.access import Actor
from workflow.directory import get_organ
from workflow.errors import OgiError, Phrase
from workflow.importer import BATCH, Importer, chunks
from workflow.service import APPEAL_EVENTS, Opened, next_ref, ref_problem

OPEN = "open"
# which column a refusal of the case's opening names, by the field the service's message starts with
_HEADER_FIELDS = (
    ("case ref", c.REF),
    ("applicant", c.APPLICANT),
    ("request", c.REQUEST),
    ("assignee", c.ASSIGNEE),
)


@dataclass
class Summary:
    cases: int = 0
    events: int = 0
    appeals: int = 0
    # rows whose case is already stored with every step the row lists (the same case in the
    # register of a later year, imported first; the office's own export imported again): skipped
    held: int = 0
    # (year of receipt, outcome code or "open") → cases
    by_year: Counter[tuple[int, str]] = field(default_factory=Counter)

    def years(self) -> list[int]:
        return sorted({y for y, _o in self.by_year})


class LedgerImport:
    """Checks and writes one register's cases for one organ; `run` raises LedgerError."""

    def __init__(self, session: Session, *, organ: str, actor: Actor, today: dt.date | None = None) -> None:
        self.session = session
        self.organ = get_organ(session, organ)
        assert self.organ.id is not None
        actor.require_organ(self.organ.id, action=Phrase("import cases for this organ"))
        self.importer = Importer(session, actor=actor, today=today)
        self.seen: dict[str, int] = {}  # 申请编号 → row
        self.mine: set[str] = set()  # 申请编号 of rows whose case this organ already holds
        self.summary = Summary()

    def run(self, register: Register, progress: Callable[[int], None] | None = None) -> Summary:
        appeals = read_appeals(register.appeals)
        for chunk in chunks(register.cases.rows, BATCH):
            self._chunk(chunk, appeals)
            if progress is not None:
                progress(len(chunk))
        for ref, rows in appeals.items():
            raise LedgerError(
                rows[0][0],
                c.APPEAL_REF,
                Phrase("no case row has 申请编号 {ref}", ref=ref),
                sheet=c.APPEALS_SHEET,
            )
        return self.summary

    def _chunk(
        self, chunk: list[tuple[int, Values]], appeals: dict[str, list[tuple[int, dict[str, Any]]]]
    ) -> None:
        parsed: list[tuple[Parsed, list[int]]] = []
        for n, values in chunk:
            ref = values.get(c.REF)
            mine = appeals.pop(str(ref).strip(), []) if ref is not None else []
            parsed.append((parse(n, values, self.organ.code, [a for _n, a in mine]), [m for m, _a in mine]))
        refs = [r for p, _a in parsed if isinstance(r := p.data.get("ref"), str) and ref_problem(r) is None]
        existing = set(self.session.exec(select(Case.ref).where(col(Case.ref).in_(refs))))
        held = self._held(parsed, existing)
        pending = [self._case(p, rows, existing) for p, rows in parsed if p.data.get("ref") not in held]
        self.summary.held += len(held)
        self.importer.write(pending)
        self._count(pending)

    def _held(self, parsed: list[tuple[Parsed, list[int]]], existing: set[str]) -> set[str]:
        """The refs of rows whose stored case (of this organ) already holds every step and appeal the
        row lists (ledger.held); `self.mine` keeps the refs this organ holds, for the refusal of a
        row that differs."""
        mine = [ref for p, _rows in parsed if (ref := p.data.get("ref")) in existing]
        if not mine:
            return set()
        stored = stored_rows(self.session, self.organ, mine)
        self.mine |= set(stored)
        return {
            ref
            for p, _rows in parsed
            if (ref := p.data.get("ref")) in stored and (s := stored[ref]) is not None and holds(s, p)
        }

    def _case(self, p: Parsed, appeal_rows: list[int], existing: set[str]) -> Opened:
        ref = p.data.get("ref")
        if ref is None:
            first = p.data.get("submitted_on") or p.data["received_on"]
            p.data["ref"] = next_ref(self.session, self.organ, dt.date.fromisoformat(first))
        elif ref in self.seen:
            raise LedgerError(p.row, c.REF, Phrase("repeats row {row}", row=self.seen[ref]))
        elif ref in self.mine:
            raise LedgerError(
                p.row,
                c.REF,
                Phrase(
                    "this organ already holds the case with other steps or appeals than the row lists "
                    "(adding to or changing a stored case is not supported)"
                ),
            )
        elif ref in existing:
            raise LedgerError(
                p.row, c.REF, Phrase("already used by a case (refs are unique across all organs)")
            )
        try:
            opened = self.importer.opened(p.data, existing)
        except OgiError as e:
            raise refusal(p, appeal_rows, e) from None
        self.seen[p.data["ref"]] = p.row
        return opened

    def _count(self, batch: list[Opened]) -> None:
        s = self.summary
        s.cases += len(batch)
        s.events += sum(1 for o in batch for h in o.history if h["event"] not in APPEAL_EVENTS)
        s.appeals += sum(len(o.appeals) for o in batch)
        for o in batch:
            first = o.case["received_on"] or o.case["submitted_on"]
            s.by_year[(first.year, o.case["outcome"] or OPEN)] += 1


def refusal(p: Parsed, appeal_rows: list[int], e: OgiError) -> LedgerError:
    """The importer's refusal of a row, naming the column the refused fact came from (which is
    judged on the English text, the same in every language); the door renders it."""
    if (i := getattr(e, "event_index", None)) is not None:
        step, inner = p.steps[i - 1], _inner(e)
        # an answer refused for its outcome names 办理结果; for its date (order, future), 答复日
        column = c.OUTCOME if step.event == "answer" and " dated " not in str(inner) else step.column
        return LedgerError(p.row, column, WithoutEvent(inner, step.event))
    if (j := getattr(e, "appeal_index", None)) is not None:
        inner = _inner(e)
        column = c.APPEAL_DECIDED if "decid" in str(inner) else c.APPEAL_FILED
        return LedgerError(appeal_rows[j - 1], column, inner, sheet=c.APPEALS_SHEET)
    text = str(e)
    column = next((col_ for prefix, col_ in _HEADER_FIELDS if text.startswith(prefix)), p.first)
    return LedgerError(p.row, column, e)


def _inner(e: OgiError) -> Exception:
    """The rule's own refusal inside the importer's "event N: …" / "appeal N: …"."""
    inner = e.params.get("problem")
    return inner if isinstance(inner, Exception) else e


class WithoutEvent:
    """A rule's refusal without the event it begins with (the column already names the step),
    rendered when it is shown: the event's name to strip is the reader's language's."""

    def __init__(self, refusal: Exception, event: str) -> None:
        self.refusal, self.event = refusal, event

    def localized(self, language: str) -> str:
        return _strip(render(self.refusal, language), (self.event, label("event", self.event, language)))

    def __str__(self) -> str:
        return _strip(str(self.refusal), (self.event,))


def _strip(text: str, names: tuple[str, ...]) -> str:
    for name in names:
        for colon in (": ", "："):
            text = text.removeprefix(name + colon)
    return text


def import_register(
    session: Session,
    register: Register,
    *,
    organ: str,
    actor: Actor,
    today: dt.date | None = None,
    progress: Callable[[int], None] | None = None,
) -> Summary:
    """Import a register into the caller's transaction (it rolls back on a LedgerError)."""
    return LedgerImport(session, organ=organ, actor=actor, today=today).run(register, progress)


def section3_by_year(session: Session, organ: str, years: list[int]) -> dict[int, dict[str, list[int]]]:
    """The section 三 matrices of the organ's years as the session sees them (for a dry run: before
    its rollback, so they are the matrices the import would produce)."""
    return {y: counting.section3(session, resolve(session, organ, y)) for y in years}
