"""list order: the case list's own order along an index, and a caseworker's surname search

The administrator's list (every case) reads `ORDER BY received_on DESC, ref DESC`
(admin.cases.list_order); without an index in that order PostgreSQL sorted every row for the
first page (0.8 s at 1,000,000 cases, benchmarks/README.md). A caseworker's one- or two-character
search (the start of the applicant's name, within the organ) was counted by AND-ing a bitmap of
the organ's every case (20–40 ms): (organ_id, applicant text_pattern_ops) reads the matches
directly (PostgreSQL only, like the other search indexes of 0012_search).

Revision ID: 0013_list_order
Revises: 0011_users
Create Date: 2026-12-01
"""
from alembic import op


revision = "0013_list_order"
down_revision = "0011_users"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_case_received_ref", "case", ["received_on", "ref"])
    if op.get_bind().dialect.name == "postgresql":
        op.create_index(
            "ix_case_organ_applicant_prefix",
            "case",
            ["organ_id", "applicant"],
            postgresql_ops={"applicant": "text_pattern_ops"},
        )


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.drop_index("ix_case_organ_applicant_prefix", table_name="case")
    op.drop_index("ix_case_received_ref", table_name="case")
