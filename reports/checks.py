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
    COLUMNS,
    OUTCOMES,
    ROW_LABELS,
    ROWS,
)
from codes.labels import label
from config.i18n import N_, _, current_language
from models.cases import Appeal, Case, CaseEvent
from reports import rows
from reports.scope import Scope

SIX = COLUMNS[:-1]
# the title each rendering shows beside the result, in the reader's language (DESIGN §14); the
# details are written in it too, when the report is built
TITLES: dict[str, str] = {
    "balance": N_("each column: new + carried in = total of outcomes + carried out"),
    "total_row": N_("(7) total = the sum of the 21 outcomes"),
    "total_column": N_("total column = the sum of the six applicant types"),
    "section4_totals": N_("reconsideration, litigation: total = the sum of the four results"),
    "carry_over": N_("carried in = carried out of the sealed report of the year before"),
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
            "title": _(TITLES[self.name]),
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
    "new": N_("new this year"),
    "carried_in": N_("carried in"),
    "total": N_("total of outcomes"),
    "carried_out": N_("carried out"),
}


def _col(key: str) -> str:
    family = "appeal_column" if key == "total" else "applicant_type"
    return label(family, key, current_language())


def _row(key: str) -> str:
    return _(SHORT_ROWS[key]) if key in SHORT_ROWS else ROW_LABELS.get(key, key)


def balance(t: dict[str, list[int]], evidence: Evidence) -> Check:
    bad, cols = [], []
    for i, c in enumerate(COLUMNS):
        left, right = t["new"][i] + t["carried_in"][i], t["total"][i] + t["carried_out"][i]
        if left != right:
            cols.append(c)
            bad.append(
                _(
                    "{column}: new {new} + carried in {carried_in} = {left}, "
                    "but total of outcomes {total} + carried out {carried_out} = {right}",
                    column=_col(c),
                    new=t["new"][i],
                    carried_in=t["carried_in"][i],
                    left=left,
                    total=t["total"][i],
                    carried_out=t["carried_out"][i],
                    right=right,
                )
            )
    if not bad:
        return Check("balance", True, _("all 7 columns: new + carried in = total of outcomes + carried out"))
    return Check("balance", False, _("; ").join(bad), evidence.unbalanced(cols))


def total_row(t: dict[str, list[int]], evidence: Evidence) -> Check:
    bad, cols = [], []
    for i, c in enumerate(COLUMNS):
        parts = sum(t[o][i] for o in OUTCOMES)
        if parts != t["total"][i]:
            cols.append(c)
            bad.append(
                _(
                    "{column}: (7) total {total}, but the 21 outcomes add up to {parts}",
                    column=_col(c),
                    total=t["total"][i],
                    parts=parts,
                )
            )
    if not bad:
        return Check("total_row", True, _("in all 7 columns (7) total equals the sum of the 21 outcomes"))
    return Check("total_row", False, _("; ").join(bad), evidence.unknown_outcome(cols))


def total_column(t: dict[str, list[int]], evidence: Evidence) -> Check:
    bad, rows_ = [], []
    for r in ROWS:
        parts = sum(t[r][: len(SIX)])
        if parts != t[r][-1]:
            rows_.append(r)
            bad.append(
                _(
                    "{row}: total {total}, but the six applicant types add up to {parts}",
                    row=_row(r),
                    total=t[r][-1],
                    parts=parts,
                )
            )
    if not bad:
        return Check(
            "total_column", True, _("in all 25 rows the total equals the sum of the six applicant types")
        )
    return Check("total_column", False, _("; ").join(bad), evidence.unknown_type(rows_))


def section4_totals(s4: dict[str, dict[str, int]], evidence: Evidence) -> Check:
    bad, kinds = [], []
    for kind, g in s4.items():
        parts = sum(g.get(k, 0) for k in APPEAL_COLUMNS if k != "total")
        if parts != g.get("total", 0):
            kinds.append(kind)
            bad.append(
                _(
                    "{kind}: total {total}, but upheld, corrected, other and pending add up to {parts}",
                    kind=APPEAL_KIND_LABELS.get(kind, kind)
                    if current_language() == "zh"
                    else label("appeal_kind", kind, "en"),
                    total=g.get("total", 0),
                    parts=parts,
                )
            )
    if not bad:
        return Check(
            "section4_totals",
            True,
            _("in all {n} groups the total equals the sum of the four results", n=len(s4)),
        )
    return Check("section4_totals", False, _("; ").join(bad), evidence.unknown_appeal_result(kinds))


def carry_over(t: dict[str, list[int]], year: int, previous: Previous | None, evidence: Evidence) -> Check:
    if previous is None:
        return Check("carry_over", True, _("no sealed report of {year} to compare with", year=year - 1))
    sealed = _("the sealed report of {year} (version {version})", year=year - 1, version=previous.version)
    if t["carried_in"] == previous.carried_out:
        return Check("carry_over", True, _("carried in equals carried out of {sealed}", sealed=sealed))
    bad = [
        _("{column}: carried in {a}, but {sealed} carried out {b}", column=_col(c), a=a, sealed=sealed, b=b)
        for c, a, b in zip(COLUMNS, t["carried_in"], previous.carried_out, strict=True)
        if a != b
    ]
    cases = evidence.changed_since(previous.sealed_at, dt.date(year - 1, 12, 31))
    return Check("carry_over", False, _("; ").join(bad), cases)


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
