"""Which event each document kind notifies (DESIGN §11 table) and the fields its template must print."""

from __future__ import annotations

from dataclasses import dataclass

from codes import DOCUMENT_KIND_LABELS, DocumentKind, Party


@dataclass(frozen=True)
class KindRule:
    """The events a kind notifies (`party`: only a consultation of that party) and its required fields."""

    events: tuple[str, ...]
    required: tuple[str, ...]
    party: str | None = None

    def notifies(self, event: str, params: dict[str, object]) -> bool:
        return event in self.events and (self.party is None or params.get("party") == self.party)


# every document prints these (the organ, the case's ref, the number and the date); all but the two
# consultations are addressed to the applicant
COMMON: tuple[str, ...] = ("organ", "ref", "number", "issued_on")
A = "applicant"
K = DocumentKind
RULES: dict[str, KindRule] = {
    K.receipt: KindRule(
        ("receive", "confirm_receipt"), (A, "request", "channel", "received_on", "reply_due")
    ),
    K.correction_notice: KindRule(("request_correction",), (A, "items", "correction_until")),
    K.extension_notice: KindRule(("extend",), (A, "reply_due_before", "reply_due", "approver")),
    K.third_party_consultation: KindRule(
        ("consult",), ("third_party", "request", "consultation_due"), party=Party.third_party
    ),
    K.consultation_notice: KindRule(
        ("consult",), (A, "request", "consultation_due"), party=Party.third_party
    ),
    K.organ_consultation: KindRule(("consult",), ("request", "consultation_due"), party=Party.organ),
    K.fee_notice: KindRule(("notify_fee",), (A, "amount", "fee_due", "method", "tiers")),
    K.deferral_notice: KindRule(("defer",), (A, "reason", "reply_due")),
    K.reply: KindRule(
        ("answer",), (A, "request", "received_on", "decision", "reconsideration_body", "court")
    ),
    K.termination_notice: KindRule(("lapse_correction", "lapse_fee"), (A, "received_on", "termination")),
}
assert set(RULES) == set(DOCUMENT_KIND_LABELS)


def required_fields(kind: str) -> tuple[str, ...]:
    """The template fields a document of `kind` must print, common ones first."""
    return (*COMMON, *RULES[kind].required)
