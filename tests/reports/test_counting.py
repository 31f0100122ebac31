"""Section 三 counting at its edges (DESIGN §6), on SQLite and PostgreSQL."""

from __future__ import annotations

import pytest

from codes import COLUMNS, OUTCOMES, ROWS
from models.db import read_session, session_scope
from reports.cells import cases_behind
from tests.reports.helpers import cell, failed, register, report
from tests.support import D, organ_with_staff, receive, step
from workflow.access import Actor
from workflow.appeals import decide_appeal, file_appeal
from workflow.errors import InvalidInput, NotFound

pytestmark = pytest.mark.usefixtures("any_db")


def nonzero(rep: dict[str, object], column: str = "total") -> dict[str, int]:
    i = COLUMNS.index(column)
    return {r: v[i] for r, v in rep["section3"].items() if v[i]}  # type: ignore[attr-defined]


def test_a_case_received_on_31_december_is_new_and_carried_out_then_carried_in() -> None:
    organ_with_staff()
    receive(D(2024, 12, 31), ref="E-1")
    assert nonzero(report("east", 2024)) == {"new": 1, "carried_out": 1}
    step("E-1", "answer", on=D(2025, 1, 10), outcome="disclosed")
    assert nonzero(report("east", 2024)) == {"new": 1, "carried_out": 1}
    assert nonzero(report("east", 2025)) == {"carried_in": 1, "disclosed": 1, "total": 1}


def test_a_case_concluded_on_1_january_is_carried_out_of_the_year_before() -> None:
    organ_with_staff()
    receive(D(2024, 12, 2), ref="E-2")
    step("E-2", "answer", on=D(2025, 1, 1), outcome="unable_not_held")
    assert nonzero(report("east", 2024)) == {"new": 1, "carried_out": 1}
    assert nonzero(report("east", 2025)) == {"carried_in": 1, "unable_not_held": 1, "total": 1}


def test_a_case_concluded_on_31_december_is_not_carried_out() -> None:
    organ_with_staff()
    receive(D(2024, 12, 2), ref="E-3")
    step("E-3", "answer", on=D(2024, 12, 31), outcome="disclosed")
    assert nonzero(report("east", 2024)) == {"new": 1, "disclosed": 1, "total": 1}
    assert nonzero(report("east", 2025)) == {}


def test_a_withdrawn_application_counts_as_other_and_lapses_count_in_their_own_rows() -> None:
    organ_with_staff()
    receive(D(2024, 3, 1), ref="W-1")
    step("W-1", "withdraw", on=D(2024, 3, 5))
    receive(D(2024, 3, 1), ref="L-1")
    step("L-1", "request_correction", on=D(2024, 3, 4), until=D(2024, 3, 15), items=["年度"])
    step("L-1", "lapse_correction", on=D(2024, 3, 18))
    receive(D(2024, 3, 1), ref="L-2")
    step("L-2", "notify_fee", on=D(2024, 3, 4), amount="200")
    step("L-2", "lapse_fee", on=D(2024, 4, 15))
    assert nonzero(report("east", 2024)) == {
        "new": 3,
        "other": 1,
        "other_no_correction": 1,
        "other_fee_unpaid": 1,
        "total": 3,
    }


def test_a_case_open_for_two_year_ends_is_carried_twice() -> None:
    organ_with_staff()
    receive(D(2023, 12, 20), ref="C-2")
    step("C-2", "request_correction", on=D(2023, 12, 22), until=D(2025, 1, 31), items=["年度"])
    step("C-2", "receive_correction", on=D(2025, 1, 20))
    step("C-2", "answer", on=D(2025, 2, 10), outcome="partially_disclosed", reasons="隐私")
    assert nonzero(report("east", 2023)) == {"new": 1, "carried_out": 1}
    assert nonzero(report("east", 2024)) == {"carried_in": 1, "carried_out": 1}
    assert nonzero(report("east", 2025)) == {"carried_in": 1, "partially_disclosed": 1, "total": 1}


def test_an_application_never_received_counts_nowhere() -> None:
    organ_with_staff()
    register(D(2024, 5, 6), ref="R-1")  # still waiting for confirmation
    register(D(2024, 5, 6), ref="R-2")
    step("R-2", "withdraw", on=D(2024, 5, 8))  # withdrawn before its receipt was confirmed
    register(D(2024, 12, 30), ref="R-3")
    step("R-3", "confirm_receipt", on=D(2025, 1, 3))  # an application of 2025, not 2024
    assert nonzero(report("east", 2024)) == {}
    assert nonzero(report("east", 2025)) == {"new": 1, "carried_out": 1}


