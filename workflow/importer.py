"""`ogi case import`: JSON Lines, one case per line, replayed through the live rules.

All-or-nothing: every line is checked and written inside the caller's transaction, so a file
with any invalid line changes nothing. Lines are streamed and written in batches, so memory
stays flat and the cost stays linear however large the file.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any, TypeVar

from pydantic import BaseModel, ConfigDict, Field, ValidationError
from sqlmodel import Session, col, select

from codes.labels import Coded
from config.i18n import N_
from config.logging import about_case
from models.cases import Appeal, Case
from models.organs import Organ, User
from workflow import clock, fee_quotes
from workflow import events as ev
from workflow.access import Actor
from workflow.appeals import check_decision, check_filing
from workflow.applicants import check_details, details_row
from workflow.directory import get_organ, get_user
from workflow.errors import InvalidInput, NotFound, OgiError, Phrase, RuleViolation
from workflow.machine import CaseRecord
from workflow.sealed_years import closed_years, require_open
from workflow.service import (
    APPEAL_EVENTS,
    CaseOpening,
    Opened,
    check_assignee,
    check_header,
    check_ref,
    history_row,
    new_flow,
    opening,
    organ_codes,
    ref_problem,
    ref_taken,
    write_opened,
)
from workflow.text import PERSON, clean_text

T = TypeVar("T")

BATCH = 2000


class ImportLine(CaseOpening):
    """A line of the file: a case's opening (the same fields as every door) and its history."""

    ref: str  # required here; checked by service.check_ref, as a typed one
    received_on: ev.IsoDate | None = None  # strict YYYY-MM-DD within the calendar's span
    submitted_on: ev.IsoDate | None = None
    events: list[dict[str, Any]] = Field(default_factory=list)
    appeals: list[dict[str, Any]] = Field(default_factory=list)


class AppealLine(BaseModel):
    model_config = ConfigDict(extra="forbid")

    kind: str
    filed_on: ev.IsoDate
    result: str | None = None
    decided_on: ev.IsoDate | None = None


@dataclass
class ImportResult:
    cases: int = 0
    events: int = 0
    appeals: int = 0


