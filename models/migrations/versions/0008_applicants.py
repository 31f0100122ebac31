"""applicants: an applicant's contact details and protected identity number (DESIGN §12)

Revision ID: 0008_applicants
Revises: 0007_sweep_hold
Create Date: 2026-11-30
"""
from alembic import op
import sqlalchemy as sa
import sqlmodel


revision = "0008_applicants"
down_revision = "0007_sweep_hold"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "applicant_details",
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("organ_id", sa.Integer(), nullable=False),
        sa.Column("id_kind", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=True),
        sa.Column("id_number_cipher", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=True),
        sa.Column("id_number_hash", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True),
        sa.Column("key_id", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=True),
        sa.Column("phone", sqlmodel.sql.sqltypes.AutoString(length=40), nullable=True),
        sa.Column("email", sqlmodel.sql.sqltypes.AutoString(length=254), nullable=True),
        sa.Column("address", sqlmodel.sql.sqltypes.AutoString(length=300), nullable=True),
        sa.Column("postcode", sqlmodel.sql.sqltypes.AutoString(length=6), nullable=True),
        sa.CheckConstraint(
            "id_kind IS NULL OR id_kind IN ('resident_id', 'credit_code', 'other')", name="ck_applicant_id_kind"
        ),
        sa.CheckConstraint(
            "(id_kind IS NULL) = (id_number_cipher IS NULL)"
            " AND (id_number_cipher IS NULL) = (id_number_hash IS NULL)",
            name="ck_applicant_id_complete",
        ),
        sa.ForeignKeyConstraint(["case_id"], ["case.id"]),
        sa.ForeignKeyConstraint(["organ_id"], ["organ.id"]),
        sa.PrimaryKeyConstraint("case_id"),
    )
    op.create_index("ix_applicant_details_hash_organ", "applicant_details", ["id_number_hash", "organ_id"])
    op.create_index("ix_applicant_details_key_id", "applicant_details", ["key_id"])


def downgrade() -> None:
    op.drop_index("ix_applicant_details_key_id", table_name="applicant_details")
    op.drop_index("ix_applicant_details_hash_organ", table_name="applicant_details")
    op.drop_table("applicant_details")
