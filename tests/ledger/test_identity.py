"""The ledger's 证件号码 column: masked unless asked for in full; a full number survives a round trip."""

from __future__ import annotations

import io
import os
import random
import subprocess
from pathlib import Path

import pytest

from ledger import columns as c
from ledger.export import full_numbers_allowed, write_ledger
from models.db import read_session, session_scope
from reports.scope import resolve
from tests.cli_support import ogi, one_line_error
from tests.conftest import use_database
from tests.ledger.support import another_sqlite, export_to, sheet_values
from tests.ledger.test_round_trip import import_file
from tests.support import TESTER, D, organ_with_staff
from workflow.access import operator
from workflow.applicants import ApplicantDetailsIn, applicant_details
from workflow.directory import add_user
from workflow.errors import PermissionDenied
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


# --- who may have the numbers in full: one rule (ledger.export.full_numbers_allowed), every door ---
@pytest.fixture
def with_west(numbered: str) -> str:
    """A second organ with an administrator: may read east's ledger, yet is no user of east."""
    organ_with_staff("west")
    with session_scope() as s:
        add_user(s, name="west-admin", organ="west", role="admin", email="admin@west.example.org")
    return numbered


def cli_export(path: Path, *args: str, ok: bool = True) -> subprocess.CompletedProcess[str]:
    scope = ("--organ", "east", "--year", "2024")
    return ogi(dict(os.environ), "ledger", "export", *scope, "-o", str(path), *args, ok=ok)


def test_the_cli_gives_full_numbers_to_a_user_of_the_organ_and_the_operator_and_masks_by_default(
    with_west: str, tmp_path: Path
) -> None:
    number = with_west
    cli_export(tmp_path / "worker.xlsx", "--full", "--as", "east-worker")
    assert identity_cells(tmp_path / "worker.xlsx")["N-1"] == number
    cli_export(tmp_path / "operator.xlsx", "--full")
    assert identity_cells(tmp_path / "operator.xlsx")["N-1"] == number
    cli_export(tmp_path / "masked.xlsx", "--as", "west-admin")
    assert identity_cells(tmp_path / "masked.xlsx")["N-1"] == mask(number)


def test_the_cli_refuses_full_numbers_to_anyone_else_in_one_line_and_writes_no_file(
    with_west: str, tmp_path: Path
) -> None:
    out = tmp_path / "refused.xlsx"
    one_line_error(cli_export(out, "--full", "--as", "west-admin", ok=False), "west-admin")
    assert not out.exists()


def test_the_web_download_gives_full_numbers_on_request_to_a_user_of_the_organ_and_masks_by_default(
    with_west: str, tmp_path: Path
) -> None:
    from tests.admin.conftest import logged_in, person

    number = with_west
    person("east-clerk", "east", "caseworker")
    w = logged_in("east-clerk")
    assert 'id="download-ledger-full"' in w.get("/reports?organ=east&year=2024").text
    masked = w.get("/reports/ledger?organ=east&year=2024")
    assert masked.status_code == 200 and downloaded(masked.content, tmp_path / "m.xlsx")["N-1"] == mask(
        number
    )
    full = w.get("/reports/ledger?organ=east&year=2024&full=1")
    assert full.status_code == 200 and downloaded(full.content, tmp_path / "f.xlsx")["N-1"] == number


def test_the_web_download_refuses_full_numbers_to_anyone_else_and_does_not_offer_them(
    with_west: str, tmp_path: Path
) -> None:
    from tests.admin.conftest import logged_in, person

    person("west-boss", "west", "admin")
    person("east-boss", "east", "admin")
    w = logged_in("west-boss")
    page = w.get("/reports?organ=east&year=2024").text
    assert 'id="download-ledger"' in page and 'id="download-ledger-full"' not in page
    assert w.get("/reports/ledger?organ=east&year=2024&full=1").status_code == 403
    masked = w.get("/reports/ledger?organ=east&year=2024")
    assert downloaded(masked.content, tmp_path / "m.xlsx")["N-1"] == mask(with_west)
    # a roll-up lists the organs below too: not in full, even for the organ's own administrator
    boss = logged_in("east-boss")
    assert 'id="download-ledger-full"' not in boss.get("/reports?organ=east&year=2024&children=1").text
    assert boss.get("/reports/ledger?organ=east&year=2024&children=1&full=1").status_code == 403


def downloaded(body: bytes, path: Path) -> dict[str, str]:
    path.write_bytes(body)
    return identity_cells(path)


# --- a roll-up (--include-children) lists the applicants of the organs below: never in full ---
@pytest.fixture
def with_below(numbered: str) -> str:
    """east with an organ below it and an administrator of its own."""
    organ_with_staff("east-sub", parent="east")
    with session_scope() as s:
        add_user(s, name="east-admin", organ="east", role="admin", email="admin@east.example.org")
    return numbered


def test_a_roll_up_is_never_exported_in_full_not_even_by_the_operator_in_one_line_and_no_file(
    with_below: str, tmp_path: Path
) -> None:
    for who in ((), ("--as", "east-admin"), ("--as", "east-worker")):
        out = tmp_path / "rollup.xlsx"
        refused = cli_export(out, "--include-children", "--full", *who, ok=False)
        one_line_error(refused, "roll-up", "never lists identity numbers in full")
        assert not out.exists()
    cli_export(tmp_path / "masked.xlsx", "--include-children")
    assert identity_cells(tmp_path / "masked.xlsx")["N-1"] == mask(with_below)


@pytest.mark.usefixtures("chinese")
def test_the_roll_up_refusal_reads_in_chinese(with_below: str, tmp_path: Path) -> None:
    out = tmp_path / "rollup.xlsx"
    one_line_error(cli_export(out, "--include-children", "--full", ok=False), "汇总台账一律不列完整证件号码")
    assert not out.exists()


def test_the_ledger_rule_refuses_a_roll_up_in_full_to_the_operator_before_writing(with_below: str) -> None:
    with read_session() as s:
        scope = resolve(s, "east", 2024, include_children=True)
        assert not full_numbers_allowed(operator(), scope.organ_id, include_children=True)
        out = io.BytesIO()
        with pytest.raises(PermissionDenied, match="roll-up"):
            write_ledger(s, scope, out, actor=operator(), full=True)
        assert out.getvalue() == b""


def test_the_web_download_of_a_roll_up_in_full_is_refused_with_403_and_not_offered(
    with_below: str, tmp_path: Path
) -> None:
    from tests.admin.conftest import logged_in, person

    person("east-chief", "east", "admin")
    boss = logged_in("east-chief")
    assert 'id="download-ledger-full"' not in boss.get("/reports?organ=east&year=2024&children=1").text
    refused = boss.get("/reports/ledger?organ=east&year=2024&children=1&full=1")
    assert refused.status_code == 403 and "roll-up" in refused.text
    masked = boss.get("/reports/ledger?organ=east&year=2024&children=1")
    assert masked.status_code == 200
    assert downloaded(masked.content, tmp_path / "m.xlsx")["N-1"] == mask(with_below)
