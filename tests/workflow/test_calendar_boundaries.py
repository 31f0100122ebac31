"""A State Council notice may name days of the year before (issue 10 item 1).

The real 2019 notice makes Saturday 2018-12-29 a working day and 2018-12-30/31 holidays (the 2007,
2008 and 2012 notices did the same). Every import or seed stores every day a notice names, whatever
its year, and recomputes every case with a deadline on or after the earliest day that changed.
"""

from __future__ import annotations

import datetime as dt
import itertools
import os
from pathlib import Path
from typing import Any

import pytest
import time_machine
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import delete
from sqlmodel import col, select

from models.calendar import CalendarDay, CalendarYear
from models.cases import Case
from models.db import session_scope
from tests.cli_support import ogi_json
from tests.support import D, organ_with_staff, receive, step
from workflow import calendar as wcal
from workflow.calendar_store import (
    install_arrangement,
    package_arrangements,
    parse_arrangement,
    read_calendar,
)
from workflow.case_json import history
from workflow.recompute import import_arrangement, seed_calendar
from workflow.replay import derived, replay
from workflow.service import get_case

NOTICE_2019 = """\
# 国办发明电〔2018〕15号: 元旦 2018-12-30..2019-01-01 off, Sat 2018-12-29 worked
year: 2019
source: 国务院办公厅关于2019年部分节假日安排的通知
holidays:
  - {name: 元旦, from: 2018-12-30, to: 2019-01-01}
  - {name: 春节, from: 2019-02-04, to: 2019-02-10}
  - {name: 清明节, from: 2019-04-05, to: 2019-04-07}
  - {name: 劳动节, from: 2019-05-01, to: 2019-05-04}
  - {name: 端午节, from: 2019-06-07, to: 2019-06-09}
  - {name: 中秋节, from: 2019-09-13, to: 2019-09-15}
  - {name: 国庆节, from: 2019-10-01, to: 2019-10-07}
workdays:
  - {date: 2018-12-29, name: 元旦}
  - {date: 2019-02-02, name: 春节}
  - {date: 2019-02-03, name: 春节}
  - {date: 2019-04-28, name: 劳动节}
  - {date: 2019-05-05, name: 劳动节}
  - {date: 2019-09-29, name: 国庆节}
  - {date: 2019-10-12, name: 国庆节}
"""


def at(day: dt.date) -> time_machine.travel:
    """10:00 in Shanghai on `day`."""
    return time_machine.travel(dt.datetime.combine(day, dt.time(2, 0), dt.UTC), tick=False)


def before_the_2019_notice() -> None:
    """A deployment seeded before the 2019 notice existed: 2018 held without its last three days."""
    with session_scope() as s:
        s.execute(
            delete(CalendarDay).where(
                (col(CalendarDay.year) >= 2019) | (col(CalendarDay.day) >= D(2018, 12, 29))
            )
        )
        s.execute(delete(CalendarYear).where(col(CalendarYear.year) >= 2019))
    wcal.reset_default_calendar()


def import_text(text: str, *, actor: str = "tester") -> Any:
    try:
        with session_scope() as s:
            return import_arrangement(s, parse_arrangement(text, "test"), actor=actor)
    finally:
        wcal.reset_default_calendar()


def calendar_days() -> dict[dt.date, tuple[str, int]]:
    with session_scope() as s:
        return {d.day: (d.kind, d.year) for d in s.exec(select(CalendarDay))}


def test_importing_a_notice_that_names_december_of_the_year_before_recomputes_cases_due_that_december(
    any_db: str,
) -> None:
    organ_with_staff()
    before_the_2019_notice()
    with at(D(2018, 12, 6)):
        receive(D(2018, 12, 3), ref="DEC-3")
        assert get_ref("DEC-3").reply_due == D(2018, 12, 31)  # weekends only: Sat 29 not yet known
        receive(D(2018, 11, 30), ref="NOV-30")  # due Friday 2018-12-28: before any named day
        result = import_text(NOTICE_2019)
    assert result.first_day == D(2018, 12, 29)
    assert result.changed == ["DEC-3"] and result.failed == [] and result.attention == []
    row = get_ref("DEC-3")
    assert (row.reply_due, row.provisional, row.attention) == (D(2018, 12, 29), False, None)
    last = last_entry("DEC-3")
    assert last.event == "deadlines_recomputed"
    assert last.params["changes"]["reply_due"] == ["2018-12-31", "2018-12-29"]
    assert get_ref("NOV-30").version == 1  # untouched: nothing it counted over changed


