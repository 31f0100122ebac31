"""The appeals sheet of an imported register: each row an appeal against the case of its 申请编号."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from ledger import columns as c
from ledger.problems import LedgerError, Problem
from ledger.reading import Table
from ledger.rows import Row
from workflow.errors import Phrase


class SheetRow(Row):
    def fail(self, column: str, problem: Problem) -> LedgerError:
        return LedgerError(self.n, column, problem, sheet=c.APPEALS_SHEET)


def read_appeals(table: Table | None) -> dict[str, list[tuple[int, dict[str, Any]]]]:
    """{申请编号: [(sheet row, appeal as `case import` gives it)]}, in the sheet's order."""
    out: dict[str, list[tuple[int, dict[str, Any]]]] = defaultdict(list)
    if table is None:
        return out
    for n, values in table.rows:
        r = SheetRow(n, values)
        ref = r.text(c.APPEAL_REF)
        if ref is None:
            raise r.fail(c.APPEAL_REF, Phrase("empty (a required column)"))
        filed = r.date(c.APPEAL_FILED)
        if filed is None:
            raise r.fail(c.APPEAL_FILED, Phrase("empty (a required column)"))
        decided = r.date(c.APPEAL_DECIDED)
        appeal = {
            "kind": r.code(c.APPEAL_KIND, "appeal_kind"),
            "filed_on": filed.isoformat(),
            "result": r.code(c.APPEAL_RESULT, "appeal_result", required=False),
            "decided_on": decided.isoformat() if decided else None,
        }
        out[ref].append((n, appeal))
    return out
