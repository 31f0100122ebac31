"""Applicant details: checked once for every door, stored with the identity number protected.

Public functions other parts build on (web search, the ledger, letters):

- `identity_hash(number, kind)`: the matching hash of an identity number (what the database holds);
- `CaseFilter(identity_number=…)` / `identity_condition(hash)`: the cases of that applicant;
- `workflow.identity.mask(number)`: a number as lists, logs and e-mails show it;
- `applicant_details(session, case_id)`: a case's details, the number decrypted (for the organ's
  own users: the case page, `ogi case show`, documents); `masked(details)` for everyone else.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial
from typing import Any

from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import func, update
from sqlalchemy import select as sa_select
from sqlalchemy.sql.elements import ColumnElement
from sqlmodel import Session, col

from codes.labels import FieldName
from models.applicants import ApplicantDetails
from models.cases import Case
from workflow import identity
from workflow.code_input import parse_code
from workflow.data_key import keyring
from workflow.errors import InvalidInput, Phrase, collect
from workflow.text import TextKind, clean_optional

ADDRESS = TextKind(Phrase("an address"), 300)
CONTACT = TextKind(Phrase("a contact detail"), 254)
DETAIL_KEYS = ("id_kind", "id_number", "phone", "email", "address", "postcode")
_TABLE = ApplicantDetails.__table__  # type: ignore[attr-defined]


class ApplicantDetailsIn(BaseModel):
    """An applicant's details as a door gives them (`applicant_details` of an import line; the CLI's
    and the web form's fields); every one optional. The number never shows in a repr or a log."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id_kind: str | None = None
    id_number: str | None = Field(default=None, repr=False)
    phone: str | None = None
    email: str | None = None
    address: str | None = None
    postcode: str | None = None


@dataclass(frozen=True)
class Checked:
    """Details checked and normalized (the number in clear, only in memory)."""

    id_kind: str | None = None
    id_number: str | None = None
    phone: str | None = None
    email: str | None = None
    address: str | None = None
    postcode: str | None = None

    def __repr__(self) -> str:  # an exception or a debugger never prints the number
        return f"Checked(id_kind={self.id_kind!r}, id_number={identity.mask(self.id_number)!r})"

    @property
    def empty(self) -> bool:
        return all(getattr(self, k) is None for k in DETAIL_KEYS)


def _optional(value: str | None, kind: TextKind, what: str, problem: Any = None) -> str | None:
    text = clean_optional(value, kind, what)
    if text is not None and problem is not None and (why := problem(text)):
        raise InvalidInput("{what}: {why}", what=FieldName.named(what), why=why)
    return text


def check_details(given: ApplicantDetailsIn | None) -> Checked:
    """The details checked (GB 11643 / GB 32100 check characters, e-mail form, postal code), or one
    InvalidInput line naming the field and never repeating the number."""
    if given is None:
        return Checked()
    checked = collect(
        {
            "id_number": partial(_identity, given),
            "phone": partial(_optional, given.phone, CONTACT, "phone", identity.phone_problem),
            "email": partial(_optional, given.email, CONTACT, "email", identity.email_problem),
            "address": partial(_optional, given.address, ADDRESS, "address"),
            "postcode": partial(_optional, given.postcode, CONTACT, "postcode", identity.postcode_problem),
        }
    )
    kind, number = checked.pop("id_number")
    return Checked(id_kind=kind, id_number=number, **checked)


def _identity(given: ApplicantDetailsIn) -> tuple[str | None, str | None]:
    """The identity document's kind and number: both or neither, the number checked for its kind."""
    kind = clean_optional(given.id_kind, CONTACT, "id_kind")
    number = clean_optional(given.id_number, identity_text(), "id_number") if given.id_number else None
    if (kind is None) != (number is None):
        raise InvalidInput("give the identity document's kind and its number together (id_kind, id_number)")
    if kind is not None and number is not None:
        kind = parse_code("id_kind", kind, where="id_kind")  # a code or its label (居民身份证)
        number = identity.check_id_number(kind, number)
    return kind, number


def identity_text() -> TextKind:
    return TextKind(Phrase("an identity number"), identity.OTHER_MAX)


