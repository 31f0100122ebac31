"""The working-day calendar: DESIGN §4 semantics over the official data, provisional years, imports."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
from pathlib import Path

import chinese_calendar as cc
import pytest

from workflow import calendar as wcal
from workflow.calendar_store import read_arrangement
from workflow.errors import InvalidInput

D = dt.date
ONE = dt.timedelta(days=1)
CAL = wcal.WorkCalendar(wcal.package_data())


def count_forward(d: dt.date, n: int) -> dt.date:
    """The definition, day by day over the official data: the n-th working day strictly after d."""
    while n:
        d += ONE
        n -= cc.is_workday(d)
    return d


def test_make_up_saturdays_are_working_days_and_holidays_are_not() -> None:
    assert CAL.is_workday(D(2026, 2, 14)) and CAL.is_workday(D(2026, 2, 28))
    assert not CAL.is_workday(D(2026, 2, 16))  # Spring Festival
    assert not CAL.is_workday(D(2026, 10, 1))
    assert not CAL.is_workday(D(2026, 3, 7))  # an ordinary Saturday


def test_add_workdays_agrees_with_a_day_by_day_count_for_every_date_2004_to_2026() -> None:
    d, last = D(2004, 1, 1), D(2026, 11, 30)
    bad = []
    while d <= last:
        for n in (1, 7, 15, 20):
            if CAL.add_workdays(d, n) != count_forward(d, n):
                bad.append((d, n))
        d += ONE
    assert bad == []


def test_workdays_between_counts_working_days_after_a_up_to_and_including_b() -> None:
    d = D(2004, 1, 1)
    while d <= D(2026, 11, 30):
        assert CAL.workdays_between(d, count_forward(d, 20)) == 20
        d += dt.timedelta(days=3)
    assert CAL.workdays_between(D(2026, 4, 8), D(2026, 4, 20)) == 8
    assert CAL.workdays_between(D(2026, 4, 20), D(2026, 4, 8)) == 0


def test_a_non_working_start_day_counts_its_next_working_day_as_the_first() -> None:
    # DESIGN §4: received on a holiday; chinese_calendar.find_workday would give 2026-11-04
    assert CAL.add_workdays(D(2026, 10, 3), 20) == D(2026, 11, 3)
    assert cc.find_workday(20, D(2026, 10, 3)) == D(2026, 11, 4)


def test_a_period_crossing_new_year_uses_both_years_holidays() -> None:
    assert CAL.add_workdays(D(2025, 12, 25), 20) == D(2026, 1, 23)
    assert CAL.add_workdays(D(2023, 12, 28), 2) == D(2024, 1, 2)  # 30 Dec–1 Jan off


def test_zero_working_days_is_the_start_day_itself() -> None:
    assert CAL.add_workdays(D(2026, 10, 3), 0) == D(2026, 10, 3)


def test_a_year_without_official_data_counts_weekends_only_and_is_provisional() -> None:
    cal = wcal.WorkCalendar(wcal.CalendarData(official_years=frozenset(range(2004, 2027))))
    assert cal.add_workdays(D(2027, 1, 1), 1) == D(2027, 1, 4)  # Friday 1 January is not a holiday here
    assert cal.provisional(D(2026, 12, 20), D(2027, 1, 20))
    assert not cal.provisional(D(2026, 1, 5), D(2026, 12, 31))


def test_dates_outside_the_calendar_span_are_refused() -> None:
    with pytest.raises(wcal.CalendarRangeError):
        CAL.add_workdays(D(1989, 12, 31), 1)


def write(tmp_path: Path, text: str) -> Path:
    p = tmp_path / "year.yaml"
    p.write_text(text, encoding="utf-8")
    return p


def test_an_arrangement_file_lists_holiday_periods_and_make_up_days(tmp_path: Path) -> None:
    arr = read_arrangement(
        write(
            tmp_path,
            "year: 2027\nsource: 国务院办公厅通知\nholidays:\n"
            "  - {name: 元旦, from: 2027-01-01, to: 2027-01-03}\n"
            "workdays:\n  - 2027-01-09\n  - {date: 2027-01-10, name: 元旦}\n",
        )
    )
    assert set(arr.holidays) == {D(2027, 1, 1), D(2027, 1, 2), D(2027, 1, 3)}
    assert arr.workdays == {D(2027, 1, 9): "", D(2027, 1, 10): "元旦"}


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("year: 2027\nsource: x\nholidays: []\nworkdays: [2027-01-06]\n", "is a weekday"),
        ("year: 2027\nsource: x\nholidays:\n  - {name: a, from: 2027-01-05, to: 2027-01-01}\n", "ends"),
        (
            "year: 2027\nsource: x\nholidays:\n  - {name: a, from: 2027-02-30, to: 2027-03-01}\n",
            "not a valid date",
        ),
        (
            "year: 2027\nsource: x\nholidays:\n  - {name: a, from: 2029-01-01, to: 2029-01-02}\n",
            "not in or next to",
        ),
        (
            "year: 2027\nsource: x\nholidays:\n  - {name: a, from: 2027-01-02, to: 2027-01-03}\n"
            "workdays: [2027-01-02]\n",
            "both",
        ),
        ("year: 2027\nholidays: []\n", "source is required"),
        ("year: [\n", "cannot read"),
    ],
)
def test_a_bad_arrangement_file_is_refused_with_one_line_naming_the_problem(
    tmp_path: Path, body: str, message: str
) -> None:
    with pytest.raises(InvalidInput, match=message) as e:
        read_arrangement(write(tmp_path, body))
    assert "\n" not in str(e.value)


def test_today_is_the_business_date_in_shanghai() -> None:
    import time_machine

    from workflow import clock

    # 20:00 UTC on 31 December is already 1 January in Shanghai
    with time_machine.travel(dt.datetime(2025, 12, 31, 20, 0, tzinfo=dt.UTC), tick=False):
        assert clock.today() == D(2026, 1, 1)


def test_a_process_that_imports_only_the_service_computes_on_the_database_calendar() -> None:
    """The store installs its loader into the calendar (the calendar never imports the store), and
    the service imports the store, so no door can compute a deadline on the package's data alone."""
    code = (
        "import workflow.service, workflow.calendar as c, workflow.calendar_store as s; "
        "assert c._loader is s.load_calendar_data, c._loader"
    )
    subprocess.run([sys.executable, "-c", code], check=True, timeout=60)


def test_the_calendar_alone_computes_on_the_package_data_and_imports_no_store() -> None:
    code = (
        "import sys, workflow.calendar as c; "
        "assert c._loader is c.package_data and 'workflow.calendar_store' not in sys.modules"
    )
    subprocess.run([sys.executable, "-c", code], check=True, timeout=60)
