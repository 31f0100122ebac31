"""An office re-imports its own export: every row's case is already stored, so every row is held
(skipped and counted), whatever steps the case took and in whichever order the years come; a row
that differs from its stored case is refused, saying this organ holds the case."""

from __future__ import annotations

import datetime as dt
import json
import os
import random
from pathlib import Path

import pytest
from openpyxl import load_workbook
from sqlmodel import func, select

from config.i18n import render
from demo.samples import sample_year
from ledger import columns as c
from ledger.load import Summary, import_register
from ledger.problems import LedgerError
from ledger.reading import open_register
from models.cases import Appeal, Case, CaseEvent
from models.db import read_session, session_scope
from tests.cli_support import ogi, ogi_json, one_line_error
from tests.conftest import use_database
from tests.ledger.support import another_sqlite, export_to, sheet_values
from tests.support import TESTER, D, organ_with_staff, step
from workflow import sweep
from workflow.calendar import default_calendar
from workflow.importer import Importer
from workflow.service import NewCase, open_case

TODAY = D(2026, 11, 20)
YEARS = (2025, 2026)


def import_summary(path: Path, organ: str = "east") -> Summary:
    register = open_register(path)
    try:
        with session_scope() as s:
            return import_register(s, register, organ=organ, actor=TESTER)
    finally:
        register.close()


def stored_counts() -> tuple[int, int, int]:
    with read_session() as s:
        return tuple(  # type: ignore[return-value]
            s.exec(select(func.count()).select_from(m)).one() for m in (Case, CaseEvent, Appeal)
        )


def _office_cases() -> None:
    """Two demo years of east (corrections, consultations ended by an opinion or lapsed, fees,
    extensions, appeals, cases straddling the year), the steps the demo does not take, and the
    deadline sweep, as `ogi demo` builds its office."""
    rng, cal = random.Random(2024), default_calendar()
    lines = [
        line
        for year in YEARS
        for line in sample_year(
            cal, rng, organ="east", year=year, n=80, today=TODAY, assignees=["east-worker", "east-head"]
        )
    ]
    with session_scope() as s:
        Importer(s, actor=TESTER).run(json.dumps(x, ensure_ascii=False) for x in lines)
        new = NewCase(
            organ="east",
            applicant_type="other_org",
            applicant="某协会",
            channel="ordinary_mail",
            submitted_on=D(2025, 12, 29),
            ref="REG",
        )
        open_case(s, new, actor=TESTER)
    for ref, event, params in (
        ("REG", "confirm_receipt", {"on": D(2026, 1, 5)}),
        ("REG", "extend", {"on": D(2026, 1, 20), "days": 5, "approver": "east-head"}),
        ("REG", "defer", {"on": D(2026, 1, 21), "until": D(2026, 4, 30), "reason": "材料较多"}),
        ("REG", "answer", {"on": D(2026, 4, 20), "outcome": "unable_needs_creation"}),
    ):
        step(ref, event, **params)
    with session_scope() as s:
        sweep.sweep(s, today=TODAY)


