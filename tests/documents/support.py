"""Cases with documents to issue, and documents read back as text (python-docx)."""

from __future__ import annotations

import io
import re
from typing import Any

from docx import Document as Docx

from models.db import session_scope
from tests.support import TESTER, D, organ_with_staff, receive, step
from workflow.directory import update_letter_data

REMEDY = {"reconsideration_body": "红星县人民政府", "court": "红星县人民法院"}


def office(code: str = "east", **letter: str | None) -> None:
    """An organ with staff and the letter data a reply needs (unless overridden)."""
    organ_with_staff(code)
    with session_scope() as s:
        update_letter_data(
            s,
            code,
            {"short_name": "红星镇", "address": "红星路1号", "phone": "0451-1234567", **REMEDY, **letter},
        )


def withheld_case(ref: str = "W-1") -> None:
    """Received 2026-03-02, answered (withheld, third-party rights) on 2026-03-20."""
    receive(D(2026, 3, 2), ref=ref, request="某企业的环评报告")
    step(
        ref,
        "answer",
        on=D(2026, 3, 20),
        outcome="withheld_third_party_rights",
        reasons="涉及该企业的商业秘密",
    )


def text_of(content: bytes) -> str:
    """Every paragraph of a DOCX, one a line."""
    return "\n".join(p.text for p in Docx(io.BytesIO(content)).paragraphs)


def dates_in(text: str) -> set[Any]:
    """Every date a document prints (2026年3月5日)."""
    return {D(int(y), int(m), int(d)) for y, m, d in re.findall(r"(\d{4})年(\d{1,2})月(\d{1,2})日", text)}


__all__ = ["TESTER", "D", "receive", "step"]
