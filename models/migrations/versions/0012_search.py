"""search: pg_trgm GIN indexes for the case list's search (PostgreSQL only)

Substrings of the applicant's name and of the request text, and prefixes of the ref, are found
through trigram indexes, a name's first one or two characters along a btree (workflow.case_search). pg_trgm is a trusted extension (PostgreSQL 13+): the
database's owner may create it. SQLite searches with plain LIKE and gets no index.

Revision ID: 0012_search
Revises: 0007_sweep_hold
Create Date: 2026-11-30
"""
from alembic import op


revision = "0012_search"
down_revision = "0008_applicants"
branch_labels = None
depends_on = None

SEARCHED = ("ref", "applicant", "request")


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for column in SEARCHED:
        op.create_index(
            f"ix_case_{column}_trgm",
            "case",
            [column],
            postgresql_using="gin",
            postgresql_ops={column: "gin_trgm_ops"},
        )
    # a one- or two-character query is the start of the applicant's name (no trigram to use)
    op.create_index(
        "ix_case_applicant_prefix", "case", ["applicant"], postgresql_ops={"applicant": "text_pattern_ops"}
    )


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.drop_index("ix_case_applicant_prefix", table_name="case")
    for column in SEARCHED:
        op.drop_index(f"ix_case_{column}_trgm", table_name="case")
