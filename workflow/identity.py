"""Identity documents of applicants: what a number must look like, and how it is shown masked.

Pure rules (no session, no settings): the 18-character resident identity number of GB 11643-1999
(居民身份证号码, ISO 7064 MOD 11-2 check character) and the 18-character unified social credit code
of GB 32100-2015 (统一社会信用代码, MOD 31 check character). Any other document's number is free
text of at most 64 characters. Refusals never repeat the number (it is personal information).
"""

from __future__ import annotations

import re
import unicodedata
from enum import StrEnum

from codes.labels import ID_KIND_LABELS as _ID_KIND_LABELS
from codes.labels import Coded, FieldName
from config.i18n import _
from workflow.code_input import parse_code
from workflow.errors import InvalidInput


class IdKind(StrEnum):
    resident_id = "resident_id"  # 居民身份证
    credit_code = "credit_code"  # 统一社会信用代码
    other = "other"  # 其他证件


ID_KIND_LABELS = {k: _ID_KIND_LABELS[k] for k in IdKind}  # Chinese; codes.labels has both languages
OTHER_MAX = 64

# GB 11643-1999: weight of position i (1..17) is 2^(18-i) mod 11; check = (12 - sum mod 11) mod 11
_RESIDENT_WEIGHTS = tuple(pow(2, 17 - i, 11) for i in range(17))
_RESIDENT_CHECK = "10X98765432"  # indexed by sum mod 11
# GB 32100-2015: 31 characters (no I, O, Z, S, V); weight of position i (1..17) is 3^(i-1) mod 31
_CREDIT_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_CREDIT_WEIGHTS = tuple(pow(3, i, 31) for i in range(17))
_EMAIL = re.compile(r"^[^@\s]{1,64}@[^@\s.]+(\.[^@\s.]+)+$")
_POSTCODE = re.compile(r"^[0-9]{6}$")
_PHONE = re.compile(r"^\+?[0-9][0-9 ()\-]{2,38}[0-9]$")


def resident_check(first17: str) -> str:
    """The check character of a resident identity number's first 17 digits (GB 11643)."""
    total = sum(int(d) * w for d, w in zip(first17, _RESIDENT_WEIGHTS, strict=True))
    return _RESIDENT_CHECK[total % 11]


def credit_check(first17: str) -> str:
    """The check character of a unified social credit code's first 17 characters (GB 32100)."""
    total = sum(_CREDIT_ALPHABET.index(c) * w for c, w in zip(first17, _CREDIT_WEIGHTS, strict=True))
    return _CREDIT_ALPHABET[(31 - total % 31) % 31]


def resident_id_problem(number: str) -> str | None:
    if len(number) != 18 or not number[:17].isascii() or not number[:17].isdigit():
        return _("a resident identity number is 17 digits and a check character (18 in all)")
    if number[17] != resident_check(number[:17]):
        return _("the check character does not match the number (GB 11643); check for a typing error")
    return None


def credit_code_problem(number: str) -> str | None:
    if len(number) != 18 or any(c not in _CREDIT_ALPHABET for c in number):
        return _("a unified social credit code is 18 digits or capital letters (no I, O, S, V, Z)")
    if number[17] != credit_check(number[:17]):
        return _("the check character does not match the code (GB 32100); check for a typing error")
    return None


def normalize_number(kind: str, number: str) -> str:
    """The number as stored and matched: NFKC (full-width digits typed in a Chinese input method
    become ASCII), white space removed, and for the two national numbers upper case (a typed x)."""
    text = "".join(unicodedata.normalize("NFKC", number).split())
    return text.upper() if kind in (IdKind.resident_id, IdKind.credit_code) else text


def check_id_number(kind: str, number: str) -> str:
    """The normalized number, or InvalidInput saying what is wrong (never repeating the number)."""
    kind = parse_code("id_kind", kind, where="id_kind")
    text = normalize_number(kind, number)
    if not text:
        raise InvalidInput("{field}: is empty", field=FieldName.named("id_number"))
    if kind == IdKind.resident_id:
        problem = resident_id_problem(text)
    elif kind == IdKind.credit_code:
        problem = credit_code_problem(text)
    elif len(text) > OTHER_MAX or any(unicodedata.category(c)[0] in "CZ" for c in text):
        problem = _("at most {n} visible characters", n=OTHER_MAX)
    else:
        problem = None
    if problem:
        raise InvalidInput(
            "{field} ({kind}): {problem}",
            field=FieldName.named("id_number"),
            kind=Coded("id_kind", kind),
            problem=problem,
        )
    return text


def kind_of(number: str) -> IdKind:
    """The kind a bare number is (a register's 证件号码 column names none): a resident ID or a
    unified social credit code when its check character holds, else another document."""
    text = normalize_number(IdKind.resident_id, number)
    if resident_id_problem(text) is None:
        return IdKind.resident_id
    if credit_code_problem(normalize_number(IdKind.credit_code, number)) is None:
        return IdKind.credit_code
    return IdKind.other


def mask(number: str | None) -> str | None:
    """A number as lists, logs, e-mails and exports show it: the first and last four characters of
    an 18-character number (110105**********2X), less of a shorter one; never more than half."""
    if not number:
        return None
    keep = 4 if len(number) >= 12 else max(0, len(number) // 4)
    if keep == 0:
        return "*" * len(number)
    return number[:keep] + "*" * (len(number) - 2 * keep) + number[-keep:]


def email_problem(value: str) -> str | None:
    return None if _EMAIL.match(value) else _("not an e-mail address of the form name@example.org")


def postcode_problem(value: str) -> str | None:
    return None if _POSTCODE.match(value) else _("a postal code is 6 digits")


def phone_problem(value: str) -> str | None:
    return None if _PHONE.match(value) else _("digits, spaces, brackets and hyphens, 4 to 40 characters")
