"""Registers of consecutive years: a case received in one year and concluded in the next is in both,
and the later register imported first holds it whole, so the earlier one's row for it is skipped."""

from __future__ import annotations

from pathlib import Path

import pytest

from ledger import columns as c
from ledger.problems import LedgerError
from tests.conftest import use_database
from tests.ledger.support import another_sqlite, export_to, sheet_values
from tests.ledger.test_round_trip import import_file
from tests.support import D, organ_with_staff, receive, step


@pytest.fixture
def two_years(sqlite_template: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Path, Path]:
    first = tmp_path / "first.db"
    first.write_bytes(sqlite_template.read_bytes())
    use_database(monkeypatch, f"sqlite:///{first}")
    organ_with_staff("east")
    receive(D(2024, 3, 4), ref="E-1")
    step("E-1", "answer", on=D(2024, 3, 20), outcome="disclosed")
    receive(D(2024, 12, 20), ref="E-2")  # straddles the turn of the year
    # the 2024 register as the office kept it at the year's end: E-2 still open
    earlier = export_to(tmp_path / "2024.xlsx", "east", 2024)
    step("E-2", "answer", on=D(2025, 1, 10), outcome="unable_not_held")
    receive(D(2025, 2, 3), ref="E-3")
    return earlier, export_to(tmp_path / "2025.xlsx", "east", 2025)


def test_the_later_register_first_then_the_earlier_gives_every_case_once_with_its_whole_history(
    two_years: tuple[Path, Path], sqlite_template: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    earlier, later = two_years
    with another_sqlite(sqlite_template, tmp_path, monkeypatch):
        organ_with_staff("east")
        import_file(later)
        import_file(earlier)  # E-2's row of 2024 (still open then) is held by its stored history: skipped
        again = sheet_values(export_to(tmp_path / "again-2025.xlsx", "east", 2025))
        assert again == sheet_values(later)
        rows = sheet_values(export_to(tmp_path / "again-2024.xlsx", "east", 2024))[c.CASES_SHEET]
        assert [r[1] for r in rows[1:]] == ["E-1", "E-2"]  # E-2 once, answered in 2025


def test_a_row_adding_steps_to_a_stored_case_is_refused_naming_its_ref(
    two_years: tuple[Path, Path], sqlite_template: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    earlier, later = two_years
    with another_sqlite(sqlite_template, tmp_path, monkeypatch):
        organ_with_staff("east")
        import_file(earlier)
        with pytest.raises(LedgerError) as refused:
            import_file(later)
        assert refused.value.column == c.REF
