"""What a case knows of its applicant beyond the name and type (DESIGN §12).

The identity number is never stored in clear: `id_number_cipher` holds it encrypted under the key
named by `key_id`, and `id_number_hash` a keyed hash of it that matches the same applicant across
cases (workflow.data_key). One row per case that has any detail; none for a name only.
"""

from __future__ import annotations

from sqlalchemy import CheckConstraint, Index
from sqlmodel import Field, SQLModel


class ApplicantDetails(SQLModel, table=True):
    __tablename__ = "applicant_details"
    __table_args__ = (
        CheckConstraint(
            "id_kind IS NULL OR id_kind IN ('resident_id', 'credit_code', 'other')",
            name="ck_applicant_id_kind",
        ),
        CheckConstraint(
            "(id_kind IS NULL) = (id_number_cipher IS NULL)"
            " AND (id_number_cipher IS NULL) = (id_number_hash IS NULL)",
            name="ck_applicant_id_complete",
        ),
        # an applicant's applications (CaseFilter), and to one organ (按件 fees, repeated applications):
        # the hash first, so both use it (the full benchmark measured an organ-first index 83x slower
        # than a lookup by ref when no organ is given)
        Index("ix_applicant_details_hash_organ", "id_number_hash", "organ_id"),
        # every key's values, for `ogi keys rotate`
        Index("ix_applicant_details_key_id", "key_id"),
    )

    case_id: int = Field(foreign_key="case.id", primary_key=True)
    # the case's organ, copied (a case never changes organ): matching reads one index
    organ_id: int = Field(foreign_key="organ.id")
    id_kind: str | None = Field(default=None, max_length=16)
    id_number_cipher: str | None = Field(default=None, max_length=200)
    id_number_hash: str | None = Field(default=None, max_length=64)
    key_id: str | None = Field(default=None, max_length=16)
    phone: str | None = Field(default=None, max_length=40)
    email: str | None = Field(default=None, max_length=254)
    address: str | None = Field(default=None, max_length=300)
    postcode: str | None = Field(default=None, max_length=6)
