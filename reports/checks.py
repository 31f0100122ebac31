"""The identities every report must satisfy (DESIGN §6, issue 3 item 4).

Each check is a pure comparison of the numbers; when one fails, `Evidence` asks the database
which cases sit behind the difference, so the message names them and a person can fix them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from sqlalchemy import and_, case, func, not_, or_
from sqlmodel import Session, col, select

from codes import (
    APPEAL_COLUMNS,
    APPEAL_KIND_LABELS,
    APPLICANT_TYPE_LABELS,
    COLUMNS,
    OUTCOMES,
    ROW_LABELS,
    ROWS,
)
from models.cases import Appeal, Case, CaseEvent
from reports import rows
from reports.scope import Scope

SIX = COLUMNS[:-1]
# the Chinese title each rendering shows beside the result (the details are Chinese too, DESIGN §14)
TITLES: dict[str, str] = {
    "balance": "每列：本年新收 + 上年结转 = 办理结果总计 + 结转下年度",
    "total_row": "（七）总计 = 21 项办理结果之和",
    "total_column": "总计列 = 六类申请人之和",
    "section4_totals": "行政复议、行政诉讼：总计 = 四项结果之和",
    "carry_over": "上年结转 = 已封存的上年度报告“结转下年度继续办理”",
}
MAX_REFS = 20


@dataclass
class Check:
    name: str
    ok: bool
    detail: str
    cases: list[str] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "name": self.name,
            "ok": self.ok,
            "detail": self.detail,
            "title": TITLES[self.name],
        }
        if self.cases:
            out["cases"] = self.cases
        return out


class Evidence(Protocol):
    """Finds the cases behind a failed check (the refs, at most MAX_REFS)."""

    def unbalanced(self, columns: Sequence[str]) -> list[str]: ...
    def unknown_outcome(self, columns: Sequence[str]) -> list[str]: ...
    def unknown_type(self, rows_: Sequence[str]) -> list[str]: ...
    def unknown_appeal_result(self, kinds: Sequence[str]) -> list[str]: ...
    def changed_since(self, sealed_at: dt.datetime, prev_end: dt.date) -> list[str]: ...


class NoEvidence:
    """For numbers with no database behind them (a stored snapshot)."""

    def unbalanced(self, columns: Sequence[str]) -> list[str]:
        return []

    def unknown_outcome(self, columns: Sequence[str]) -> list[str]:
        return []

    def unknown_type(self, rows_: Sequence[str]) -> list[str]:
        return []

    def unknown_appeal_result(self, kinds: Sequence[str]) -> list[str]:
        return []

    def changed_since(self, sealed_at: dt.datetime, prev_end: dt.date) -> list[str]:
        return []


@dataclass(frozen=True)
class Previous:
    """The sealed report of the year before, when one is in force."""

    version: int
    sealed_at: dt.datetime
    carried_out: list[int]


def run_checks(
    section3: dict[str, list[int]],
    section4: dict[str, dict[str, int]],
    *,
    year: int,
    previous: Previous | None,
    evidence: Evidence,
) -> list[Check]:
    return [
        balance(section3, evidence),
        total_row(section3, evidence),
        total_column(section3, evidence),
        section4_totals(section4, evidence),
        carry_over(section3, year, previous, evidence),
    ]


# how a detail names a column, a row and a section 四 group (the short names of the rows it adds up)
SHORT_ROWS = {
    "new": "本年新收",
    "carried_in": "上年结转",
    "total": "办理结果总计",
    "carried_out": "结转下年度",
}


def _col(key: str) -> str:
    return APPLICANT_TYPE_LABELS.get(key, key)


def _row(key: str) -> str:
    return SHORT_ROWS.get(key) or ROW_LABELS.get(key, key)


def balance(t: dict[str, list[int]], evidence: Evidence) -> Check:
    bad, cols = [], []
    for i, c in enumerate(COLUMNS):
        left, right = t["new"][i] + t["carried_in"][i], t["total"][i] + t["carried_out"][i]
        if left != right:
            cols.append(c)
            bad.append(
                f"{_col(c)}：本年新收 {t['new'][i]} + 上年结转 {t['carried_in'][i]} = {left}，但"
                f"办理结果总计 {t['total'][i]} + 结转下年度 {t['carried_out'][i]} = {right}"
            )
    if not bad:
        return Check("balance", True, "7 列均为：本年新收 + 上年结转 = 办理结果总计 + 结转下年度")
    return Check("balance", False, "；".join(bad), evidence.unbalanced(cols))


def total_row(t: dict[str, list[int]], evidence: Evidence) -> Check:
    bad, cols = [], []
    for i, c in enumerate(COLUMNS):
        parts = sum(t[o][i] for o in OUTCOMES)
        if parts != t["total"][i]:
            cols.append(c)
            bad.append(f"{_col(c)}：（七）总计 {t['total'][i]}，但 21 项办理结果之和为 {parts}")
    if not bad:
        return Check("total_row", True, "7 列的（七）总计均等于 21 项办理结果之和")
    return Check("total_row", False, "；".join(bad), evidence.unknown_outcome(cols))


def total_column(t: dict[str, list[int]], evidence: Evidence) -> Check:
    bad, rows_ = [], []
    for r in ROWS:
        parts = sum(t[r][: len(SIX)])
        if parts != t[r][-1]:
            rows_.append(r)
            bad.append(f"{_row(r)}：总计 {t[r][-1]}，但六类申请人之和为 {parts}")
    if not bad:
        return Check("total_column", True, "25 行的总计均等于六类申请人之和")
    return Check("total_column", False, "；".join(bad), evidence.unknown_type(rows_))


def section4_totals(s4: dict[str, dict[str, int]], evidence: Evidence) -> Check:
    bad, kinds = [], []
    for kind, g in s4.items():
        parts = sum(g.get(k, 0) for k in APPEAL_COLUMNS if k != "total")
        if parts != g.get("total", 0):
            kinds.append(kind)
            bad.append(
                f"{APPEAL_KIND_LABELS.get(kind, kind)}：总计 {g.get('total', 0)}，"
                f"但结果维持、结果纠正、其他结果、尚未审结之和为 {parts}"
            )
    if not bad:
        return Check("section4_totals", True, f"{len(s4)} 组的总计均等于四项结果之和")
    return Check("section4_totals", False, "；".join(bad), evidence.unknown_appeal_result(kinds))


def carry_over(t: dict[str, list[int]], year: int, previous: Previous | None, evidence: Evidence) -> Check:
    if previous is None:
        return Check("carry_over", True, f"没有已封存的{year - 1}年度报告可供比对")
    sealed = f"已封存的{year - 1}年度报告（第{previous.version}版）"
    if t["carried_in"] == previous.carried_out:
        return Check("carry_over", True, f"上年结转等于{sealed}的结转下年度")
    bad = [
        f"{_col(c)}：上年结转 {a}，但{sealed}结转下年度 {b}"
        for c, a, b in zip(COLUMNS, t["carried_in"], previous.carried_out, strict=True)
        if a != b
    ]
    cases = evidence.changed_since(previous.sealed_at, dt.date(year - 1, 12, 31))
    return Check("carry_over", False, "；".join(bad), cases)


class DatabaseEvidence:
    """Evidence from the cases of a report's scope."""

    def __init__(self, session: Session, scope: Scope) -> None:
        self.session, self.scope = session, scope

    def _refs(self, *where: Any) -> list[str]:
        q = select(col(Case.ref)).where(self.scope.cases(), *where).order_by(col(Case.ref)).limit(MAX_REFS)
        return list(self.session.exec(q))

    def _types(self, columns: Sequence[str]) -> list[Any]:
        if "total" in columns:
            return []
        return [col(Case.applicant_type).in_(columns)]

    def unbalanced(self, columns: Sequence[str]) -> list[str]:
        s, e = self.scope.start, self.scope.end

        def one(p: Any) -> Any:
            return case((p, 1), else_=0)

        left = one(rows.new(s, e)) + one(rows.carried_in(s, e))
        right = one(rows.concluded_in(s, e)) + one(rows.carried_out(s, e))
        return self._refs(rows.relevant(s, e), left != right, *self._types(columns))

    def unknown_outcome(self, columns: Sequence[str]) -> list[str]:
        s, e = self.scope.start, self.scope.end
        outcome = col(Case.outcome)
        odd = or_(outcome.is_(None), not_(outcome.in_(OUTCOMES)))
        return self._refs(rows.concluded_in(s, e), odd, *self._types(columns))

    def unknown_type(self, rows_: Sequence[str]) -> list[str]:
        s, e = self.scope.start, self.scope.end
        return self._refs(
            rows.relevant(s, e),
            or_(*(rows.predicate(r, s, e) for r in rows_)),
            not_(col(Case.applicant_type).in_(SIX)),
        )

    def unknown_appeal_result(self, kinds: Sequence[str]) -> list[str]:
        s, e = self.scope.start, self.scope.end
        odd = and_(col(Appeal.decided_on) <= e, not_(col(Appeal.result).in_(APPEAL_COLUMNS[:3])))
        q = (
            select(col(Case.ref))
            .join(Appeal, col(Appeal.case_id) == col(Case.id))
            .where(self.scope.cases(), col(Appeal.kind).in_(kinds), col(Appeal.filed_on).between(s, e), odd)
            .distinct()
            .order_by(col(Case.ref))
            .limit(MAX_REFS)
        )
        return list(self.session.exec(q))

    def changed_since(self, sealed_at: dt.datetime, prev_end: dt.date) -> list[str]:
        """Cases whose history before the sealed year's end was written after the seal."""
        later = (
            select(func.count())
            .where(
                col(CaseEvent.case_id) == col(Case.id),
                col(CaseEvent.recorded_at) > sealed_at,
                col(CaseEvent.effective_on) <= prev_end,
            )
            .scalar_subquery()
        )
        return self._refs(later > 0)
