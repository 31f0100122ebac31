"""Section 二 and the narrative: validated (counts ≥ 0, 万元 to four decimals), stored per organ and year."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from sqlmodel import func, select

import reports
from models.db import read_session, session_scope
from models.reports import ReportInput
from reports.inputs import ReportInputs, load_inputs, parse_inputs, read_inputs_file, save_inputs
from tests.reports.helpers import report
from tests.support import TESTER, organ_with_staff
from workflow.access import actor_for
from workflow.errors import InvalidInput, PermissionDenied

EXAMPLE = Path(reports.__file__).with_name("example-inputs.yaml")


def test_the_shipped_example_file_is_valid() -> None:
    got = read_inputs_file(EXAMPLE)
    assert got.section2 is not None and got.section2.fees == Decimal("12.3456")
    assert got.narrative.overview and got.narrative.problems and got.narrative.other


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"section2": {"licensing": -1}}, "section2.licensing: must be at least 0"),
        ({"section2": {"penalties": 2.5}}, "section2.penalties: must be a whole number"),
        ({"section2": {"penalties": "3"}}, "section2.penalties: must be a whole number"),
        ({"section2": {"enforcement": True}}, "section2.enforcement: must be a whole number"),
        ({"section2": {"rules": {"issued": -2}}}, "section2.rules.issued"),
        ({"section2": {"rules": {"cancelled": 1}}}, "unexpected field 'section2.rules.cancelled'"),
        ({"section2": {"fees": 1.23456}}, "section2.fees: 1.23456: at most 4 decimals"),
        ({"section2": {"fees": -0.5}}, "section2.fees: -0.5: the amount must be a non-negative number"),
        ({"section2": {"fees": "lots"}}, "section2.fees: 'lots' is not an amount"),
        ({"section2": {"fees": True}}, "section2.fees: True is not an amount"),
        ({"narrative": {"summary": "x"}}, "unexpected field 'narrative.summary'"),
        ({"sections": {}}, "unexpected field 'sections'"),
        (["section2"], "expected a mapping"),
    ],
)
def test_invalid_inputs_are_refused_naming_the_field(data: object, message: str) -> None:
    with pytest.raises(InvalidInput) as e:
        parse_inputs(data)
    assert message in str(e.value)
    assert "\n" not in str(e.value)


def test_amounts_keep_up_to_four_decimals_exactly() -> None:
    got = parse_inputs({"section2": {"fees": "0.0001"}})
    assert got.section2 is not None and got.section2.fees == Decimal("0.0001")
    assert got.report_parts()[0]["fees"] == 0.0001  # type: ignore[index]
    assert parse_inputs({"section2": {"fees": 12}}).report_parts()[0]["fees"] == 12  # type: ignore[index]


def test_a_yaml_syntax_error_names_the_file_and_line(tmp_path: Path) -> None:
    bad = tmp_path / "inputs.yaml"
    bad.write_text("section2:\n  licensing: 3\n  penalties: [1,\n", encoding="utf-8")
    with pytest.raises(InvalidInput, match=r"inputs.yaml at line \d+: not valid YAML"):
        read_inputs_file(bad)
    with pytest.raises(InvalidInput, match="no such file or folder"):
        read_inputs_file(tmp_path / "missing.yaml")


def test_saved_inputs_replace_the_previous_ones_and_appear_in_the_report(sqlite_db: str) -> None:
    organ_with_staff()
    with session_scope() as s:
        save_inputs(s, "east", 2024, read_inputs_file(EXAMPLE), actor=TESTER)
    rep = report("east", 2024)
    assert rep["section2"]["licensing"] == 1260 and rep["section2"]["rules"]["in_force"] == 2
    assert rep["narrative"]["other"].startswith("本年度无其他需要报告的事项")
    with session_scope() as s:
        save_inputs(s, "east", 2024, {"narrative": {"overview": "简述。"}}, actor=TESTER)
    rep = report("east", 2024)
    assert rep["section2"] is None and rep["narrative"] == {
        "overview": "简述。",
        "problems": None,
        "other": None,
    }
    with read_session() as s:
        assert load_inputs(s, "east", 2024) == ReportInputs.model_validate(
            {"narrative": {"overview": "简述。"}}
        )
        assert load_inputs(s, "east", 2023) == ReportInputs()
        assert s.exec(select(func.count()).select_from(ReportInput)).one() == 1


def test_only_people_of_the_organ_may_change_its_inputs(sqlite_db: str) -> None:
    organ_with_staff("east")
    organ_with_staff("west")
    with (
        session_scope() as s,
        pytest.raises(PermissionDenied, match="west-worker may not change report inputs"),
    ):
        save_inputs(s, "east", 2024, {}, actor=actor_for(s, "west-worker"))
    with session_scope() as s:
        save_inputs(s, "east", 2024, {"section2": {"licensing": 1}}, actor=actor_for(s, "east-worker"))
