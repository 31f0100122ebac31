"""app_user.organ_id nullable: an administrator may belong to no organ (the first one, made before
any organ exists); a caseworker or supervisor always belongs to one

Revision ID: 0011_users
Revises: 0009_documents
Create Date: 2026-11-30
"""
from alembic import op
import sqlalchemy as sa

revision = "0011_users"
down_revision = "0009_documents"
branch_labels = None
depends_on = None

_CHECK = "ck_user_organ"


def upgrade() -> None:
    with op.batch_alter_table("app_user", schema=None) as batch_op:
        batch_op.alter_column("organ_id", existing_type=sa.Integer(), nullable=True)
        batch_op.create_check_constraint(_CHECK, "role = 'admin' OR organ_id IS NOT NULL")


def downgrade() -> None:
    # an administrator without an organ cannot be kept; refuse rather than invent an organ
    with op.batch_alter_table("app_user", schema=None) as batch_op:
        batch_op.drop_constraint(_CHECK, type_="check")
        batch_op.alter_column("organ_id", existing_type=sa.Integer(), nullable=False)
