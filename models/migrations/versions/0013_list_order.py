"""list order: the case list's own order (newest receipt first, the ref breaking ties) along an index

The administrator's list (every case) and a caseworker's (one organ) both read
`ORDER BY received_on DESC, ref DESC` (admin.cases.list_order); without an index in that order
PostgreSQL sorted every row for the first page (~1 s at 1,000,000 cases, benchmarks/README.md).

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


def downgrade() -> None:
    op.drop_index("ix_case_received_ref", table_name="case")
