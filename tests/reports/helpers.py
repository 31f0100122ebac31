"""Helpers the report tests share: building a report and opening a registered application."""

from __future__ import annotations

import datetime as dt
from typing import Any

from codes import COLUMNS
from models.db import read_session, session_scope
from reports.build import build_report
from tests.support import TESTER
from workflow.service import NewCase, open_case


def report(organ: str, year: int, **kw: Any) -> dict[str, Any]:
    with read_session() as s:
        return build_report(s, organ, year, **kw)


def cell(rep: dict[str, Any], row: str, column: str = "total") -> int:
    return int(rep["section3"][row][COLUMNS.index(column)])


def register(submitted_on: dt.date, *, organ: str = "east", ref: str) -> None:
    with session_scope() as s:
        open_case(
            s,
            NewCase(
                organ=organ,
                applicant_type="natural_person",
                applicant="李四",
                channel="ordinary_mail",
                submitted_on=submitted_on,
                ref=ref,
            ),
            actor=TESTER,
        )


def failed(rep: dict[str, Any]) -> list[str]:
    return [c["name"] for c in rep["checks"] if not c["ok"]]