@pytest.fixture
def office(sqlite_template: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict[int, Path]:
    first = tmp_path / "office.db"
    first.write_bytes(sqlite_template.read_bytes())
    use_database(monkeypatch, f"sqlite:///{first}")
    monkeypatch.setattr("workflow.clock.today", lambda: TODAY)
    organ_with_staff("east")
    _office_cases()
    with read_session() as s:
        kinds = set(s.exec(select(CaseEvent.event)))
        appeals = s.exec(select(func.count()).select_from(Appeal)).one()
    # the data holds what made the re-import fail: extensions, appeals, consultations lapsed
    assert {"extend", "defer", "lapse_consultation", "receive_opinion", "request_correction"} <= kinds
    assert {"notify_fee", "receive_payment", "confirm_receipt", "answer"} <= kinds
    assert appeals >= 2
    return {y: export_to(tmp_path / f"east-{y}-ledger.xlsx", "east", y) for y in YEARS}


def rows_of(path: Path) -> int:
    return len(sheet_values(path)[c.CASES_SHEET]) - 1


@pytest.mark.parametrize("order", [YEARS, YEARS[::-1]])
def test_an_unchanged_reimport_of_the_office_s_own_export_holds_every_row_and_imports_nothing(
    office: dict[int, Path], order: tuple[int, int]
) -> None:
    before = stored_counts()
    for year in order:
        summary = import_summary(office[year])
        assert (summary.cases, summary.events, summary.appeals) == (0, 0, 0)
        assert summary.held == rows_of(office[year])
    assert stored_counts() == before


def test_both_years_into_an_empty_database_later_first_then_both_again_hold_every_row(
    office: dict[int, Path], sqlite_template: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with another_sqlite(sqlite_template, tmp_path, monkeypatch):
        organ_with_staff("east")
        later, earlier = import_summary(office[2026]), import_summary(office[2025])
        assert later.held == 0 and later.cases == rows_of(office[2026])
        assert earlier.held + earlier.cases == rows_of(office[2025]) and earlier.held > 0
        stored = stored_counts()
        for year in (2025, 2026, 2025):
            again = import_summary(office[year])
            assert again.cases == 0 and again.held == rows_of(office[year])
        assert stored_counts() == stored
        for year in YEARS:
            assert sheet_values(export_to(tmp_path / f"again-{year}.xlsx", "east", year)) == sheet_values(
                office[year]
            )


def _with_cell(path: Path, column: str, change: dt.date | str, out: Path) -> tuple[int, str]:
    """The register with one filled cell of `column` changed; (its row, its 申请编号)."""
    wb = load_workbook(path)
    ws = wb[c.CASES_SHEET]
    head = [cell.value for cell in ws[1]]
    ref_at, at = head.index(c.REF), head.index(column)
    for row in ws.iter_rows(min_row=2):
        if row[at].value not in (None, ""):
            row[at].value = change
            wb.save(out)
            return row[0].row, str(row[ref_at].value)
    raise AssertionError(f"no row fills {column}")


@pytest.mark.parametrize(
    ("column", "change"),
    [(c.EXTENSION, "30天/张局长"), (c.ANSWERED, D(2025, 12, 31)), (c.OUTCOME, "2.重复申请")],
)
def test_a_row_that_differs_from_its_stored_case_is_refused_saying_this_organ_holds_it(
    office: dict[int, Path], tmp_path: Path, column: str, change: dt.date | str
) -> None:
    changed = tmp_path / "changed.xlsx"
    row, _ref = _with_cell(office[2025], column, change, changed)
    before = stored_counts()
    with pytest.raises(LedgerError) as refused:
        import_summary(changed)
    assert (refused.value.row, refused.value.column) == (row, c.REF)
    english = render(refused.value, "en")
    assert english == (
        f"row {row} 「申请编号」: this organ already holds the case with other steps or appeals than the "
        "row lists (adding to or changing a stored case is not supported)"
    )
    assert "all organs" not in english
    assert render(refused.value, "zh") == (
        f"第{row}行「申请编号」：本机关已存有该案件，但其办理步骤或复议诉讼与本行所列不同"
        "（不支持对已存案件追加或修改）"
    )
    assert stored_counts() == before


def test_a_row_differing_only_outside_its_steps_is_held_the_register_does_not_edit_cases(
    office: dict[int, Path], tmp_path: Path
) -> None:
    changed = tmp_path / "changed.xlsx"
    _with_cell(office[2025], c.ASSIGNEE, "另一位承办人", changed)
    assert import_summary(changed).held == rows_of(changed)


def test_an_appeal_added_to_a_stored_case_is_refused_saying_this_organ_holds_it(
    office: dict[int, Path], tmp_path: Path
) -> None:
    wb = load_workbook(office[2025])
    cases, appeals = wb[c.CASES_SHEET], wb[c.APPEALS_SHEET]
    head = [cell.value for cell in cases[1]]
    answered = next(
        r
        for r in cases.iter_rows(min_row=2, values_only=True)
        if r[head.index(c.OUTCOME)] == "（一）予以公开"
    )
    ref = answered[head.index(c.REF)]
    appeals.append([999, ref, "行政复议", dt.datetime(2026, 10, 9), "", None])
    wb.save(tmp_path / "appealed.xlsx")
    with pytest.raises(LedgerError) as refused:
        import_summary(tmp_path / "appealed.xlsx")
    assert refused.value.column == c.REF and "this organ already holds the case" in str(refused.value)


def test_a_ref_another_organ_holds_is_still_refused_as_unique_across_all_organs(
    office: dict[int, Path],
) -> None:
    organ_with_staff("west")
    with pytest.raises(LedgerError) as refused:
        import_summary(office[2025], organ="west")
    assert refused.value.column == c.REF and "unique across all organs" in str(refused.value)


def test_the_cli_dry_run_of_its_own_export_holds_every_row_and_a_changed_row_is_one_line_in_chinese(
    office: dict[int, Path], tmp_path: Path
) -> None:
    env = dict(os.environ)
    path = tmp_path / "cli-2025.xlsx"
    ogi(env, "ledger", "export", "--organ", "east", "--year", "2025", "-o", str(path))
    out = ogi_json(env, "ledger", "import", str(path), "--organ", "east", "--dry-run")
    assert (out["cases"], out["events"], out["appeals"], out["held"]) == (0, 0, 0, rows_of(path))
    row, _ref = _with_cell(path, c.EXTENSION, "30天/张局长", tmp_path / "changed.xlsx")
    refused = ogi(
        {**env, "OGI_LANG": "zh"},
        *("ledger", "import", str(tmp_path / "changed.xlsx"), "--organ", "east", "--dry-run"),
        ok=False,
    )
    one_line_error(refused, f"第{row}行「申请编号」：本机关已存有该案件", "不支持对已存案件追加或修改")
    assert "所有机关" not in refused.stderr
