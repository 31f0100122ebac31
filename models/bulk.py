"""Bulk writes for imports and generated data: COPY on PostgreSQL, batched inserts elsewhere.

Batched multi-row INSERTs cost PostgreSQL clients a placeholder re-parse of every statement,
which dominated large imports; COPY streams the rows in the server's own format instead.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from psycopg.types.json import Jsonb
from sqlalchemy import Table, text
from sqlmodel import Session

from models.db import is_postgres

# COPY pays for itself from a few dozen rows; below, a plain INSERT saves the sequence round trips
# (pg_get_serial_sequence + nextval + COPY is three statements for a case opened by hand)
COPY_MIN_ROWS = 50


def insert_returning_ids(session: Session, table: Table, rows: Sequence[dict[str, Any]]) -> list[int]:
    """Insert rows (without ids) and return their new ids in the order given."""
    if not rows:
        return []
    if not is_postgres(session) or len(rows) < COPY_MIN_ROWS:
        stmt = table.insert().returning(table.c.id, sort_by_parameter_order=True)
        return list(session.execute(stmt, rows).scalars().all())
    # take the ids from the table's sequence first, then COPY the rows with them
    seq = session.execute(text("SELECT pg_get_serial_sequence(:t, 'id')"), {"t": table.name}).scalar_one()
    take = text("SELECT nextval(:s) FROM generate_series(1, :n)")
    ids = list(session.execute(take, {"s": seq, "n": len(rows)}).scalars())
    copy_rows(session, table, [{**r, "id": i} for r, i in zip(rows, ids, strict=True)])
    return ids


def insert_rows(session: Session, table: Table, rows: Sequence[dict[str, Any]]) -> None:
    if not rows:
        return
    if is_postgres(session) and len(rows) >= COPY_MIN_ROWS:
        copy_rows(session, table, rows)
    else:
        session.execute(table.insert(), rows)


def copy_rows(session: Session, table: Table, rows: Sequence[dict[str, Any]]) -> None:
    """COPY rows into a PostgreSQL table inside the session's transaction."""
    columns = [c for c in table.columns if c.name in rows[0]]
    names = ", ".join(f'"{c.name}"' for c in columns)
    json_cols = {c.name for c in columns if c.type.__class__.__name__ in ("JSON", "JSONB", "Variant")}
    raw = session.connection().connection.dbapi_connection
    assert raw is not None
    with raw.cursor() as cur, cur.copy(f'COPY "{table.name}" ({names}) FROM STDIN') as copy:  # type: ignore[attr-defined]
        for r in rows:
            copy.write_row(tuple(Jsonb(r[c.name]) if c.name in json_cols else r[c.name] for c in columns))
