"""Interface labels the admin needs beyond codes/ (which holds every legal label)."""

from __future__ import annotations

from codes import CASE_DATE_LABELS, DEADLINE_COLUMNS  # defined once, beside the legal labels
from codes.labels import PARAM_LABELS, PARTY_LABELS, ROLE_LABELS
from config.i18n import N_

__all__ = ["CASE_DATE_LABELS", "DEADLINE_COLUMNS", "PARAM_LABELS", "PARTY_LABELS", "ROLE_LABELS"]

# what a consultation pause is called in a deadline explanation
PAUSE_LABELS: dict[str, str] = {
    "third_party": N_("consulting a third party"),
    "organ": N_("consulting another organ"),
    "fee": N_("the fee notice until payment"),
}
