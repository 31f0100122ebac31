"""Section 六 states the year's fee notices and the fees actually paid, counted from the cases."""

from __future__ import annotations

import pytest

from models.db import session_scope
from reports.document import blocks
from reports.inputs import save_inputs
from tests.reports.helpers import report
from tests.support import TESTER, D, organ_with_staff, receive, step

pytestmark = pytest.mark.usefixtures("any_db")


def section6(rep: dict) -> list[str]:
    out, inside = [], False
    for b in blocks(rep):
        if b.kind == "heading":
            inside = b.name == "other"
        elif inside:
            out.append(b.text)
    return out


def test_a_year_without_fee_notices_says_no_fee_was_charged() -> None:
    organ_with_staff()
    receive(D(2024, 3, 1), ref="A-1")
    rep = report("east", 2024)
    assert rep["fees"] == {"notices": 0, "paid": 0, "total_paid": 0}
    assert section6(rep) == ["本年度未收取信息处理费。"]


def test_the_sentence_counts_the_notices_of_the_year_and_what_was_paid_and_keeps_the_users_text() -> None:
    organ_with_staff()
    for ref in ("F-1", "F-2", "F-3"):
        receive(D(2024, 3, 1), ref=ref)
    step("F-1", "notify_fee", on=D(2024, 3, 4), amount="200")
    step("F-1", "receive_payment", on=D(2024, 3, 8))
    step("F-2", "notify_fee", on=D(2024, 3, 4), amount="1100.50")
    step("F-2", "receive_payment", on=D(2024, 3, 11))
    step("F-3", "notify_fee", on=D(2024, 3, 4), amount="300")
    step("F-3", "lapse_fee", on=D(2024, 4, 15))
    receive(D(2024, 12, 2), ref="F-4")  # noticed in December, paid in January: the next year's payment
    step("F-4", "notify_fee", on=D(2024, 12, 20), amount="100")
    step("F-4", "receive_payment", on=D(2025, 1, 6))
    with session_scope() as s:
        save_inputs(s, "east", 2024, {"narrative": {"other": "本年度无其他需要报告的事项。"}}, actor=TESTER)
    rep = report("east", 2024)
    assert rep["fees"] == {"notices": 4, "paid": 2, "total_paid": 1300.5}
    assert section6(rep) == [
        "本年度共发出收费通知4件，实际收取信息处理费1300.5元。",
        "本年度无其他需要报告的事项。",
    ]
    assert report("east", 2025)["fees"] == {"notices": 0, "paid": 1, "total_paid": 100}
