"""documents: statutory documents (DESIGN §11), their numbering, templates, and the organ's letter data

Revision ID: 0009_documents
Revises: 0012_search
Create Date: 2026-11-30
"""
from alembic import op
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql


revision = "0009_documents"
down_revision = "0012_search"
branch_labels = None
depends_on = None

_KINDS = (
    "receipt", "correction_notice", "extension_notice", "third_party_consultation", "consultation_notice",
    "organ_consultation", "fee_notice", "deferral_notice", "reply", "termination_notice",
)
_METHODS = ("in_person", "delegate", "post", "email", "platform")
_ORGAN_COLUMNS = (
    ("short_name", 50), ("address", 300), ("phone", 50), ("reconsideration_body", 200), ("court", 200),
    ("number_pattern", 100),
)


def _in(column, values):
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


def upgrade() -> None:
    with op.batch_alter_table("organ") as batch:
        for name, length in _ORGAN_COLUMNS:
            batch.add_column(sa.Column(name, sa.String(length=length), nullable=True))
    op.create_table(
        "document_template_blob",
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("content", sa.LargeBinary(), nullable=False),
        sa.PrimaryKeyConstraint("sha256"),
    )
    op.create_table(
        "organ_template",
        sa.Column("organ_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("set_by", sa.String(length=100), nullable=False),
        sa.Column("set_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["organ_id"], ["organ.id"]),
        sa.ForeignKeyConstraint(["sha256"], ["document_template_blob.sha256"]),
        sa.PrimaryKeyConstraint("organ_id", "kind"),
    )
    op.create_table(
        "document_sequence",
        sa.Column("organ_id", sa.Integer(), nullable=False),
        sa.Column("series", sa.String(length=20), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("last", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["organ_id"], ["organ.id"]),
        sa.PrimaryKeyConstraint("organ_id", "series", "year"),
    )
    op.create_table(
        "document",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("number", sa.String(length=100), nullable=False),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("organ_id", sa.Integer(), nullable=False),
        sa.Column("event_seq", sa.Integer(), nullable=False),
        sa.Column("series", sa.String(length=20), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("issued_on", sa.Date(), nullable=False),
        sa.Column("issued_by", sa.String(length=100), nullable=False),
        sa.Column("issued_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("inputs", sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"), nullable=False),
        sa.Column("template_sha256", sa.String(length=64), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("served_on", sa.Date(), nullable=True),
        sa.Column("served_by_method", sa.String(length=20), nullable=True),
        sa.Column("served_recorded_by", sa.String(length=100), nullable=True),
        sa.CheckConstraint(_in("kind", _KINDS), name="ck_document_kind"),
        sa.CheckConstraint(
            f"served_by_method IS NULL OR {_in('served_by_method', _METHODS)}", name="ck_document_service_method"
        ),
        sa.CheckConstraint("(served_on IS NULL) = (served_by_method IS NULL)", name="ck_document_served"),
        sa.ForeignKeyConstraint(["case_id"], ["case.id"]),
        sa.ForeignKeyConstraint(["organ_id"], ["organ.id"]),
        sa.ForeignKeyConstraint(["template_sha256"], ["document_template_blob.sha256"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("number"),
        sa.UniqueConstraint("case_id", "kind", "event_seq", name="uq_document_event"),
        sa.UniqueConstraint("organ_id", "series", "year", "seq", name="uq_document_series_seq"),
    )
    op.create_index("ix_document_case_id", "document", ["case_id"])
    op.create_index("ix_document_sha256", "document", ["sha256"])
    op.create_index("ix_document_organ_unserved", "document", ["organ_id", "served_on", "issued_on"])


def downgrade() -> None:
    op.drop_table("document")
    op.drop_table("document_sequence")
    op.drop_table("organ_template")
    op.drop_table("document_template_blob")
    with op.batch_alter_table("organ") as batch:
        for name, _ in reversed(_ORGAN_COLUMNS):
            batch.drop_column(name)
