"""Section 六's sentence on 信息处理费, counted from the cases (DESIGN §12), not typed.

For the scope and year: the fee notices dated in the year, the payments dated in the year, and the
total paid (each payment pays the notice before it on its case, whatever year that notice is in).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from sqlalchemy import select as sa_select
from sqlmodel import Session

from config.i18n import _
from models.cases import Case, CaseEvent
from reports.scope import Scope

_EVENTS = CaseEvent.__table__  # type: ignore[attr-defined]
_CASES = Case.__table__  # type: ignore[attr-defined]
FEE_EVENTS = ("notify_fee", "receive_payment")


def fee_summary(session: Session, scope: Scope) -> dict[str, Any]:
    """{"notices": int, "paid": int, "total_paid": yuan (int, or float with cents)}."""
    in_scope = sa_select(_CASES.c.id).where(scope.cases())
    q = (
        sa_select(_EVENTS.c.case_id, _EVENTS.c.event, _EVENTS.c.effective_on, _EVENTS.c.params)
        .where(_EVENTS.c.event.in_(FEE_EVENTS), _EVENTS.c.case_id.in_(in_scope))
        .where(_EVENTS.c.effective_on <= scope.end)
        .order_by(_EVENTS.c.case_id, _EVENTS.c.seq)
    )
    notices = paid = 0
    total = Decimal(0)
    last_amount: dict[int, Decimal] = {}
    for case_id, event, on, params in session.connection().execute(q):
        if event == "notify_fee":
            last_amount[case_id] = Decimal(str(params.get("amount") or 0))
            notices += on.year == scope.year
        elif on.year == scope.year:
            paid += 1
            total += last_amount.get(case_id, Decimal(0))
    return {"notices": notices, "paid": paid, "total_paid": yuan(total)}


def yuan(amount: Decimal) -> int | float:
    return int(amount) if amount == amount.to_integral_value() else float(amount)


def fee_sentence(fees: dict[str, Any]) -> str:
    """The sentence offices write in section 六 (always Chinese: the national format's language)."""
    if not fees["notices"] and not fees["paid"]:
        return _("No information processing fee was charged this year.", language="zh")
    return _(
        "This year {notices} fee notices were issued and {amount} yuan of information processing fees "
        "were actually collected.",
        language="zh",
        notices=fees["notices"],
        amount=fees["total_paid"],
    )
