"""Interface labels the admin needs beyond codes/ (which holds every legal label)."""

from __future__ import annotations

from codes import CASE_DATE_LABELS, DEADLINE_COLUMNS  # defined once, beside the legal labels
from codes.labels import PARAM_LABELS, PARTY_LABELS, ROLE_LABELS

__all__ = ["CASE_DATE_LABELS", "DEADLINE_COLUMNS", "PARAM_LABELS", "PARTY_LABELS", "ROLE_LABELS"]

# what a consultation pause is called in a deadline explanation
PAUSE_LABELS: dict[str, str] = {
    "third_party": "征求第三方意见",
    "organ": "征求其他机关意见",
    "fee": "收费通知至缴费",
}
