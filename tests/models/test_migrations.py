"""The Alembic migrations build exactly the schema the models declare, on both databases."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlmodel import SQLModel

from models.db import get_engine  # importing the models package registers every table


def test_the_migrations_build_exactly_the_tables_columns_and_indexes_the_models_declare(any_db: str) -> None:
    with get_engine().connect() as conn:
        drift = compare_metadata(MigrationContext.configure(conn), SQLModel.metadata)
    assert drift == []
