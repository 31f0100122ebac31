"""Replaying a stored history through the machine: the case must equal what this produces.

The history is append-only, so what a calendar change does to recorded events is itself recorded:
the latest `deadlines_recomputed` entry that carries a `replay` plan says which of the system's own
lapses now fall on another day or no longer happened, and which recorded facts are kept as
recorded although the current calendar's rules would refuse them (workflow.recompute), and which
of the sweep's own entries a later-recorded, earlier-dated event refutes (workflow.plan).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

from models.cases import Case, CaseEvent, CaseState
from workflow import events as ev
from workflow.machine import RECORD_FIELDS, CaseFlow, CaseRecord
from workflow.plan import MARK, PLANNERS, RECOMPUTED, REJUDGED, Plan, event_params, judge_marks, plan_of
from workflow.service import copy_into, new_flow

# the columns the machine derives from the history
DERIVED_COLUMNS = RECORD_FIELDS
__all__ = ["MARK", "PLANNERS", "RECOMPUTED", "REJUDGED", "Plan", "event_params", "judge_marks", "plan_of"]


def derived(row: Case | CaseRecord) -> dict[str, Any]:
    return {name: getattr(row, name) for name in DERIVED_COLUMNS}


# the columns a case keeps whatever its history says: the table's, less what the history decides
# (models.cases.CaseState) and the version (the history's length)
HEADER_COLUMNS: tuple[str, ...] = tuple(
    name for name in Case.model_fields if name not in CaseState.model_fields and name != "version"
)


def blank_copy(row: Case) -> Case:
    """A case with the stored header and nothing the history decides."""
    return Case(**{name: getattr(row, name) for name in HEADER_COLUMNS})


def steps(
    flow: CaseFlow, history: Sequence[CaseEvent], plan: Plan | None = None
) -> Iterator[tuple[CaseEvent, dict[str, Any]]]:
    """Drive `flow` through the history; yields each entry with the derived columns before it."""
    plan = plan_of(history) if plan is None else plan
    for h in history:
        before = derived(flow.row)
        if h.event not in ev.ANNOTATIONS and h.seq not in plan.removed:
            params = event_params(h, plan.moved.get(h.seq))
            if h.seq in plan.kept:
                flow.keep_as_recorded(h.event, params)
            else:
                flow.fire(h.event, params)
        yield h, before


def replay(row: Case, history: Sequence[CaseEvent]) -> Case:
    """The case the history produces, on today's default calendar."""
    record = CaseRecord()
    for _ in steps(new_flow(record), history):
        pass
    return fresh_case(row, record, len(history))


def fresh_case(row: Case, record: CaseRecord, version: int) -> Case:
    fresh = blank_copy(row)
    copy_into(fresh, record)
    fresh.version = version
    return fresh
