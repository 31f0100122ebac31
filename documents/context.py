"""A document's inputs, read from the case, its history and its organ: the one function that does.

The inputs are stored with the issued document (evidence, DESIGN §11) and are all the template
sees; dates are those the case had when the notified event happened (a replay of the history up to
it), so a document issued late still prints the dates of its day.

Applicant records and fee computation are added beside this work (DESIGN §12): the applicant's
contact is read in `applicant_contact`, the fee's breakdown in `fee_details`; both use only what
the case holds today and leave the rest empty.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from codes import APPLICANT_TYPE_LABELS, CHANNEL_LABELS, DOCUMENT_KIND_LABELS, OUTCOME_SHORT_LABELS
from documents import wording
from documents.wording import cn_date
from models.cases import Case, CaseEvent
from models.organs import Organ
from workflow.machine import CaseRecord
from workflow.replay import derived, steps
from workflow.service import new_flow

FEE_METHOD_LABELS = {"per_item": "按件计收", "per_volume": "按量计收"}


def applicant_contact(case: Case) -> dict[str, str]:
    """Who the document is addressed to. Until applicant records land only the name and type are
    known; the address, postcode, phone and identity number print empty."""
    return {
        "applicant": case.applicant,
        "applicant_type": APPLICANT_TYPE_LABELS.get(case.applicant_type, case.applicant_type),
        "applicant_address": "",
        "applicant_postcode": "",
        "applicant_phone": "",
        "applicant_id_number": "",
    }


def fee_details(params: dict[str, Any]) -> dict[str, Any]:
    """The fee notice's figures from the recorded notify_fee: the amount, and the method, count,
    pages and tiers when the event recorded them (fee computation, DESIGN §12)."""
    tiers = [_tier_line(t) for t in params.get("tiers") or []]
    return {
        "amount": f"{Decimal(str(params['amount'])):.2f}",
        "method": FEE_METHOD_LABELS.get(str(params.get("method") or ""), str(params.get("method") or "")),
        "count": str(params.get("count") or ""),
        "pages": str(params.get("pages") or ""),
        "tiers": tiers,
        "payment_route": str(params.get("route") or ""),
    }


def _tier_line(tier: Any) -> str:
    if isinstance(tier, dict):
        return "，".join(f"{k}：{v}" for k, v in tier.items())
    return str(tier)


def dates_around(history: list[CaseEvent], seq: int) -> tuple[dict[str, Any], dict[str, Any]]:
    """The case's derived dates just before and just after the history entry `seq`."""
    flow = new_flow(CaseRecord())
    for h, before in steps(flow, history):
        if h.seq == seq:
            return before, derived(flow.row)
    raise LookupError(f"no history entry {seq}")


def build_context(
    case: Case, organ: Organ, history: list[CaseEvent], event: CaseEvent, kind: str
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
        **applicant_contact(case),
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
