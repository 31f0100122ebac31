"""The report's identities: each check fails on numbers that break it and names the cases behind it."""

from __future__ import annotations

import copy
import datetime as dt
import json

import pytest
from sqlalchemy import text

from codes import ROWS
from models.db import session_scope
from reports.checks import NoEvidence, Previous, run_checks
from reports.closing import close_year
from tests.reports.helpers import failed, report
from tests.support import TESTER, D, organ_with_staff, receive, step
from workflow.errors import RuleViolation
from workflow.importer import Importer

GOOD3 = {r: [0] * 7 for r in ROWS} | {
    "new": [3, 1, 0, 0, 0, 0, 4],
    "carried_in": [1, 0, 0, 0, 0, 0, 1],
    "disclosed": [2, 1, 0, 0, 0, 0, 3],
    "total": [2, 1, 0, 0, 0, 0, 3],
    "carried_out": [2, 0, 0, 0, 0, 0, 2],
}
GOOD4 = {
    "reconsideration": {"upheld": 1, "corrected": 0, "other": 0, "pending": 1, "total": 2},
    "litigation": {"upheld": 0, "corrected": 0, "other": 0, "pending": 0, "total": 0},
    "litigation_after_reconsideration": {"upheld": 0, "corrected": 0, "other": 0, "pending": 0, "total": 0},
}


def names_failing(s3: dict, s4: dict, previous: Previous | None = None) -> dict[str, str]:
    checks = run_checks(s3, s4, year=2024, previous=previous, evidence=NoEvidence())
    return {c.name: c.detail for c in checks if not c.ok}


def test_consistent_numbers_pass_every_check() -> None:
    assert names_failing(GOOD3, GOOD4) == {}


def test_a_column_whose_inflow_differs_from_its_outflow_fails_balance_naming_the_column() -> None:
    s3 = copy.deepcopy(GOOD3)
    s3["new"][1] += 1
    s3["new"][6] += 1
    assert names_failing(s3, GOOD4) == {
        "balance": "商业企业：本年新收 2 + 上年结转 0 = 2，但办理结果总计 1 + 结转下年度 0 = 1；"
        "总计：本年新收 5 + 上年结转 1 = 6，但办理结果总计 3 + 结转下年度 2 = 5"
    }


def test_a_total_that_is_not_the_sum_of_the_21_outcome_rows_fails() -> None:
    s3 = copy.deepcopy(GOOD3)
    s3["disclosed"][0] -= 1
    s3["disclosed"][6] -= 1
    assert set(names_failing(s3, GOOD4)) == {"total_row"}
    assert "自然人：（七）总计 2，但 21 项办理结果之和为 1" in names_failing(s3, GOOD4)["total_row"]


def test_a_total_column_that_is_not_the_sum_of_the_six_fails_naming_the_row() -> None:
    s3 = copy.deepcopy(GOOD3)
    s3["carried_in"][6] = 2
    s3["new"][6] = 3  # keeps the 总计 column balanced, so only the column sum is wrong
    assert names_failing(s3, GOOD4) == {
        "total_column": "本年新收：总计 3，但六类申请人之和为 4；上年结转：总计 2，但六类申请人之和为 1"
    }


def test_a_section4_group_total_that_is_not_its_four_results_fails() -> None:
    s4 = copy.deepcopy(GOOD4)
    s4["litigation"]["total"] = 1
    assert names_failing(GOOD3, s4) == {
        "section4_totals": "行政诉讼·未经复议直接起诉：总计 1，"
        "但结果维持、结果纠正、其他结果、尚未审结之和为 0"
    }


def test_carried_in_must_equal_the_sealed_previous_years_carried_out() -> None:
    sealed = dt.datetime(2025, 1, 20, tzinfo=dt.UTC)
    assert names_failing(GOOD3, GOOD4, Previous(1, sealed, [1, 0, 0, 0, 0, 0, 1])) == {}
    got = names_failing(GOOD3, GOOD4, Previous(2, sealed, [2, 0, 0, 0, 0, 0, 2]))
    assert got == {
        "carry_over": "自然人：上年结转 1，但已封存的2023年度报告（第2版）结转下年度 2；"
        "总计：上年结转 1，但已封存的2023年度报告（第2版）结转下年度 2"
    }


# --- on a database: the failed check names the cases behind the difference ---------------------
@pytest.mark.usefixtures("any_db")
def test_a_conclusion_dated_before_the_receipt_breaks_the_balance_and_is_named() -> None:
    organ_with_staff()
    receive(D(2024, 3, 1), ref="OK-1")
    receive(D(2024, 3, 1), ref="BAD-1")
    with session_scope() as s:  # what a hand edit of the database could leave behind
        s.execute(text("UPDATE \"case\" SET concluded_on = '2023-12-01' WHERE ref = 'BAD-1'"))
    rep = report("east", 2024)
    [check] = [c for c in rep["checks"] if c["name"] == "balance"]
    assert not check["ok"] and check["cases"] == ["BAD-1"]
    assert check["detail"].startswith(
        "自然人：本年新收 2 + 上年结转 0 = 2，但办理结果总计 0 + 结转下年度 1 = 1"
    )
    with session_scope() as s, pytest.raises(RuleViolation, match=r"failed check balance .*cases BAD-1"):
        close_year(s, "east", 2024, actor=TESTER)


@pytest.mark.usefixtures("any_db")
def test_a_concluded_case_without_an_outcome_breaks_the_total_row_and_is_named() -> None:
    organ_with_staff()
    receive(D(2024, 3, 1), ref="OK-2")
    step("OK-2", "answer", on=D(2024, 3, 8), outcome="disclosed")
    receive(D(2024, 3, 1), ref="BAD-2")
    with session_scope() as s:
        s.execute(text("UPDATE \"case\" SET concluded_on = '2024-05-01' WHERE ref = 'BAD-2'"))
    rep = report("east", 2024)
    assert failed(rep) == ["total_row"]
    [check] = [c for c in rep["checks"] if c["name"] == "total_row"]
    assert check["cases"] == ["BAD-2"]


@pytest.mark.usefixtures("any_db")
def test_a_case_slipped_into_an_open_earlier_year_breaks_the_carry_over_and_is_named() -> None:
    organ_with_staff()
    receive(D(2024, 5, 6), ref="K-1")
    with session_scope() as s:
        close_year(s, "east", 2024, actor=TESTER)
    assert not failed(report("east", 2025))
    # 2023 is still open, so a case received then and still open can be entered; it is carried
    # through sealed 2024, whose carried_out no longer matches 2025's carried_in
    line = {
        "ref": "LATE-2023",
        "organ": "east",
        "applicant_type": "natural_person",
        "applicant": "王五",
        "channel": "in_person",
        "received_on": "2023-06-01",
    }
    with session_scope() as s:
        Importer(s, actor=TESTER).run([json.dumps(line)])
    rep = report("east", 2025)
    [check] = [c for c in rep["checks"] if c["name"] == "carry_over"]
    assert not check["ok"] and check["cases"] == ["LATE-2023"]
    assert "上年结转 2，但已封存的2024年度报告（第1版）结转下年度 1" in check["detail"]
    with (
        session_scope() as s,
        pytest.raises(RuleViolation, match=r"cannot close 2025 .*carry_over.*LATE-2023"),
    ):
        close_year(s, "east", 2025, actor=TESTER)