class Importer:
    """Checks and writes one file's cases; `run` raises InvalidInput naming the first bad line."""

    def __init__(
        self, session: Session, *, actor: Actor, today: dt.date | None = None, source: str | None = None
    ) -> None:
        self.session = session
        self.source = source  # the file's name, when there is one: errors then read FILE:LINE: …
        self.actor = actor
        self.today = today or clock.today()
        self.organs: dict[str, Organ] = {}
        self.closed: dict[int, set[int]] = {}
        self.users: dict[str, User] = {}
        self.seen: dict[str, int] = {}  # ref -> line
        self.codes = organ_codes(session)  # a ref may not take another organ's automatic form
        self.result = ImportResult()
        self.now = clock.now()

    def run(self, lines: Iterable[str], progress: Callable[[int], None] | None = None) -> ImportResult:
        for chunk in chunks(_numbered(lines, progress), BATCH):
            self._chunk(chunk)
        return self.result

    def _chunk(self, chunk: list[tuple[int, str]]) -> None:
        parsed = [(n, _parse_json(self._at(n), text)) for n, text in chunk]
        # only refs that can be stored are looked up (PostgreSQL refuses NUL in a parameter)
        refs = [r for _, d in parsed if isinstance(r := d.get("ref"), str) and ref_problem(r) is None]
        existing = set(self.session.exec(select(Case.ref).where(col(Case.ref).in_(refs))))
        pending: list[Opened] = []
        for n, data in parsed:
            try:
                with about_case(data.get("ref") if isinstance(data.get("ref"), str) else None):
                    pending.append(self.opened(data, existing))
            except OgiError as e:
                ref = data.get("ref")
                if isinstance(ref, str):
                    raise InvalidInput(
                        "{at}: case {ref}: {problem}", at=self._at(n), ref=ref, problem=e
                    ) from None
                raise InvalidInput("{at}: {problem}", at=self._at(n), problem=e) from None
            self.seen[data["ref"]] = n
        self.write(pending)

    def _at(self, n: int) -> str | Phrase:
        """Where line `n` is: `cases.jsonl:4` (the compiler's FILE:LINE, which editors jump to), or
        `line 4` (in the reader's language) for lines that come from no file."""
        return f"{self.source}:{n}" if self.source else Phrase("line {n}", n=n)

    def opened(self, data: dict[str, Any], existing: set[str]) -> Opened:
        """One case (a line's object) checked and replayed, ready for `write`. A refusal of its
        n-th event or appeal carries `event_index` or `appeal_index` n (1-based), for a door that
        names where the fact came from (the ledger's column)."""
        try:
            line = ImportLine.model_validate(data)
        except ValidationError as e:
            raise ev.describe(e) from None
        header = check_header(line.applicant_type, line.channel, line.applicant, line.request)
        details = check_details(line.applicant_details)
        if line.ref in existing:
            raise ref_taken(repr(line.ref))
        if line.ref in self.seen:
            raise RuleViolation("ref {ref!r} repeats line {seen}", ref=line.ref, seen=self.seen[line.ref])
        organ = self._organ(line.organ)
        assert organ.id is not None
        self.actor.require_organ(organ.id, action=Phrase("import cases for this organ"))
        check_ref(line.ref, organ, self.codes)
        closed = self.closed[organ.id]
        assignee_id = None
        if line.assignee:
            user = self._user(line.assignee)
            check_assignee(user, organ)
            assignee_id = user.id
        record = CaseRecord()
        history = self._replay(record, line, closed, organ.code)
        appeals = [self._appeal(record, a, i, closed, organ.code) for i, a in enumerate(line.appeals, 1)]
        history += _appeal_history(appeals, len(history), self.actor.name)
        case = {
            "ref": line.ref,
            "organ_id": organ.id,
            "applicant_type": line.applicant_type,
            "applicant": header.applicant,
            "channel": line.channel,
            "request": header.request,
            "assignee_id": assignee_id,
            **record.values(),
            "version": len(history),  # the version counts the history rows, as in live use
            "created_at": self.now,
        }
        return Opened(case, history, appeals, details_row(details, organ.id))

    def _replay(
        self, record: CaseRecord, line: ImportLine, closed: set[int], organ: str
    ) -> list[dict[str, Any]]:
        flow = new_flow(record)
        first, on = opening(line.received_on, line.submitted_on)
        require_open(closed, on, what=first, organ_code=organ)
        opened = flow.fire(first, ev.Params(on=on), today=self.today)
        history = [(first, opened, self.actor.name)]
        for i, raw in enumerate(line.events, 1):
            try:
                history.append(self._event(flow, raw, closed, organ))
            except OgiError as e:
                name = raw.get("event") if isinstance(raw, dict) else None
                refused = (
                    type(e)(N_("event {i} ({event}): {problem}"), i=i, event=Coded("event", name), problem=e)
                    if isinstance(name, str)
                    else type(e)(N_("event {i}: {problem}"), i=i, problem=e)
                )
                refused.event_index = i  # type: ignore[attr-defined]
                raise refused from None
        return [history_row(0, seq, name, p, actor) for seq, (name, p, actor) in enumerate(history, 1)]

    def _event(self, flow: Any, raw: Any, closed: set[int], organ: str) -> tuple[str, ev.Params, str]:
        if not isinstance(raw, dict) or not isinstance(raw.get("event"), str):
            raise InvalidInput("each event is an object with an 'event' name")
        body = {k: v for k, v in raw.items() if k not in ("event", "actor")}
        name = raw["event"]
        if name in ev.OPENING_EVENTS:
            raise RuleViolation(
                "{name} opens a case; give received_on or submitted_on instead", name=Coded("event", name)
            )
        params = ev.parse_params(name, body)
        if params.on is None and name != "lapse_consultation":
            raise InvalidInput("{name}: on is required in an imported history", name=Coded("event", name))
        params = flow.resolve(name, params, self.today)
        if isinstance(params, ev.NotifyFee):
            params = fee_quotes.imported(params)
        assert params.on is not None  # resolved
        require_open(closed, params.on, what=name, organ_code=organ)
        flow.fire(name, params, today=self.today)
        actor = raw.get("actor")
        return name, params, clean_text(actor, PERSON, "actor") if actor is not None else self.actor.name

    def _appeal(self, row: CaseRecord, raw: Any, i: int, closed: set[int], organ: str) -> dict[str, Any]:
        try:
            a = AppealLine.model_validate(raw)
        except ValidationError as e:
            raise InvalidInput("appeal {i}: {problem}", i=i, problem=ev.describe(e)) from None
        try:
            check_filing(row, a.kind, a.filed_on, self.today)
            require_open(closed, a.filed_on, what="appeal_filed", organ_code=organ)
            if (a.result is None) != (a.decided_on is None):
                raise InvalidInput("give both result and decided_on, or neither")
            if a.result is not None and a.decided_on is not None:
                filed = Appeal(case_id=0, organ_id=0, kind=a.kind, filed_on=a.filed_on)
                check_decision(filed, a.result, a.decided_on, self.today)
                require_open(closed, a.decided_on, what="appeal_decided", organ_code=organ)
        except OgiError as e:
            refused = type(e)(N_("appeal {i}: {problem}"), i=i, problem=e)
            refused.appeal_index = i  # type: ignore[attr-defined]
            raise refused from None
        return {**a.model_dump(), "recorded_by": self.actor.name, "recorded_at": clock.now()}

    def _organ(self, code: str) -> Organ:
        if code not in self.organs:
            organ = get_organ(self.session, code)
            assert organ.id is not None
            self.organs[code] = organ
            self.closed[organ.id] = closed_years(self.session, organ.id)
        return self.organs[code]

    def _user(self, name: str) -> User:
        if name not in self.users:
            try:
                self.users[name] = get_user(self.session, name)
            except NotFound:
                raise NotFound("assignee {name!r} is not a user", name=name) from None
        return self.users[name]

    def write(self, batch: list[Opened]) -> None:
        if not batch:
            return
        ids = write_opened(self.session, batch, today=self.today)
        self.result.cases += len(ids)
        self.result.events += sum(1 for o in batch for h in o.history if h["event"] not in APPEAL_EVENTS)
        self.result.appeals += sum(len(o.appeals) for o in batch)


