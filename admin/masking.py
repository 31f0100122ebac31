"""Masking the applicant's identity in lists: the name is personal data (个人信息); only the case page,
which a user of the case's organ opens on purpose, shows it in full."""

from __future__ import annotations

from codes import ApplicantType

_STAR = "*"


def mask_applicant(name: str, applicant_type: str) -> str:
    """A person keeps the first character (the surname); an organisation its first and last two."""
    s = "".join(name.split())
    n = len(s)
    if n <= 1:
        return _STAR
    if applicant_type == ApplicantType.natural_person or n <= 4:
        return s[0] + _STAR * min(n - 1, 4)
    return s[:2] + _STAR * min(n - 4, 6) + s[-2:]