def test_a_case_answered_before_the_notice_is_re_judged_late_against_the_december_it_names(
    any_db: str,
) -> None:
    organ_with_staff()
    before_the_2019_notice()
    with at(D(2018, 12, 31)):
        receive(D(2018, 12, 3), ref="ANS")
        row = step("ANS", "answer", on=D(2018, 12, 31), outcome="disclosed")
        assert (row.reply_due, row.late) == (D(2018, 12, 31), False)
    with at(D(2019, 1, 2)):
        result = import_text(NOTICE_2019)
    assert result.changed == ["ANS"]
    row = get_ref("ANS")
    assert (row.state, row.reply_due, row.late) == ("answered", D(2018, 12, 29), True)
    assert last_entry("ANS").params["changes"]["late"] == [False, True]


def test_seeding_a_year_into_a_database_holding_the_year_before_stores_the_days_its_notice_names_there(
    any_db: str,
) -> None:
    organ_with_staff()
    before_the_2019_notice()
    with at(D(2018, 12, 6)):
        receive(D(2018, 12, 3), ref="DEC-3")
        with session_scope() as s:
            added = seed_calendar(s)
        wcal.reset_default_calendar()
    assert added[0] == 2019
    days = calendar_days()
    assert days[D(2018, 12, 29)] == ("workday", 2019)
    assert days[D(2018, 12, 30)] == days[D(2018, 12, 31)] == ("holiday", 2019)
    assert get_ref("DEC-3").reply_due == D(2018, 12, 29)


def test_a_year_is_official_by_its_own_notice_never_by_stray_days_of_the_next_years_notice() -> None:
    stray = {
        D(2026, 10, 1): (2026, "holiday", "National Day"),
        D(2026, 12, 31): (2027, "holiday", "New Year's Day"),  # a notice for 2027 the data lacks
        D(2025, 12, 31): (2026, "holiday", "New Year's Day"),
    }
    assert wcal.package_years(stray) == frozenset({2026})
    years = wcal.package_data().official_years
    assert min(years) == 2004 and 2027 not in years
    # the package files 2018-12-29..31 under 2018; they belong to the 2019 notice
    assert wcal.notice_year(D(2018, 12, 29), "New Year's Day") == 2019
    assert wcal.notice_year(D(2019, 1, 1), "New Year's Day") == 2019


@pytest.mark.parametrize("year", [2006, 2007, 2011, 2018, 2022, 2023])
def test_seeding_two_years_in_either_order_gives_the_same_calendar(sqlite_db: str, year: int) -> None:
    """`year + 1`'s notice names days of `year` (the package's New Year's days in December)."""
    pair = {a.year: a for a in package_arrangements() if a.year in (year, year + 1)}
    assert any(d.year == year for d in [*pair[year + 1].holidays, *pair[year + 1].workdays])
    seen = []
    for first in (year, year + 1, None):
        forget_years(year, year + 1)
        with session_scope() as s:
            if first is not None:
                install_arrangement(s, pair[first], actor="system")
            seed_calendar(s)
        wcal.reset_default_calendar()
        seen.append(calendar_days())
    assert seen[0] == seen[1] == seen[2]
    package = wcal.package_data()
    with session_scope() as s:
        stored = read_calendar(s)
    assert (stored.holidays, stored.workdays) == (package.holidays, package.workdays)


def forget_years(*years: int) -> None:
    with session_scope() as s:
        s.execute(delete(CalendarDay).where(col(CalendarDay.year).in_(years)))
        s.execute(delete(CalendarYear).where(col(CalendarYear.year).in_(years)))
    wcal.reset_default_calendar()


