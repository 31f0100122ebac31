"""The Alembic migrations build exactly the schema the models declare, on both databases."""

from __future__ import annotations

from typing import Any

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlmodel import SQLModel

from models.db import get_engine  # importing the models package registers every table


def made_on(dialect: str) -> Any:
    """Alembic's include_object: an index declared for one database only (`Index.ddl_if`, e.g. the
    pg_trgm search indexes) is expected on that database and nowhere else."""

    def include(obj: Any, name: str | None, kind: str, reflected: bool, compare_to: Any) -> bool:
        ddl_if = getattr(obj, "_ddl_if", None) if kind == "index" and not reflected else None
        return ddl_if is None or ddl_if.dialect in (None, dialect)

    return include


def test_the_migrations_build_exactly_the_tables_columns_and_indexes_the_models_declare(any_db: str) -> None:
    with get_engine().connect() as conn:
        context = MigrationContext.configure(conn, opts={"include_object": made_on(conn.dialect.name)})
        drift = compare_metadata(context, SQLModel.metadata)
    assert drift == []
