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

from models.cases import Appeal, Case, CaseEvent
from reports import rows
from reports.scope import Scope
from workflow.codes import APPEAL_COLUMNS, COLUMNS, OUTCOMES, ROWS

SIX = COLUMNS[:-1]
# the Chinese title each rendering shows beside the result
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


def balance(t: dict[str, list[int]], evidence: Evidence) -> Check:
    bad = []
    for i, c in enumerate(COLUMNS):
        left, right = t["new"][i] + t["carried_in"][i], t["total"][i] + t["carried_out"][i]
        if left != right:
            bad.append(
                f"{c}: new {t['new'][i]} + carried_in {t['carried_in'][i]} = {left} but "
                f"total {t['total'][i]} + carried_out {t['carried_out'][i]} = {right}"
            )
    if not bad:
        return Check("balance", True, "new + carried_in = total + carried_out in all 7 columns")
    cols = [b.split(":")[0] for b in bad]
    return Check("balance", False, "; ".join(bad), evidence.unbalanced(cols))


def total_row(t: dict[str, list[int]], evidence: Evidence) -> Check:
    bad = []
    for i, c in enumerate(COLUMNS):
        parts = sum(t[o][i] for o in OUTCOMES)
        if parts != t["total"][i]:
            bad.append(f"{c}: total {t['total'][i]} but the 21 outcome rows sum to {parts}")
    if not bad:
        return Check("total_row", True, "total = sum of the 21 outcome rows in all 7 columns")
    return Check("total_row", False, "; ".join(bad), evidence.unknown_outcome([b.split(":")[0] for b in bad]))


def total_column(t: dict[str, list[int]], evidence: Evidence) -> Check:
    bad = []
    for r in ROWS:
        parts = sum(t[r][: len(SIX)])
        if parts != t[r][-1]:
            bad.append(f"{r}: 总计 {t[r][-1]} but the six columns sum to {parts}")
    if not bad:
        return Check("total_column", True, "总计 = sum of the six applicant types in all 25 rows")
    return Check("total_column", False, "; ".join(bad), evidence.unknown_type([b.split(":")[0] for b in bad]))


def section4_totals(s4: dict[str, dict[str, int]], evidence: Evidence) -> Check:
    bad = []
    for kind, g in s4.items():
        parts = sum(g.get(k, 0) for k in APPEAL_COLUMNS if k != "total")
        if parts != g.get("total", 0):
            bad.append(f"{kind}: total {g.get('total', 0)} but upheld+corrected+other+pending = {parts}")
    if not bad:
        return Check("section4_totals", True, f"total = the four results in all {len(s4)} groups")
    kinds = [b.split(":")[0] for b in bad]
    return Check("section4_totals", False, "; ".join(bad), evidence.unknown_appeal_result(kinds))


def carry_over(t: dict[str, list[int]], year: int, previous: Previous | None, evidence: Evidence) -> Check:
    if previous is None:
        return Check("carry_over", True, f"no sealed {year - 1} report to compare with")
    if t["carried_in"] == previous.carried_out:
        return Check(
            "carry_over",
            True,
            f"carried_in equals carried_out of sealed {year - 1} (version {previous.version})",
        )
    bad = [
        f"{c}: carried_in {a} but sealed {year - 1} v{previous.version} carried_out {b}"
        for c, a, b in zip(COLUMNS, t["carried_in"], previous.carried_out, strict=True)
        if a != b
    ]
    cases = evidence.changed_since(previous.sealed_at, dt.date(year - 1, 12, 31))
    return Check("carry_over", False, "; ".join(bad), cases)


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