# --- the kind: any notice naming days in the years before and after --------------------------------
_refs = itertools.count()


@st.composite
def arrangements(draw: st.DrawFn, year: int) -> tuple[str, dict[dt.date, str]]:
    """A notice for `year` naming holidays and make-up Saturdays/Sundays from 1 December of the
    year before to 31 January of the year after (what the import accepts)."""
    first, last = D(year - 1, 12, 1), D(year + 1, 1, 31)
    span = (last - first).days
    offsets = draw(st.lists(st.integers(0, span), min_size=1, max_size=25, unique=True))
    days = sorted(first + dt.timedelta(days=o) for o in offsets)
    # at least one day of the year before, as the 2008, 2012 and 2019 notices
    days.append(D(year - 1, 12, draw(st.integers(20, 31))))
    kinds: dict[dt.date, str] = {}
    for d in sorted(set(days)):
        weekend = d.weekday() >= 5
        kinds[d] = "workday" if weekend and draw(st.booleans()) else "holiday"
    holidays = ", ".join(f"{{name: 假日, from: {d}, to: {d}}}" for d, k in kinds.items() if k == "holiday")
    workdays = ", ".join(str(d) for d, k in kinds.items() if k == "workday")
    text = f"year: {year}\nsource: 测试通知\nholidays: [{holidays}]\nworkdays: [{workdays}]\n"
    return text, kinds


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_after_any_import_every_named_day_has_its_kind_and_every_case_equals_a_fresh_computation(
    organ: str, data: st.DataObject
) -> None:
    year = data.draw(st.sampled_from([2019, 2024, 2026]), label="year")
    text, kinds = data.draw(arrangements(year), label="notice")
    today = D(year, 2, 20)
    with at(today):
        refs = []
        for _ in range(data.draw(st.integers(1, 5), label="cases")):
            received = D(year - 1, 11, 1) + dt.timedelta(days=data.draw(st.integers(0, 100)))
            ref = f"B-{next(_refs)}"
            receive(received, organ=organ, ref=ref)
            if data.draw(st.booleans()):
                step(ref, "consult", on=received + dt.timedelta(days=1), party="organ")
            refs.append(ref)
        import_text(text)
        stored = calendar_days()
        for d, kind in kinds.items():
            assert stored[d] == (kind, year), f"{d} named {kind} by the {year} notice"
        cal = wcal.default_calendar()
        for ref in refs:
            row = get_ref(ref)
            with session_scope() as s:
                again = replay(row, history(s, row.id or 0))
            assert derived(again) == derived(row), f"{ref} differs from its fresh computation"
            assert row.received_on is not None
            if row.state == "received":
                assert row.reply_due == cal.add_workdays(row.received_on, 20)
            else:
                assert row.consultation_due == cal.add_workdays(row.received_on + dt.timedelta(days=1), 15)


@pytest.fixture
def organ(any_db: str) -> str:
    organ_with_staff("prop")
    return "prop"


# --- the CLI door -----------------------------------------------------------------------------------
def test_ogi_calendar_import_recomputes_from_the_earliest_named_day_and_says_so(
    sqlite_db: str, tmp_path: Path
) -> None:
    env = {**os.environ, "OGI_DATABASE_URL": sqlite_db}
    organ_with_staff()
    before_the_2019_notice()
    receive(D(2018, 12, 3), ref="CLI-1")
    notice = tmp_path / "2019.yaml"
    notice.write_text(NOTICE_2019, encoding="utf-8")
    summary = ogi_json(env, "calendar", "import", str(notice))
    assert summary["recomputed_from"] == "2018-12-29" and summary["cases_changed"] == ["CLI-1"]
    assert ogi_json(env, "case", "show", "CLI-1")["reply_due"] == "2018-12-29"


# --- helpers ----------------------------------------------------------------------------------------
def get_ref(ref: str) -> Case:
    with session_scope() as s:
        return get_case(s, ref)


def last_entry(ref: str) -> Any:
    with session_scope() as s:
        row = get_case(s, ref)
        return history(s, row.id or 0)[-1]
