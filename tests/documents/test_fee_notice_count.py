"""A fee notice charged by count prints the application's count (件数): the position the service
recorded, or, for a notice imported with only its amount, the band that amount is the price of."""

from __future__ import annotations

from documents.context import fee_details
from workflow.fees import count_tier, count_tier_of


def test_a_fee_notice_by_count_prints_the_recorded_position() -> None:
    details = fee_details({"method": "count", "count": 12, "amount": "100", "computed_amount": "100"})
    assert details["count"] == "第12件" and details["tiers"] == ["第11–30件：1件×100元＝100元"]


def test_an_imported_fee_notice_by_count_prints_the_band_its_amount_gives() -> None:
    details = fee_details({"method": "count", "amount": "400"})
    assert details["count"] == "第51–60件" and details["tiers"] == ["第51–60件：1件×400元＝400元"]


def test_an_amount_no_band_has_leaves_the_count_to_the_record() -> None:
    assert fee_details({"method": "count", "amount": "150", "reason": "减半"})["count"] == ""


def test_a_fee_notice_by_pages_has_no_count() -> None:
    assert fee_details({"method": "pages", "pages": 40, "amount": "100"})["count"] == ""


def test_every_band_by_count_is_told_by_its_price_alone() -> None:
    for position in range(11, 400):
        tier = count_tier(position)
        assert count_tier_of(tier.price) == tier
