"""case_ref_sequence: the automatic case number per organ and year, apart from the refs stored

Revision ID: 0005_case_ref_sequence
Revises: 0004_attention
Create Date: 2026-11-30
"""
from alembic import op
import sqlalchemy as sa

revision = "0005_case_ref_sequence"
down_revision = "0004_attention"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # no rows: the first number drawn for an organ and year starts after its own well-formed refs
    op.create_table(
        "case_ref_sequence",
        sa.Column("organ_id", sa.Integer(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("last", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["organ_id"], ["organ.id"]),
        sa.PrimaryKeyConstraint("organ_id", "year"),
    )


def downgrade() -> None:
    op.drop_table("case_ref_sequence")