def test_each_applicant_type_is_its_own_column_and_total_sums_them() -> None:
    organ_with_staff()
    for i, t in enumerate(COLUMNS[:-1]):
        for _ in range(i + 1):
            receive(D(2024, 6, 3), applicant_type=t)
    rep = report("east", 2024)
    assert rep["section3"]["new"] == [1, 2, 3, 4, 5, 6, 21]
    assert rep["section3"]["carried_out"] == [1, 2, 3, 4, 5, 6, 21]
    assert not failed(rep)


def test_every_row_key_is_present_with_seven_numbers_and_the_checks_pass() -> None:
    organ_with_staff()
    rep = report("east", 2024)
    assert list(rep["section3"]) == list(ROWS)
    assert all(v == [0] * 7 for v in rep["section3"].values())
    assert rep["columns"] == list(COLUMNS)
    assert set(rep["section4"]) == {"reconsideration", "litigation", "litigation_after_reconsideration"}
    assert rep["section2"] is None and rep["sealed"] is None
    assert not failed(rep)


def test_other_organs_cases_are_not_counted_and_a_roll_up_sums_the_subtree() -> None:
    organ_with_staff("district")
    organ_with_staff("town", parent="district")
    organ_with_staff("village", parent="town")
    organ_with_staff("elsewhere")
    receive(D(2024, 2, 1), organ="district")
    for _ in range(2):
        receive(D(2024, 2, 1), organ="town", applicant_type="other_org")
    receive(D(2024, 2, 1), organ="village")
    receive(D(2024, 2, 1), organ="elsewhere")
    assert cell(report("district", 2024), "new") == 1
    rolled = report("district", 2024, include_children=True)
    assert rolled["section3"]["new"] == [2, 0, 0, 0, 0, 2, 4]
    assert rolled["organs"] == ["district", "town", "village"] and rolled["include_children"]
    assert cell(report("town", 2024, include_children=True), "new") == 3
    assert not failed(rolled)


def test_section4_counts_appeals_filed_in_the_year_by_their_result_at_31_december() -> None:
    organ_with_staff()
    receive(D(2024, 1, 8), ref="A-1")
    step("A-1", "answer", on=D(2024, 1, 20), outcome="withheld_state_secret", reasons="国家秘密")
    actor = Actor("tester")
    with session_scope() as s:
        a1 = file_appeal(s, "A-1", kind="reconsideration", filed_on=D(2024, 3, 1), actor=actor)
        a2 = file_appeal(s, "A-1", kind="litigation", filed_on=D(2024, 11, 1), actor=actor)
        file_appeal(s, "A-1", kind="litigation_after_reconsideration", filed_on=D(2025, 1, 6), actor=actor)
        decide_appeal(s, a1.id, result="corrected", decided_on=D(2024, 6, 1), actor=actor)  # type: ignore[arg-type]
        decide_appeal(s, a2.id, result="upheld", decided_on=D(2025, 2, 1), actor=actor)  # type: ignore[arg-type]
    s4 = report("east", 2024)["section4"]
    assert s4["reconsideration"] == {"upheld": 0, "corrected": 1, "other": 0, "pending": 0, "total": 1}
    assert s4["litigation"] == {"upheld": 0, "corrected": 0, "other": 0, "pending": 1, "total": 1}
    assert s4["litigation_after_reconsideration"]["total"] == 0
    s4 = report("east", 2025)["section4"]
    assert s4["litigation_after_reconsideration"] == {
        "upheld": 0,
        "corrected": 0,
        "other": 0,
        "pending": 1,
        "total": 1,
    }
    assert s4["litigation"]["total"] == 0


def test_the_cases_behind_a_cell_are_the_cases_it_counts() -> None:
    organ_with_staff()
    receive(D(2023, 11, 1), ref="B-1", applicant_type="commercial_enterprise")
    step("B-1", "answer", on=D(2024, 1, 9), outcome="disclosed")
    receive(D(2024, 4, 1), ref="B-2")
    step("B-2", "answer", on=D(2024, 4, 9), outcome="disclosed")
    receive(D(2024, 12, 9), ref="B-3")
    with read_session() as s:

        def refs(row: str, column: str) -> list[str]:
            return [c.ref for c in cases_behind(s, "east", 2024, row, column)]

        assert refs("disclosed", "total") == ["B-1", "B-2"]
        assert refs("disclosed", "commercial_enterprise") == ["B-1"]
        assert refs("carried_in", "total") == ["B-1"]
        assert refs("new", "natural_person") == ["B-2", "B-3"]
        assert refs("carried_out", "total") == ["B-3"]
        assert refs("total", "natural_person") == ["B-2"]
        with pytest.raises(InvalidInput, match="unknown section 三 row"):
            cases_behind(s, "east", 2024, "bogus", "total")
        with pytest.raises(InvalidInput, match="unknown report column"):
            cases_behind(s, "east", 2024, "new", "robots")
        with pytest.raises(NotFound, match="unknown organ"):
            cases_behind(s, "nowhere", 2024, "new", "total")
    assert set(OUTCOMES) < set(ROWS)
