"""The ledger's 证件号码 column: masked unless asked for in full; a full number survives a round trip."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from ledger import columns as c
from models.db import read_session, session_scope
from tests.conftest import use_database
from tests.ledger.support import another_sqlite, export_to, sheet_values
from tests.ledger.test_round_trip import import_file
from tests.support import TESTER, D, organ_with_staff
from workflow.applicants import ApplicantDetailsIn, applicant_details
from workflow.identity import mask, resident_check
from workflow.service import NewCase, get_case, open_case


def resident_id(rng: random.Random) -> str:
    first17 = "110105" + "19800101" + f"{rng.randrange(1000):03d}"
    return first17 + resident_check(first17)


def identity_cells(path: Path) -> dict[str, str]:
    head, *rows = sheet_values(path)[c.CASES_SHEET]
    return {r[head.index(c.REF)]: r[head.index(c.IDENTITY)] or "" for r in rows}


@pytest.fixture
def numbered(sqlite_template: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    first = tmp_path / "first.db"
    first.write_bytes(sqlite_template.read_bytes())
    use_database(monkeypatch, f"sqlite:///{first}")
    organ_with_staff("east")
    number = resident_id(random.Random(7))
    with session_scope() as s:
        details = ApplicantDetailsIn(id_kind="resident_id", id_number=number)
        for ref, given in (("N-1", details), ("N-2", None)):
            opening = NewCase(
                organ="east",
                applicant_type="natural_person",
                applicant="张三",
                channel="online",
                received_on=D(2024, 3, 4),
                ref=ref,
                applicant_details=given,
            )
            open_case(s, opening, actor=TESTER)
    return number


def test_the_ledger_masks_identity_numbers_unless_asked_for_in_full(numbered: str, tmp_path: Path) -> None:
    assert identity_cells(export_to(tmp_path / "m.xlsx", "east", 2024)) == {"N-1": mask(numbered), "N-2": ""}
    assert identity_cells(export_to(tmp_path / "f.xlsx", "east", 2024, full=True)) == {
        "N-1": numbered,
        "N-2": "",
    }


def test_a_full_identity_number_survives_export_and_import_and_a_masked_one_is_not_imported(
    numbered: str, sqlite_template: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    full = export_to(tmp_path / "f.xlsx", "east", 2024, full=True)
    masked = export_to(tmp_path / "m.xlsx", "east", 2024)
    with another_sqlite(sqlite_template, tmp_path, monkeypatch):
        organ_with_staff("east")
        import_file(full)
        assert identity_cells(export_to(tmp_path / "again.xlsx", "east", 2024, full=True))["N-1"] == numbered
        with read_session() as s:
            details = applicant_details(s, get_case(s, "N-1", actor=TESTER).id)
        assert details is not None and details["id_kind"] == "resident_id"
    second = tmp_path / "third"
    second.mkdir()
    with another_sqlite(sqlite_template, second, monkeypatch):
        organ_with_staff("east")
        import_file(masked)
        assert identity_cells(export_to(second / "again.xlsx", "east", 2024))["N-1"] == ""
