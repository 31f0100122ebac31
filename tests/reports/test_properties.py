"""For random case histories over several years, every report check holds in every year, each
cell equals a plain count of the cases, and the carry-over continues through sealed years."""

from __future__ import annotations

import datetime as dt
import itertools
import json
import random
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlmodel import select

from codes import COLUMNS, OUTCOMES, ROWS
from demo.samples import sample_line
from models.cases import Case
from models.db import session_scope
from reports.closing import close_year
from tests.reports.helpers import report
from tests.support import TESTER, organ_with_staff
from workflow.calendar import default_calendar
from workflow.directory import get_organ
from workflow.importer import Importer

YEARS = range(2021, 2027)
TODAY = dt.date(2026, 11, 26)
_organs = itertools.count()


def random_lines(rng: random.Random, organ: str, n: int) -> list[dict[str, Any]]:
    """Valid histories received on any day of 2021–2026, plus applications never received or
    received only after a confirmation."""
    cal = default_calendar()
    lines = []
    for i in range(n):
        day = dt.date(2021, 1, 1) + dt.timedelta(days=rng.randrange((TODAY - dt.date(2021, 1, 1)).days + 1))
        ref = f"{organ}-{i}"
        kind = rng.random()
        if kind < 0.85:
            # end-of-year receipts are where the carry-over edges are
            if rng.random() < 0.2:
                day = dt.date(rng.choice(YEARS[:-1]), 12, rng.randint(20, 31))
            lines.append(
                sample_line(
                    cal, rng, ref=ref, organ=organ, received=day, today=TODAY, finish=rng.random() < 0.8
                )
            )
            continue
        line: dict[str, Any] = {
            "ref": ref,
            "organ": organ,
            "applicant_type": rng.choice(COLUMNS[:-1]),
            "applicant": "甲",
            "channel": "ordinary_mail",
            "submitted_on": day.isoformat(),
            "events": [],
        }
        later = min(day + dt.timedelta(days=rng.randint(1, 20)), TODAY)
        if kind < 0.9:
            line["events"] = [{"event": "withdraw", "on": later.isoformat()}]  # withdrawn before receipt
        elif kind < 0.95:
            line["events"] = [{"event": "confirm_receipt", "on": later.isoformat()}]
        lines.append(line)
    return lines


def plain_count(cases: list[Case], year: int) -> dict[str, list[int]]:
    """DESIGN §6 read literally, one case at a time."""
    start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    rows = {r: [0] * 7 for r in ROWS}
    for c in cases:
        if c.received_on is None:
            continue
        hits = []
        if start <= c.received_on <= end:
            hits.append("new")
        if c.received_on < start and (c.concluded_on is None or c.concluded_on >= start):
            hits.append("carried_in")
        if c.concluded_on is not None and start <= c.concluded_on <= end:
            hits += [str(c.outcome), "total"]
        if c.received_on <= end and (c.concluded_on is None or c.concluded_on > end):
            hits.append("carried_out")
        for r in hits:
            rows[r][COLUMNS.index(c.applicant_type)] += 1
            rows[r][6] += 1
    return rows


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rng=st.randoms(use_true_random=False), n=st.integers(min_value=0, max_value=45))
def test_every_check_holds_every_year_and_carry_over_continues_through_sealed_years(
    any_db: str, rng: random.Random, n: int
) -> None:
    organ = f"p{next(_organs)}"
    organ_with_staff(organ)
    with session_scope() as s:
        Importer(s, actor=TESTER, today=TODAY).run(
            json.dumps(x, ensure_ascii=False) for x in random_lines(rng, organ, n)
        )
        organ_id = get_organ(s, organ).id
        cases = list(s.exec(select(Case).where(Case.organ_id == organ_id)))
    previous = None
    for year in YEARS:
        rep = report(organ, year)
        assert [c["name"] for c in rep["checks"] if not c["ok"]] == [], rep["checks"]
        assert rep["section3"] == plain_count(cases, year)
        assert set(OUTCOMES) <= set(rep["section3"])
        if previous is not None:
            assert rep["section3"]["carried_in"] == previous["section3"]["carried_out"]
        if year < TODAY.year:
            with session_scope() as s:
                close_year(s, organ, year, actor=TESTER)
            sealed = report(organ, year)
            assert sealed["section3"] == rep["section3"] and sealed["sealed"]["version"] == 1
        previous = rep
    # with every earlier year sealed, the open year's carry-over check compares with the seal
    [carry] = [c for c in report(organ, TODAY.year)["checks"] if c["name"] == "carry_over"]
    assert carry["ok"] and "已封存的2025年度报告" in carry["detail"]
