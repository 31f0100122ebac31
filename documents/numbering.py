"""Document numbers (文号): per organ, series and year, without gaps, never reused (DESIGN §11)."""

from __future__ import annotations

from sqlalchemy import update
from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import Session

from codes import DEFAULT_NUMBER_PATTERN, DOCUMENT_NUMBER_CODES
from models.db import is_postgres
from models.documents import DocumentSequence
from models.organs import Organ


def format_number(organ: Organ, kind: str, year: int, seq: int) -> str:
    pattern = organ.number_pattern or DEFAULT_NUMBER_PATTERN
    short = organ.short_name or organ.name
    return pattern.format(short=short, code=DOCUMENT_NUMBER_CODES[kind], year=year, seq=seq)


def draw(session: Session, organ_id: int, series: str, year: int) -> int:
    """The next number of the series. The row's update holds its lock until the issuing transaction
    ends: concurrent issuers wait in turn, and a rolled-back issue gives its number back (no gap)."""
    seq = DocumentSequence.__table__  # type: ignore[attr-defined]
    key = (seq.c.organ_id == organ_id) & (seq.c.series == series) & (seq.c.year == year)
    drawn = session.execute(update(seq).where(key).values(last=seq.c.last + 1).returning(seq.c.last)).scalar()
    if drawn is not None:
        return int(drawn)
    insert_ = postgresql.insert if is_postgres(session) else sqlite.insert
    stmt = (
        insert_(seq)
        .values(organ_id=organ_id, series=series, year=year, last=1)
        .on_conflict_do_update(index_elements=["organ_id", "series", "year"], set_={"last": seq.c.last + 1})
        .returning(seq.c.last)
    )
    return int(session.execute(stmt).scalar_one())
