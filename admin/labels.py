"""Interface labels the admin needs beyond codes/ (which holds every legal label)."""

from __future__ import annotations

from codes import CASE_DATE_LABELS, DEADLINE_COLUMNS  # defined once, beside the legal labels
from codes.labels import PARAM_LABELS, PARTY_LABELS, ROLE_LABELS
from config.i18n import N_
from workflow.fees import FeeMethod
from workflow.identity import IdKind

__all__ = ["CASE_DATE_LABELS", "DEADLINE_COLUMNS", "PARAM_LABELS", "PARTY_LABELS", "ROLE_LABELS"]

# the kinds of identity document (workflow.identity.ID_KIND_LABELS in Chinese), shown with _()
ID_KIND_NAMES: dict[str, str] = {
    IdKind.resident_id: N_("Resident identity card"),
    IdKind.credit_code: N_("Unified social credit code"),
    IdKind.other: N_("Other identity document"),
}
# the fee methods of the fee notice form (workflow.fees.FEE_METHOD_LABELS in Chinese)
FEE_METHOD_NAMES: dict[str, str] = {
    FeeMethod.by_count: N_("charged per application"),
    FeeMethod.by_pages: N_("charged by quantity"),
}
# what a consultation pause is called in a deadline explanation
PAUSE_LABELS: dict[str, str] = {
    "third_party": N_("consulting a third party"),
    "organ": N_("consulting another organ"),
    "fee": N_("the fee notice until payment"),
}
