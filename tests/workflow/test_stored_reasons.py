"""The sweep's void reasons are stored as a message id and its parameters and read in the reader's
language; a reason stored as text before (in its writer's language) still shows as written, and is
not recorded again only because it is text (DESIGN §14)."""

from __future__ import annotations

import pytest

from models.cases import CaseEvent
from models.db import read_session, session_scope
from tests.support import D, organ_with_staff, step
from tests.workflow.sweep_support import on_day
from tests.workflow.test_refuted_marks import SWEPT, mark_seq, marks, overdue_case
from workflow.access import SYSTEM
from workflow.case_json import history
from workflow.replay import plan_of
from workflow.service import annotate, get_case, rejudge_marks
from workflow.stored_text import shown as shown_text

pytestmark = pytest.mark.usefixtures("any_db")


def rejudged(ref: str) -> list[CaseEvent]:
    with read_session() as s:
        row = get_case(s, ref)
        assert row.id is not None
        return [h for h in history(s, row.id) if h.event == "sweep_entries_rejudged"]


def voided_case(ref: str) -> None:
    organ_with_staff()
    overdue_case(ref)
    with on_day(SWEPT):
        step(ref, "answer", on=D(2026, 3, 27), outcome="disclosed")


def test_a_stored_void_reason_is_a_message_rendered_in_the_readers_language(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from config.settings import get_settings

    voided_case("V-1")
    [entry] = rejudged("V-1")
    stored = entry.params["replay"]["voided"][str(mark_seq("V-1"))]
    assert stored["msgid"].startswith("entry {seq} ({event}, {on}) no longer holds")
    assert stored["params"]["event"] == {"family": "event", "code": "became_overdue"}
    [english] = marks("V-1")
    assert english["void"].startswith("entry ") and "answer (" in english["void"]
    monkeypatch.setenv("OGI_LANG", "zh")
    get_settings.cache_clear()
    [chinese] = marks("V-1")
    assert (
        chinese["void"].startswith("第") and "不再成立" in chinese["void"] and "答复（第" in chinese["void"]
    )


def test_a_void_reason_stored_as_text_before_still_shows_as_written_and_is_not_recorded_again() -> None:
    voided_case("V-2")
    [entry] = rejudged("V-2")
    seq = str(mark_seq("V-2"))
    old = shown_text(entry.params["replay"]["voided"][seq], "zh")  # as an older version wrote it
    with session_scope() as s:  # the history is append-only: an older plan, written as text, is the latest
        row = get_case(s, "V-2")
        replay = {**entry.params["replay"], "voided": {seq: old}}
        annotate(s, row, "sweep_entries_rejudged", SWEPT, {"replay": replay}, actor=SYSTEM.name)
    [mark] = marks("V-2")
    assert mark["void"] == old  # in English too: the text as written
    with session_scope() as s:
        rejudge_marks(s, get_case(s, "V-2"), D(2026, 3, 27), SWEPT)
    assert len(rejudged("V-2")) == 2  # the same reason, only stored otherwise: not recorded again
    with read_session() as s:
        row = get_case(s, "V-2")
        assert row.id is not None
        assert plan_of(history(s, row.id)).voided == {int(seq): old}