def _appeal_history(appeals: list[dict[str, Any]], seq: int, actor: str) -> list[dict[str, Any]]:
    """Each appeal's filing and decision as annotations after the events, in date order, as a
    live filing records them (the appeal_id is the appeal's index until write_opened fills it)."""
    notes = []
    for i, a in enumerate(appeals):
        notes.append(("appeal_filed", a["filed_on"], {"appeal_id": i, "kind": a["kind"]}))
        if a["result"] is not None:
            notes.append(("appeal_decided", a["decided_on"], {"appeal_id": i, "result": a["result"]}))
    notes.sort(key=lambda n: n[1])
    now = clock.now()
    return [
        {"seq": seq + n, "event": e, "effective_on": on, "actor": actor, "recorded_at": now, "params": p}
        for n, (e, on, p) in enumerate(notes, 1)
    ]


def _numbered(lines: Iterable[str], progress: Callable[[int], None] | None) -> Iterator[tuple[int, str]]:
    for n, text in enumerate(lines, 1):
        if progress is not None:
            progress(len(text.encode()))
        if text.strip():
            yield n, text


def chunks(items: Iterable[T], size: int) -> Iterator[list[T]]:
    """Lists of `size` items (the last one shorter): itertools.batched before Python 3.12."""
    chunk: list[T] = []
    for item in items:
        chunk.append(item)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _parse_json(at: str | Phrase, text: str) -> dict[str, Any]:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as e:
        # the parser's own words are English whatever the reader's language; the column says where
        raise InvalidInput("{at}: not valid JSON at column {colno}", at=at, colno=e.colno) from None
    if not isinstance(data, dict):
        raise InvalidInput("{at}: expected a JSON object, one case per line", at=at)
    return data


def import_file(
    session: Session,
    lines: Iterable[str],
    *,
    actor: Actor,
    progress: Callable[[int], None] | None = None,
    source: str | None = None,
) -> ImportResult:
    """Import decoded lines: a file's are `workflow.textfiles.iter_lines` (any accepted encoding);
    `source` names the file in every error (`cases.jsonl:4: …`)."""
    return Importer(session, actor=actor, source=source).run(lines, progress)
