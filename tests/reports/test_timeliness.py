"""The timeliness annex: durations in working days, on-time rate, counts, and the year-end backlog."""

from __future__ import annotations

import pytest

from tests.reports.helpers import report
from tests.support import D, organ_with_staff, receive, step
from workflow.calendar import workdays_between

pytestmark = pytest.mark.usefixtures("any_db")


def test_the_annex_measures_the_years_conclusions_and_its_backlog_as_of_31_december() -> None:
    organ_with_staff()
    receive(D(2024, 3, 1), ref="T-FAST")
    step("T-FAST", "answer", on=D(2024, 3, 8), outcome="disclosed")
    receive(D(2024, 3, 1), ref="T-LATE")
    step("T-LATE", "answer", on=D(2024, 4, 15), outcome="disclosed")  # due 2024-03-29
    receive(D(2024, 6, 3), ref="T-MID")
    step("T-MID", "answer", on=D(2024, 6, 20), outcome="unable_not_held")
    receive(D(2024, 10, 8), ref="T-OVERDUE")  # due in November, still open on 31 December
    step("T-OVERDUE", "answer", on=D(2025, 1, 10), outcome="disclosed")  # answered after the year end
    receive(D(2024, 11, 1), ref="T-PAUSED")
    step("T-PAUSED", "consult", on=D(2024, 11, 5), party="third_party")
    step("T-PAUSED", "receive_opinion", on=D(2024, 11, 25))
    step("T-PAUSED", "consult", on=D(2024, 11, 26), party="organ")  # consulting over the year end
    receive(D(2024, 12, 2), ref="T-EXT")
    step("T-EXT", "extend", on=D(2024, 12, 20), days=20, approver="east-head")

    t = report("east", 2024)["timeliness"]
    durations = sorted(
        workdays_between(a, b)
        for a, b in (
            (D(2024, 3, 1), D(2024, 3, 8)),
            (D(2024, 3, 1), D(2024, 4, 15)),
            (D(2024, 6, 3), D(2024, 6, 20)),
        )
    )
    assert t["concluded"] == 3 and (t["on_time"], t["late"]) == (2, 1) and t["on_time_rate"] == 0.6667
    assert t["workdays_to_conclusion"] == {
        "median": float(durations[1]),
        "mean": round(sum(durations) / 3, 2),
        "min": durations[0],
        "max": durations[2],
    }
    assert (t["extensions"], t["consultations"], t["corrections"], t["fee_notices"]) == (1, 2, 0, 0)
    assert t["pending_at_year_end"] == 3
    # T-OVERDUE was overdue on 31 December although it has since been answered; the others were
    # paused (consulting) or within their extended period
    assert t["overdue_at_year_end"] == 1
    oldest = [(p["ref"], p["state_at_year_end"], p["overdue_at_year_end"]) for p in t["oldest_pending"]]
    assert oldest == [
        ("T-OVERDUE", "received", True),
        ("T-PAUSED", "consulting", False),
        ("T-EXT", "received", False),
    ]
    assert t["oldest_pending"][0]["workdays_pending"] == workdays_between(D(2024, 10, 8), D(2024, 12, 31))


def test_an_empty_year_has_no_statistics_rather_than_zeros() -> None:
    organ_with_staff()
    t = report("east", 2024)["timeliness"]
    assert t["workdays_to_conclusion"] == {"median": None, "mean": None, "min": None, "max": None}
    assert t["on_time_rate"] is None and t["oldest_pending"] == [] and t["concluded"] == 0


def test_only_the_ten_oldest_pending_cases_are_listed() -> None:
    organ_with_staff()
    for day in range(2, 14):
        receive(D(2024, 12, day), ref=f"P-{day:02d}")
    t = report("east", 2024)["timeliness"]
    assert t["pending_at_year_end"] == 12
    assert [p["ref"] for p in t["oldest_pending"]] == [f"P-{d:02d}" for d in range(2, 12)]
