"""sweep_hold: a poison case is held back from the deadline sweep for an hour

Revision ID: 0007_sweep_hold
Revises: 0006_session_security
Create Date: 2026-11-30
"""
from alembic import op
import sqlalchemy as sa


revision = "0007_sweep_hold"
down_revision = "0006_session_security"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "sweep_hold",
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("until", sa.DateTime(timezone=True), nullable=False),
        sa.Column("error", sa.String(length=500), nullable=False),
        sa.Column("held_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["case_id"], ["case.id"]),
        sa.PrimaryKeyConstraint("case_id"),
    )


def downgrade() -> None:
    op.drop_table("sweep_hold")
