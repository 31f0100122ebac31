"""case.attention: why a supervisor must look at a case after a calendar change (issue 10 item 2)

Revision ID: 0004_attention
Revises: 0003
Create Date: 2026-11-30
"""
from alembic import op
import sqlalchemy as sa

revision = "0004_attention"
down_revision = "0003"
branch_labels = None
depends_on = None

_NOT_NULL = sa.text("attention IS NOT NULL")


def upgrade() -> None:
    with op.batch_alter_table("case", schema=None) as batch_op:
        batch_op.add_column(sa.Column("attention", sa.String(), nullable=True))
        batch_op.create_index(
            "ix_case_attention", ["organ_id"], unique=False, sqlite_where=_NOT_NULL, postgresql_where=_NOT_NULL
        )


def downgrade() -> None:
    with op.batch_alter_table("case", schema=None) as batch_op:
        batch_op.drop_index("ix_case_attention")
        batch_op.drop_column("attention")
