"""A document's inputs, read from the case, its history and its organ: the one function that does.

The inputs are stored with the issued document (evidence, DESIGN §11) and are all the template
sees; dates are those the case had when the notified event happened (a replay of the history up to
it), so a document issued late still prints the dates of its day.

The applicant's contact (DESIGN §12) comes from the applicant record, decrypted by the caller and
passed in (this module opens no session); the fee's tier breakdown is computed from the method and
the count or pages the notify_fee event recorded (国办函〔2020〕109号).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from codes import APPLICANT_TYPE_LABELS, CHANNEL_LABELS, DOCUMENT_KIND_LABELS, OUTCOME_SHORT_LABELS
from documents import wording
from documents.wording import cn_date
from models.cases import Case, CaseEvent
from models.organs import Organ
from workflow.fees import FEE_METHOD_LABELS, FeeMethod, count_tier_of, quote_count, quote_pages
from workflow.machine import CaseRecord
from workflow.replay import derived, steps
from workflow.service import new_flow

# the one input never stored with an issued document (it is re-read, decrypted, when re-rendering)
SECRET_INPUTS = ("applicant_id_number",)


def applicant_contact(case: Case, details: dict[str, Any] | None) -> dict[str, str]:
    """Who the document is addressed to: the name and type, and from the applicant record (None:
    only a name was given) the address, postcode, phone and identity number."""
    d = details or {}
    return {
        "applicant": case.applicant,
        "applicant_type": APPLICANT_TYPE_LABELS.get(case.applicant_type, case.applicant_type),
        "applicant_address": d.get("address") or "",
        "applicant_postcode": d.get("postcode") or "",
        "applicant_phone": d.get("phone") or "",
        "applicant_id_number": d.get("id_number") or "",
    }


def fee_details(params: dict[str, Any]) -> dict[str, Any]:
    """The fee notice's figures from the recorded notify_fee: the amount, and the method, count,
    pages and tiers when the event recorded them (fee computation, DESIGN §12)."""
    method = str(params.get("method") or "")
    tiers = _tier_lines(method, params.get("count"), params.get("pages"))
    recorded = params.get("count")
    count = f"第{recorded}件" if recorded else ""  # the application's position in its month
    band = count_tier_of(params["amount"]) if method == FeeMethod.by_count and not recorded else None
    if band is not None:  # by count, the position not recorded (an import): the band its fee gives
        count = f"第{band.first}–{band.last}件"
        tiers = [f"{count}：1件×{band.price}元＝{band.price}元"]
    return {
        "amount": f"{Decimal(str(params['amount'])):.2f}",
        "method": FEE_METHOD_LABELS[FeeMethod(method)] if method in set(FeeMethod) else method,
        "count": count,
        "pages": str(params.get("pages") or ""),
        "tiers": tiers,
        "payment_route": str(params.get("route") or ""),
    }


def _tier_lines(method: str, count: Any, pages: Any) -> list[str]:
    """One line per tier the fee falls in (第11–30件：1件×100元＝100元); none when the event
    recorded only an amount (an imported or older fee notice)."""
    if method == FeeMethod.by_count and isinstance(count, int):
        quote, unit = quote_count(count), "件"
    elif method == FeeMethod.by_pages and isinstance(pages, int):
        quote, unit = quote_pages(pages), "页"
    else:
        return []
    out = []
    for line in quote.lines:
        t = line.tier
        span = f"第{t.first}–{t.last}{unit}" if t.last is not None else f"第{t.first}{unit}起"
        out.append(f"{span}：{line.units}{unit}×{t.price}元＝{line.subtotal}元")
    return out


def dates_around(history: list[CaseEvent], seq: int) -> tuple[dict[str, Any], dict[str, Any]]:
    """The case's derived dates just before and just after the history entry `seq`."""
    flow = new_flow(CaseRecord())
    for h, before in steps(flow, history):
        if h.seq == seq:
            return before, derived(flow.row)
    raise LookupError(f"no history entry {seq}")


def build_context(
    case: Case,
    organ: Organ,
    history: list[CaseEvent],
    event: CaseEvent,
    kind: str,
    details: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """Every field any template of `kind` may print (strings and lists of strings; no number yet)."""
    before, after = dates_around(history, event.seq)
    params = event.params
    out: dict[str, Any] = {
        "kind": kind,
        "title": DOCUMENT_KIND_LABELS[kind],
        "organ": organ.name,
        "organ_short": organ.short_name or organ.name,
        "organ_address": organ.address or "",
        "organ_phone": organ.phone or "",
        "reconsideration_body": organ.reconsideration_body or "",
        "court": organ.court or "",
        **applicant_contact(case, details),
        "ref": case.ref,
        "request": case.request or "",
        "channel": CHANNEL_LABELS.get(case.channel, case.channel),
        "issued_on": cn_date(event.effective_on),
        "submitted_on": cn_date(after.get("submitted_on")),
        "received_on": cn_date(after.get("received_on") or before.get("received_on")),
        "reply_due": cn_date(after.get("reply_due")),
        "reply_due_before": cn_date(before.get("reply_due")),
    }
    return out | _specific(kind, event, params, before, after)


def _specific(
    kind: str, event: CaseEvent, params: dict[str, Any], before: dict[str, Any], after: dict[str, Any]
) -> dict[str, Any]:
    if kind == "correction_notice":
        return {
            "items": list(params.get("items") or []),
            "correction_until": cn_date(after["correction_until"]),
        }
    if kind == "extension_notice":
        return {"approver": params.get("approver", ""), "extension_days": str(params.get("days", ""))}
    if kind in ("third_party_consultation", "consultation_notice", "organ_consultation"):
        return {"third_party": "第三方", "consultation_due": cn_date(after["consultation_due"])}
    if kind == "fee_notice":
        return fee_details(params) | {"fee_due": cn_date(after["fee_due"])}
    if kind == "deferral_notice":
        return {"reason": params.get("reason", "")}
    if kind == "reply":
        outcome = params["outcome"]
        return {
            "outcome": OUTCOME_SHORT_LABELS.get(outcome, outcome),
            "decision": wording.decision(outcome, params),
            "basis": params.get("basis") or wording.DEFAULT_BASIS.get(outcome, ""),
            "answered_on": cn_date(event.effective_on),
        }
    if kind == "termination_notice":
        return {"termination": wording.termination(event.event, params, before)}
    return {}
