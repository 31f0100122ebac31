"""Replaying a stored history through the machine: the case must equal what this produces."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

from models.cases import Case, CaseEvent
from workflow import events as ev
from workflow.machine import RECORD_FIELDS, CaseFlow, CaseRecord
from workflow.service import copy_into, new_flow

# the columns the machine derives from the history
DERIVED_COLUMNS = RECORD_FIELDS


def derived(row: Case | CaseRecord) -> dict[str, Any]:
    return {name: getattr(row, name) for name in DERIVED_COLUMNS}


def blank_copy(row: Case) -> Case:
    """A case with the stored header and nothing the history decides."""
    return Case(
        id=row.id,
        ref=row.ref,
        organ_id=row.organ_id,
        applicant_type=row.applicant_type,
        applicant=row.applicant,
        channel=row.channel,
        request=row.request,
        assignee_id=row.assignee_id,
        created_at=row.created_at,
    )


def steps(flow: CaseFlow, history: Sequence[CaseEvent]) -> Iterator[tuple[CaseEvent, dict[str, Any]]]:
    """Drive `flow` through the history; yields each entry with the derived columns before it."""
    for h in history:
        before = derived(flow.row)
        if h.event not in ev.ANNOTATIONS:
            flow.fire(h.event, ev.parse_params(h.event, {"on": h.effective_on, **h.params}))
        yield h, before


def replay(row: Case, history: Sequence[CaseEvent]) -> Case:
    """The case the history produces, on today's default calendar."""
    record = CaseRecord()
    for _ in steps(new_flow(record), history):
        pass
    fresh = blank_copy(row)
    copy_into(fresh, record)
    fresh.version = len(history)
    return fresh
