"""Whether a register row's case is already stored with every step the row lists.

A case received in one year and concluded in the next is in both years' registers, and an office
re-imports its own export: such a row is skipped, not refused. The row is compared with the row
the ledger itself writes for the stored case, read back the same way (ledger.cells, then
ledger.rows): so what the ledger cannot say compares equal on both sides (the day an extension
or a deferral was decided, a consultation ended by an opinion or by its lapse, a correction
period given in working days), and what it does say must agree (days and approver, party,
amount, outcome, appeals).
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from sqlalchemy import select as sa_select
from sqlmodel import Session

from ledger import columns as c
from ledger.cells import case_row
from ledger.export import histories
from ledger.problems import LedgerError
from ledger.rows import Parsed, parse
from models.cases import Appeal, Case
from models.organs import Organ
from workflow import clock

_CASES = Case.__table__  # type: ignore[attr-defined]
_APPEALS = Appeal.__table__  # type: ignore[attr-defined]
# the steps the ledger records without their day: placed on import where the clock last resumed
DECISIONS = frozenset({"extend", "defer"})


def stored_rows(session: Session, organ: Organ, refs: list[str]) -> dict[str, Parsed | None]:
    """The organ's stored cases among `refs`, each as its ledger row read back (None: a case the
    ledger cannot write so that it reads back, which then holds no row)."""
    q = sa_select(_CASES).where(_CASES.c.ref.in_(refs), _CASES.c.organ_id == organ.id)
    cases: list[Any] = list(session.execute(q))
    ids = [case.id for case in cases]
    events, appeals = histories(session, ids), _appeals(session, ids)
    today = clock.today()
    out: dict[str, Parsed | None] = {}
    for case in cases:
        cells = case_row(0, case, events[case.id], None, today=today, full=False)
        try:
            out[case.ref] = parse(0, dict(zip(c.HEADERS, cells, strict=True)), organ.code, appeals[case.id])
        except LedgerError:
            out[case.ref] = None
    return out


def _appeals(session: Session, ids: list[int]) -> dict[int, list[dict[str, Any]]]:
    """The cases' appeals as the appeals sheet reads them back (ledger.appeals), by filing."""
    q = sa_select(_APPEALS).where(_APPEALS.c.case_id.in_(ids)).order_by(_APPEALS.c.filed_on, _APPEALS.c.id)
    out: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for a in session.execute(q):
        out[a.case_id].append(
            {
                "kind": a.kind,
                "filed_on": a.filed_on.isoformat(),
                "result": a.result or None,
                "decided_on": a.decided_on.isoformat() if a.decided_on else None,
            }
        )
    return out


def holds(stored: Parsed, row: Parsed) -> bool:
    """Whether the stored case holds the row: the same opening, the row's steps the first of the
    stored ones (a register of an earlier year shows the case as it was then), its extensions and
    deferrals the first of the stored ones (all of them when the row lists every step), and each
    of its appeals stored (undecided then, or decided alike)."""
    s, r = stored.data, row.data
    if _opening(s) != _opening(r):
        return False
    s_steps, s_decisions = _split(s["events"])
    r_steps, r_decisions = _split(r["events"])
    if r_steps != s_steps[: len(r_steps)]:
        return False
    if len(r_steps) < len(s_steps):
        s_decisions = s_decisions[: len(r_decisions)]
    return r_decisions == s_decisions and _appeals_held(s["appeals"], r["appeals"])


def _opening(data: dict[str, Any]) -> tuple[Any, Any]:
    return data.get("submitted_on"), data.get("received_on")


def _split(events: list[dict[str, Any]]) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """The dated steps, and the decisions without their day (the ledger does not record it)."""
    steps = [e for e in events if e["event"] not in DECISIONS]
    decisions = [{k: v for k, v in e.items() if k != "on"} for e in events if e["event"] in DECISIONS]
    return steps, decisions


def _appeals_held(stored: list[dict[str, Any]], row: list[dict[str, Any]]) -> bool:
    row = sorted(row, key=lambda a: a["filed_on"])
    if len(row) > len(stored):
        return False
    for s, r in zip(stored, row, strict=False):
        if (s["kind"], s["filed_on"]) != (r["kind"], r["filed_on"]):
            return False
        decided = (r["result"], r["decided_on"])
        if decided != (None, None) and decided != (s["result"], s["decided_on"]):
            return False
    return True
