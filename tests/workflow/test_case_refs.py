"""Case references: numbered from the organ's own sequence, and refs typed or imported are checked.

A legacy ref with the automatic prefix (`HONGXING-2026-A017`, a short `ORGB-2026-9`) or a ref of
another organ that looks like this one's must never steer or block the automatic numbering.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import threading

import pytest
from sqlmodel import select

from models.cases import Case
from models.db import session_scope
from tests.support import TESTER, D, organ_with_staff, receive
from workflow.errors import InvalidInput, OgiError
from workflow.importer import Importer

ON = D(2026, 11, 2)


def imported(ref: str, organ: str = "east", received_on: dt.date = D(2026, 2, 2)) -> None:
    line = {"ref": ref, "organ": organ, "applicant_type": "natural_person", "applicant": "李雷",
            "channel": "ordinary_mail", "received_on": received_on.isoformat()}  # fmt: skip
    with session_scope() as s:
        Importer(s, actor=TESTER).run([json.dumps(line, ensure_ascii=False)])


def by(door: str, ref: str, organ: str = "east") -> None:
    """Open a case with this ref: typed (`case receive --ref`, the web form) or imported."""
    if door == "typed":
        receive(ON, organ=organ, ref=ref)
    else:
        imported(ref, organ=organ)


def refs() -> set[str]:
    with session_scope() as s:
        return set(s.exec(select(Case.ref)))


@pytest.mark.parametrize("legacy", ["EAST-2026-A017", "EAST-2026-9", "EAST-2026-000017", "EAST-2026-99999x"])
def test_a_legacy_ref_with_the_automatic_prefix_never_blocks_the_numbering(any_db: str, legacy: str) -> None:
    organ_with_staff("east")
    imported(legacy)
    got = [receive(ON).ref for _ in range(3)]
    assert got == ["EAST-2026-00001", "EAST-2026-00002", "EAST-2026-00003"]


def test_numbering_continues_after_the_organs_own_automatic_refs_already_stored(any_db: str) -> None:
    organ_with_staff("east")
    imported("EAST-2026-00007")
    assert receive(ON).ref == "EAST-2026-00008"


def test_a_number_an_imported_ref_of_the_organ_already_holds_is_skipped(any_db: str) -> None:
    organ_with_staff("east")
    assert receive(ON).ref == "EAST-2026-00001"
    imported("EAST-2026-00002")
    assert receive(ON).ref == "EAST-2026-00003"


def test_numbering_is_per_organ_and_per_year(any_db: str) -> None:
    organ_with_staff("east")
    organ_with_staff("west")
    assert receive(ON, organ="east").ref == "EAST-2026-00001"
    assert receive(ON, organ="west").ref == "WEST-2026-00001"
    assert receive(D(2025, 12, 1), organ="east").ref == "EAST-2025-00001"
    assert receive(ON, organ="east").ref == "EAST-2026-00002"


@pytest.mark.parametrize("door", ["typed", "imported"])
def test_a_ref_in_another_organs_automatic_form_is_refused_and_their_numbering_is_untouched(
    any_db: str, door: str
) -> None:
    organ_with_staff("east")
    organ_with_staff("west")
    with pytest.raises(OgiError, match=r"another organ's automatic numbering"):
        by(door, "EAST-2026-00001" if door == "typed" else "east-2026-00001", organ="west")
    assert refs() == set()
    assert receive(ON, organ="east").ref == "EAST-2026-00001"


BAD_REFS: dict[str, tuple[str, str]] = {
    "empty": ("", "1–64 characters"),
    "too long": ("X" * 65, "1–64 characters"),
    "space": ("HX 2026", "white space"),
    "ideographic space": ("HX\u30002026", "white space"),
    "tab": ("HX\t1", "white space"),
    "NUL": ("HX\x001", "control"),
    "zero-width space": ("HX\u200b1", "invisible"),
    "slash": ("HX/2026/1", "'/'"),
    "backslash": ("HX\\1", repr("\\")),
    "question mark": ("HX?1", "'?'"),
    "hash": ("HX#1", "'#'"),
    "percent": ("HX%201", "'%'"),
    "only digits": ("20260001", "only digits"),
    "formula =": ("=HYPERLINK(1)", "formula"),
    "formula +": ("+1-2", "formula"),
    "formula -": ("-1", "formula"),
    "formula @": ("@SUM(A1)", "formula"),
}


@pytest.mark.parametrize("case", BAD_REFS, ids=list(BAD_REFS))
@pytest.mark.parametrize("door", ["typed", "imported"])
def test_a_malformed_ref_is_refused_with_the_reason_and_nothing_written(
    any_db: str, case: str, door: str
) -> None:
    organ_with_staff("east")
    ref, why = BAD_REFS[case]
    with pytest.raises(InvalidInput, match=re.escape(why)):
        by(door, ref)
    assert refs() == set()


@pytest.mark.parametrize("ref", ["HX-2024-0001", "东区〔2026〕第3号", "A", "X" * 64, "ref_1.2-b"])
def test_a_well_formed_ref_is_kept_as_typed(any_db: str, ref: str) -> None:
    organ_with_staff("east")
    assert receive(ON, ref=ref).ref == ref
    assert receive(ON).ref == "EAST-2026-00001"


def test_two_cases_received_at_once_draw_different_numbers(pg_db: str) -> None:
    """On PostgreSQL two transactions really run at once; the sequence row serialises the draw."""
    organ_with_staff("east")
    got: list[str] = []
    errors: list[BaseException] = []
    start = threading.Barrier(8)

    def one() -> None:
        try:
            start.wait()
            got.append(receive(ON).ref)
        except BaseException as e:  # collected and asserted below
            errors.append(e)

    threads = [threading.Thread(target=one) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert sorted(got) == [f"EAST-2026-{n:05d}" for n in range(1, 9)]


def test_a_bare_number_still_names_a_case_by_its_id_and_a_huge_one_is_not_found(any_db: str) -> None:
    from workflow.service import get_case

    organ_with_staff("east")
    row = receive(ON)
    with session_scope() as s:
        assert get_case(s, str(row.id)).ref == row.ref
        for key in ("99999999999999999999", "A\x00"):
            with pytest.raises(OgiError, match="unknown case"):
                get_case(s, key)
