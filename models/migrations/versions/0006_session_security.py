"""app_user.session_version (logout ends a session on the server) and login_source (wrong passwords
per client address)

Revision ID: 0006_session_security
Revises: 0005_case_ref_sequence
Create Date: 2026-11-30
"""
from alembic import op
import sqlalchemy as sa

revision = "0006_session_security"
down_revision = "0005_case_ref_sequence"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("app_user", schema=None) as batch_op:
        batch_op.add_column(sa.Column("session_version", sa.Integer(), server_default="0", nullable=False))
    op.create_table(
        "login_source",
        sa.Column("address", sa.String(length=64), nullable=False),
        sa.Column("failures", sa.Integer(), nullable=False),
        sa.Column("window_start", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("address"),
    )


def downgrade() -> None:
    op.drop_table("login_source")
    with op.batch_alter_table("app_user", schema=None) as batch_op:
        batch_op.drop_column("session_version")
