"""Reading the labels of an office's register: a label, or the code, of each coded column.

An outcome is the report's row label with or without its numbering (「6.属于四类过程性信息」 or
「属于四类过程性信息」), the short label of the product's lists (「不予公开：过程性信息」) or the code.
"""

from __future__ import annotations

import re
from functools import cache

from codes import (
    APPEAL_COLUMN_LABELS,
    APPEAL_KIND_LABELS,
    APPLICANT_TYPE_LABELS,
    CHANNEL_LABELS,
    OUTCOME_SHORT_LABELS,
    OUTCOMES,
    ROW_LABELS,
    AppealKind,
    AppealResult,
    ApplicantType,
    Channel,
    Party,
)

PARTY_LABELS: dict[str, str] = {"third_party": "第三方", "organ": "其他机关"}
YES, NO = "是", "否"
# a row label's numbering: 「6.」「6．」「6、」「（二）」
_NUMBERING = re.compile(r"^(?:\d+[.．、]|（[一二三四五六七八九十]+）)\s*")


def _key(text: str) -> str:
    return "".join(text.split())


def _table(codes: tuple[str, ...], *labels: dict[str, str]) -> dict[str, str]:
    table = {c: c for c in codes}
    for by_code in labels:
        for code, label in by_code.items():
            if code in codes:
                table[_key(label)] = code
    return table


@cache
def _outcomes() -> dict[str, str]:
    table = _table(OUTCOMES, ROW_LABELS, OUTCOME_SHORT_LABELS)
    for code in OUTCOMES:
        bare = _NUMBERING.sub("", ROW_LABELS[code])
        table[_key(bare)] = code
        table.setdefault(_key(bare.split("（")[0]), code)  # 部分公开 without its note
    return table


_TABLES: dict[str, dict[str, str]] = {
    "applicant_type": _table(tuple(ApplicantType), APPLICANT_TYPE_LABELS),
    "channel": _table(tuple(Channel), CHANNEL_LABELS),
    "party": _table(tuple(Party), PARTY_LABELS),
    "appeal_kind": _table(tuple(AppealKind), APPEAL_KIND_LABELS),
    "appeal_result": _table(tuple(AppealResult), APPEAL_COLUMN_LABELS),
}


def code_of(kind: str, text: str) -> str | None:
    """The code a label or code names, or None. `kind`: outcome, applicant_type, channel, party,
    appeal_kind, appeal_result."""
    table = _outcomes() if kind == "outcome" else _TABLES[kind]
    key = _key(text)
    if kind == "outcome" and key not in table:
        key = _NUMBERING.sub("", key)
    return table.get(key)


def choices(kind: str) -> str:
    """The labels a refusal lists (the export's own)."""
    labels = {
        "applicant_type": APPLICANT_TYPE_LABELS,
        "channel": CHANNEL_LABELS,
        "party": PARTY_LABELS,
        "appeal_kind": APPEAL_KIND_LABELS,
        "appeal_result": APPEAL_COLUMN_LABELS,
    }.get(kind)
    if labels is None:
        return "、".join(OUTCOME_SHORT_LABELS.values())
    return "、".join(v for k, v in labels.items() if k not in ("total", "pending"))