def details_row(checked: Checked, organ_id: int) -> dict[str, Any] | None:
    """The row to store (without case_id): the number encrypted, with its matching hash."""
    if checked.empty:
        return None
    row: dict[str, Any] = {
        k: getattr(checked, k) for k in ("id_kind", "phone", "email", "address", "postcode")
    }
    row |= {"organ_id": organ_id, "id_number_cipher": None, "id_number_hash": None, "key_id": None}
    if checked.id_number is not None:
        key = keyring().current
        row |= {
            "id_number_cipher": key.encrypt(checked.id_number),
            "id_number_hash": key.match_hash(checked.id_number),
            "key_id": key.key_id,
        }
    return row


def identity_hash(number: str, kind: str | None = None) -> str:
    """The matching hash of an identity number under the current key (what `id_number_hash` holds):
    normalized as stored (full-width digits, spaces, a lower-case x)."""
    return keyring().current.match_hash(
        identity.normalize_number(kind or identity.IdKind.resident_id, number)
    )


def identity_condition(number_hash: str) -> ColumnElement[bool]:
    """A WHERE condition on Case: the cases whose applicant has this matching hash."""
    matching = sa_select(_TABLE.c.case_id).where(_TABLE.c.id_number_hash == number_hash)
    return col(Case.id).in_(matching)


def stored_details(session: Session, case_id: int) -> ApplicantDetails | None:
    return session.get(ApplicantDetails, case_id)


def applicant_details(session: Session, case_id: int) -> dict[str, Any] | None:
    """A case's details with the identity number decrypted: {"id_kind", "id_number", "phone",
    "email", "address", "postcode"}, or None when only a name was given. Only for the organ's own
    users; everyone else gets `masked(...)` of it."""
    row = (
        session.connection().execute(sa_select(_TABLE).where(_TABLE.c.case_id == case_id)).mappings().first()
    )
    if row is None:
        return None
    number = keyring().decrypt(row["key_id"], row["id_number_cipher"]) if row["id_number_cipher"] else None
    return {k: (number if k == "id_number" else row[k]) for k in DETAIL_KEYS}


def identity_numbers(session: Session, case_ids: list[int]) -> dict[int, str]:
    """The decrypted identity numbers of those cases that have one ({case id: number}), in one query
    (the ledger reads them batch by batch). Only for the organ's own users, masked for everyone else."""
    q = sa_select(_TABLE.c.case_id, _TABLE.c.key_id, _TABLE.c.id_number_cipher).where(
        _TABLE.c.case_id.in_(case_ids), _TABLE.c.id_number_cipher.is_not(None)
    )
    ring = keyring()
    return {r.case_id: ring.decrypt(r.key_id, r.id_number_cipher) for r in session.connection().execute(q)}


def masked(details: dict[str, Any] | None) -> dict[str, Any] | None:
    """The details as lists, logs, e-mails and exports show them: the number masked."""
    if details is None:
        return None
    return {**details, "id_number": identity.mask(details.get("id_number"))}


def matching_hash(session: Session, case_id: int) -> str | None:
    found = session.connection().execute(
        sa_select(_TABLE.c.id_number_hash).where(_TABLE.c.case_id == case_id)
    )
    return found.scalar()


def rotate(session: Session) -> tuple[int, int]:
    """Re-encrypt (and re-hash) every identity number not under the current key, in the caller's
    transaction. Returns (rows rotated, rows already under the current key)."""
    ring = keyring()
    current = ring.current
    conn = session.connection()
    stale = sa_select(_TABLE.c.case_id, _TABLE.c.key_id, _TABLE.c.id_number_cipher).where(
        _TABLE.c.id_number_cipher.is_not(None), _TABLE.c.key_id != current.key_id
    )
    rows = conn.execute(stale).all()
    for case_id, key_id, cipher in rows:
        number = ring.decrypt(key_id, cipher)
        values = {
            "id_number_cipher": current.encrypt(number),
            "id_number_hash": current.match_hash(number),
            "key_id": current.key_id,
        }
        conn.execute(update(_TABLE).where(_TABLE.c.case_id == case_id).values(values))
    count = sa_select(func.count()).select_from(_TABLE).where(_TABLE.c.key_id == current.key_id)
    return len(rows), int(conn.execute(count).scalar_one()) - len(rows)
