"""Export, import into an empty database, export again: the same cells and the same report (§13)."""

from __future__ import annotations

import datetime as dt
import json
import random
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from demo.samples import sample_line
from ledger.load import import_register
from ledger.reading import open_register
from models.db import read_session, session_scope
from reports import counting
from reports.scope import resolve
from tests.conftest import use_database
from tests.ledger.support import another_sqlite, export_to, sheet_values
from tests.support import TESTER, D, organ_with_staff, receive, step
from workflow import clock
from workflow.calendar import default_calendar
from workflow.importer import Importer
from workflow.service import NewCase, open_case

YEAR = 2024


def random_cases(rng: random.Random, n: int) -> list[str]:
    cal, today = default_calendar(), clock.today()
    days = [dt.date(2023, 6, 1) + dt.timedelta(d) for d in range(640)]
    workdays = [d for d in days if cal.is_workday(d)]
    lines = [
        sample_line(
            cal,
            rng,
            ref=f"R-{i}",
            organ="east",
            received=rng.choice(workdays),
            today=today,
            finish=rng.random() < 0.8,
            assignee=rng.choice([None, "east-worker", "east-head"]),
        )
        for i in range(n)
    ]
    return [json.dumps(line, ensure_ascii=False) for line in lines]


def section3() -> dict[str, list[int]]:
    with read_session() as s:
        return counting.section3(s, resolve(s, "east", YEAR))


def import_file(path: Path) -> None:
    register = open_register(path)
    try:
        with session_scope() as s:
            import_register(s, register, organ="east", actor=TESTER)
    finally:
        register.close()


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(seed=st.integers(0, 2**32 - 1), n=st.integers(1, 40))
def test_export_import_export_gives_the_same_cells_and_the_same_report(
    sqlite_template: Path, tmp_path_factory: pytest.TempPathFactory, seed: int, n: int
) -> None:
    tmp = tmp_path_factory.mktemp("rt")
    with pytest.MonkeyPatch.context() as mp:
        first = tmp / "first.db"
        first.write_bytes(sqlite_template.read_bytes())
        use_database(mp, f"sqlite:///{first}")
        organ_with_staff("east")
        with session_scope() as s:
            Importer(s, actor=TESTER).run(random_cases(random.Random(seed), n))
        before = export_to(tmp / "before.xlsx", "east", YEAR)
        report = section3()
        with another_sqlite(sqlite_template, tmp, mp):
            organ_with_staff("east")
            import_file(before)
            after = export_to(tmp / "after.xlsx", "east", YEAR)
            assert sheet_values(after) == sheet_values(before)
            assert section3() == report


def test_every_kind_of_step_survives_the_round_trip(
    sqlite_template: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The steps the generated histories do not take: registration then confirmation, a fee paid, a
    deferral, a withdrawal, a lapsed fee, a late 「其他」 answer, a case registered and not yet received."""
    first = tmp_path / "first.db"
    first.write_bytes(sqlite_template.read_bytes())
    use_database(monkeypatch, f"sqlite:///{first}")
    organ_with_staff("east")
    with session_scope() as s:
        for ref, submitted in (("REG", D(2024, 3, 1)), ("WAIT", D(2024, 12, 30))):
            new = NewCase(
                organ="east",
                applicant_type="other_org",
                applicant="某协会",
                channel="ordinary_mail",
                submitted_on=submitted,
                ref=ref,
                request="=1+1",
            )
            open_case(s, new, actor=TESTER)
    for ref in ("FEE", "WD", "LATE"):
        receive(D(2024, 4, 1), ref=ref)
    steps = [
        ("REG", "confirm_receipt", {"on": D(2024, 3, 4)}),
        ("REG", "notify_fee", {"on": D(2024, 3, 6), "amount": "120.50"}),
        ("REG", "receive_payment", {"on": D(2024, 3, 12)}),
        ("REG", "extend", {"on": D(2024, 3, 13), "days": 5, "approver": "east-head"}),
        ("REG", "defer", {"on": D(2024, 3, 14), "until": D(2024, 6, 28), "reason": "台账导入"}),
        ("REG", "answer", {"on": D(2024, 6, 20), "outcome": "unable_needs_creation"}),
        ("FEE", "notify_fee", {"on": D(2024, 4, 2), "amount": "50"}),
        ("FEE", "lapse_fee", {"on": D(2024, 5, 10)}),
        ("WD", "withdraw", {"on": D(2024, 4, 3)}),
        ("LATE", "answer", {"on": D(2024, 7, 1), "outcome": "other"}),
    ]
    for ref, event, params in steps:
        step(ref, event, **params)
    before = export_to(tmp_path / "before.xlsx", "east", YEAR)
    report = section3()
    with another_sqlite(sqlite_template, tmp_path, monkeypatch):
        organ_with_staff("east")
        import_file(before)
        after = export_to(tmp_path / "after.xlsx", "east", YEAR)
        assert sheet_values(after) == sheet_values(before)
        assert section3() == report
    rows = {r[1]: r for r in sheet_values(before)["台账"][1:]}
    assert set(rows) == {"REG", "WAIT", "FEE", "WD", "LATE"}
    assert "2024-03-06（120.5元）" in rows["REG"] and "2024-06-28" in rows["REG"]
