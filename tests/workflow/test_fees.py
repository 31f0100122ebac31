"""信息处理费 under 国办函〔2020〕109号: the tier tables at their boundaries, and their properties."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from workflow.fees import MAX_UNITS, count_tier, quote_count, quote_pages


@pytest.mark.parametrize(
    ("position", "amount"),
    [(1, 0), (10, 0), (11, 100), (30, 100), (31, 200), (40, 200), (41, 300), (50, 300), (51, 400), (61, 500)],
)
def test_by_count_the_first_ten_are_free_then_100_each_to_30_then_100_more_per_band_of_ten(
    position: int, amount: int
) -> None:
    q = quote_count(position)
    assert q.amount == amount and q.count == position and q.pages is None
    assert [line.units for line in q.lines] == [1]


@pytest.mark.parametrize(
    ("pages", "amount"),
    [(1, 0), (30, 0), (31, 10), (100, 700), (101, 720), (200, 2700), (201, 2740), (250, 4700)],
)
def test_by_pages_30_are_free_then_10_to_100_then_20_to_200_then_40_a_page(pages: int, amount: int) -> None:
    assert quote_pages(pages).amount == amount


def test_a_quote_lists_each_tier_with_its_units_price_and_subtotal_as_the_json_promises() -> None:
    assert quote_pages(120).to_json() == {
        "method": "pages",
        "count": None,
        "pages": 120,
        "tiers": [
            {"from": 1, "to": 30, "units": 30, "price": 0, "subtotal": 0},
            {"from": 31, "to": 100, "units": 70, "price": 10, "subtotal": 700},
            {"from": 101, "to": 200, "units": 20, "price": 20, "subtotal": 400},
        ],
        "amount": 1100,
    }
    assert quote_count(35).to_json()["tiers"] == [
        {"from": 31, "to": 40, "units": 1, "price": 200, "subtotal": 200}
    ]


def test_cumulative_pages_start_after_the_pages_already_counted_in_the_month() -> None:
    q = quote_pages(20, earlier=25)  # pages 26..45: 5 free, 15 at 10
    assert q.amount == 150 and [(line.tier.first, line.units) for line in q.lines] == [(1, 5), (31, 15)]


units = st.integers(min_value=1, max_value=5_000)


@given(units, units)
def test_the_amount_is_monotone_in_the_count_and_in_the_pages(a: int, b: int) -> None:
    lo, hi = sorted((a, b))
    assert quote_count(lo).amount <= quote_count(hi).amount
    assert quote_pages(lo).amount <= quote_pages(hi).amount


@given(units, st.integers(min_value=0, max_value=5_000))
def test_the_amount_is_the_sum_of_the_tier_subtotals_and_cumulative_pages_add_up(
    pages: int, earlier: int
) -> None:
    q = quote_pages(pages, earlier=earlier)
    assert q.amount == sum(line.units * line.tier.price for line in q.lines)
    assert sum(line.units for line in q.lines) == pages
    # counting the month's pages in two notices costs what counting them in one does
    if earlier:
        assert quote_pages(earlier).amount + q.amount == quote_pages(earlier + pages).amount


@given(st.integers(min_value=1, max_value=MAX_UNITS))
def test_every_position_falls_in_exactly_one_band_holding_it(position: int) -> None:
    tier = count_tier(position)
    assert tier.first <= position <= (tier.last or position)


def test_a_position_or_page_count_out_of_range_is_refused() -> None:
    for bad in (0, MAX_UNITS + 1):
        with pytest.raises(ValueError, match="must be"):
            quote_pages(bad)
        with pytest.raises(ValueError, match="must be"):
            quote_count(bad)
