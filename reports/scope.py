"""Which organ a report is for, and which organs' cases it counts (itself, or its whole subtree)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy.sql.elements import ColumnElement
from sqlmodel import Session, col

from models.cases import Case
from models.organs import Organ
from workflow.bounds import check_year
from workflow.directory import get_organ, subtree_ids


@dataclass(frozen=True)
class Scope:
    organ: Organ
    year: int
    organ_ids: tuple[int, ...]
    include_children: bool

    @property
    def organ_id(self) -> int:
        assert self.organ.id is not None
        return self.organ.id

    @property
    def start(self) -> dt.date:
        return dt.date(self.year, 1, 1)

    @property
    def end(self) -> dt.date:
        return dt.date(self.year, 12, 31)

    def cases(self) -> ColumnElement[bool]:
        """The organ filter; a single organ compares by equality so the planner sees one index range."""
        if len(self.organ_ids) == 1:
            return col(Case.organ_id) == self.organ_ids[0]
        return col(Case.organ_id).in_(self.organ_ids)


def resolve(session: Session, organ_code: str, year: int, *, include_children: bool = False) -> Scope:
    check_year(year)
    organ = get_organ(session, organ_code)
    assert organ.id is not None
    ids = subtree_ids(session, organ.id) if include_children else [organ.id]
    return Scope(organ, year, tuple(ids), include_children)
