"""Small helpers that tests share: an organ with people, and cases opened through the services."""

from __future__ import annotations

import datetime as dt
from typing import Any

from models.cases import Case
from models.db import session_scope
from workflow.access import Actor
from workflow.directory import add_organ, add_user
from workflow.service import NewCase, advance, open_case

D = dt.date
TESTER = Actor("tester")


def organ_with_staff(code: str = "east", *, parent: str | None = None) -> None:
    with session_scope() as s:
        add_organ(s, code=code, name=f"{code} bureau", parent=parent)
        add_user(s, name=f"{code}-worker", organ=code, role="caseworker", email=f"worker@{code}.example.org")
        add_user(s, name=f"{code}-head", organ=code, role="supervisor", email=f"head@{code}.example.org")


def receive(received_on: dt.date, *, organ: str = "east", ref: str | None = None, **kw: Any) -> Case:
    with session_scope() as s:
        return open_case(
            s,
            NewCase(
                organ=organ,
                applicant_type=kw.pop("applicant_type", "natural_person"),
                applicant=kw.pop("applicant", "张三"),
                channel=kw.pop("channel", "online"),
                received_on=received_on,
                ref=ref,
                **kw,
            ),
            actor=TESTER,
        )


def step(ref: str, event: str, **params: Any) -> Case:
    raw = {k: (v.isoformat() if isinstance(v, dt.date) else v) for k, v in params.items()}
    with session_scope() as s:
        return advance(s, ref, event, raw, actor=TESTER)
