"""appeal.organ_id: section 四 of an organ-year reads its appeals by (organ_id, filed_on)

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-27
"""
from alembic import op
import sqlalchemy as sa

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("appeal", schema=None) as batch_op:
        batch_op.add_column(sa.Column("organ_id", sa.Integer(), nullable=True))
    # every appeal belongs to its case's organ (a case never changes organ)
    op.execute('UPDATE appeal SET organ_id = (SELECT "case".organ_id FROM "case" WHERE "case".id = appeal.case_id)')
    with op.batch_alter_table("appeal", schema=None) as batch_op:
        batch_op.alter_column("organ_id", existing_type=sa.Integer(), nullable=False)
        batch_op.create_foreign_key("fk_appeal_organ_id_organ", "organ", ["organ_id"], ["id"])
        batch_op.create_index("ix_appeal_organ_filed_on", ["organ_id", "filed_on"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("appeal", schema=None) as batch_op:
        batch_op.drop_index("ix_appeal_organ_filed_on")
        batch_op.drop_constraint("fk_appeal_organ_id_organ", type_="foreignkey")
        batch_op.drop_column("organ_id")
