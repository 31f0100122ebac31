"""A year's holiday arrangement arriving late: provisional deadlines are recomputed and recorded."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import time_machine
from sqlalchemy import delete

from models.calendar import CalendarDay, CalendarYear
from models.db import session_scope
from tests.support import D, organ_with_staff, receive, step
from workflow import calendar as wcal
from workflow.calendar_store import read_arrangement
from workflow.case_json import history
from workflow.recompute import import_arrangement
from workflow.service import get_case

SHANGHAI_MORNING = dt.datetime(2025, 12, 1, 2, 0, tzinfo=dt.UTC)


def forget_year(year: int) -> None:
    with session_scope() as s:
        s.execute(delete(CalendarDay).where(CalendarDay.year == year))  # type: ignore[arg-type]
        s.execute(delete(CalendarYear).where(CalendarYear.year == year))  # type: ignore[arg-type]
    wcal.reset_default_calendar()


def arrangement_2026(tmp_path: Path) -> Path:
    """The real 2026 arrangement, written in the documented file format."""
    data = wcal.package_data()
    holidays = sorted(d for d in data.holidays if d.year == 2026)
    workdays = sorted(d for d in data.workdays if d.year == 2026)
    lines = ["year: 2026", "source: 国务院办公厅关于2026年部分节假日安排的通知", "holidays:"]
    lines += [f"  - {{name: 假日, from: {d}, to: {d}}}" for d in holidays]
    lines += ["workdays:"] + [f"  - {d}" for d in workdays]
    p = tmp_path / "2026.yaml"
    p.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return p


def test_importing_a_missing_year_recomputes_provisional_deadlines_and_records_the_change(
    sqlite_db: str, tmp_path: Path
) -> None:
    organ_with_staff()
    forget_year(2026)
    with time_machine.travel(SHANGHAI_MORNING, tick=False):
        receive(D(2025, 11, 28), ref="P-1")
        row = step("P-1", "extend", on=D(2025, 12, 1), days=20, approver="east-head")
        assert (row.reply_due, row.provisional) == (D(2026, 1, 23), True)  # weekends only in 2026
        receive(D(2025, 11, 3), ref="P-2")  # due in 2025: untouched

        with session_scope() as s:
            result = import_arrangement(s, read_arrangement(arrangement_2026(tmp_path)), actor="tester")
        wcal.reset_default_calendar()

    assert result.changed == ["P-1"] and result.failed == []
    with session_scope() as s:
        row = get_case(s, "P-1")
        assert row.id is not None
        last = history(s, row.id)[-1]
        other = get_case(s, "P-2")
    # 1–3 January are holidays and Sunday 4 January is a working day in the official arrangement
    assert (row.reply_due, row.provisional, row.version) == (D(2026, 1, 26), False, 3)
    assert last.event == "deadlines_recomputed"
    assert last.params["changes"]["reply_due"] == ["2026-01-23", "2026-01-26"]
    assert last.params["changes"]["provisional"] == [True, False]
    assert other.version == 1


def test_a_blank_copy_keeps_every_column_but_those_the_history_decides() -> None:
    from models.cases import Case, CaseState
    from workflow.replay import blank_copy

    row = Case(id=7, ref="R-1", organ_id=1, applicant_type="natural_person", applicant="A", channel="email")
    row.request, row.assignee_id, row.attention, row.version = "r", 3, "look", 9
    row.state, row.reply_due, row.late = "answered", D(2026, 3, 30), True
    copy = blank_copy(row)
    history_decides = {*CaseState.model_fields, "version"}
    for name in Case.model_fields:
        expected = getattr(Case(), name) if name in history_decides else getattr(row, name)
        assert getattr(copy, name) == expected, name
