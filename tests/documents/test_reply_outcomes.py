"""The reply letter by outcome (Art. 36–39): each says what the outcome requires, with its article,
and ends with both remedies naming the organ's bodies and periods."""

from __future__ import annotations

import pytest

from codes import LAPSE_OUTCOMES, OUTCOMES
from documents import service
from documents.wording import DEFAULT_BASIS
from models.db import session_scope
from tests.documents.support import TESTER, D, office, receive, step, text_of

pytestmark = pytest.mark.usefixtures("sqlite_db")
TEXTS = {
    "reasons": "理由甲乙丙",
    "provided": "以纸质方式当面提供",
    "refer_to": "红星县档案馆，电话 0451-7654321",
}


@pytest.mark.parametrize("outcome", [o for o in OUTCOMES if o not in LAPSE_OUTCOMES])
def test_each_outcomes_reply_states_its_grounds_and_ends_with_both_remedies(outcome: str) -> None:
    office()
    receive(D(2026, 3, 2), ref="O-1", request="预算")
    if outcome == "unable_still_unclear":  # only after a correction round
        step("O-1", "request_correction", on=D(2026, 3, 3), items=["请写明年度"])
        step("O-1", "receive_correction", on=D(2026, 3, 6))
    step("O-1", "answer", on=D(2026, 3, 20), outcome=outcome, **TEXTS)
    with session_scope() as s:
        text = text_of(service.issue(s, "O-1", "reply", actor=TESTER).content)
    assert "六十日内向红星县人民政府申请行政复议" in text and "六个月内向红星县人民法院提起行政诉讼" in text
    assert text.rstrip().count("行政复议") == 1
    if outcome in DEFAULT_BASIS:
        assert DEFAULT_BASIS[outcome] in text
    if outcome.startswith("withheld_") or outcome == "partially_disclosed":
        assert TEXTS["reasons"] in text
    if outcome in ("disclosed", "partially_disclosed"):
        assert TEXTS["provided"] in text
    if outcome in ("unable_not_held", "not_processed_publication", "not_processed_petition"):
        assert TEXTS["refer_to"] in text
