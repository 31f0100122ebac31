"""信息处理费 arithmetic under 国办函〔2020〕109号 (Art. 42 of the Regulations): pure, in yuan.

Two methods, one per application, progressive on the excess:

- 按件 (``count``): the applicant's applications to one organ in one calendar month; the 1st–10th
  are free, the 11th–30th cost 100 yuan each, then each further band of ten costs 100 yuan more per
  application (31st–40th 200, 41st–50th 300, …). An application's fee is the price of its own
  position in the month.
- 按量 (``pages``): pages 1–30 free, 31–100 at 10 yuan, 101–200 at 20, 201 and over at 40 a page,
  counted per application, or (a setting) cumulatively over the applicant's month, in which case the
  application's pages are the positions after the ``earlier`` pages of that month.

No session, no settings (the pure-rules contract): the callers find the position and the pages.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from typing import Any

from codes.labels import FEE_METHOD_LABELS as _FEE_METHOD_LABELS


class FeeMethod(StrEnum):
    by_count = "count"  # 按件
    by_pages = "pages"  # 按量


FEE_METHOD_LABELS = {m: _FEE_METHOD_LABELS[m] for m in FeeMethod}  # Chinese; codes.labels has both
FREE_APPLICATIONS = 10  # a month's first ten applications cost nothing
MAX_UNITS = 1_000_000  # a bound on a typed count or page number, far above any real request


@dataclass(frozen=True)
class Tier:
    """Units `first`..`last` (inclusive; `last` None: no upper end) at `price` yuan each."""

    first: int
    last: int | None
    price: int


PAGE_TIERS = (Tier(1, 30, 0), Tier(31, 100, 10), Tier(101, 200, 20), Tier(201, None, 40))


def count_tier(position: int) -> Tier:
    """The band of the `position`-th application of the month (1-based)."""
    if position < 1:
        raise ValueError(f"an application's position in its month starts at 1, got {position}")
    if position <= FREE_APPLICATIONS:
        return Tier(1, FREE_APPLICATIONS, 0)
    if position <= 30:
        return Tier(11, 30, 100)
    band = (position - 31) // 10  # 31–40 is band 0
    first = 31 + 10 * band
    return Tier(first, first + 9, 200 + 100 * band)


def count_tier_of(amount: Decimal | int | str) -> Tier | None:
    """The band an application charged by count falls in, from its fee alone: every band has its
    own price (11–30: 100 yuan, then 100 more each ten), so an amount recorded without the
    position (an imported fee notice) still tells the band. None when no band has that price."""
    price = Decimal(str(amount))
    if price == 100:
        return Tier(11, 30, 100)
    if price >= 200 and price % 100 == 0:
        first = 31 + 10 * int((price - 200) // 100)
        return Tier(first, first + 9, int(price))
    return None


@dataclass(frozen=True)
class TierLine:
    """The units of one application that fall in one tier."""

    tier: Tier
    units: int

    @property
    def subtotal(self) -> int:
        return self.units * self.tier.price

    def to_json(self) -> dict[str, Any]:
        t = self.tier
        return {
            "from": t.first,
            "to": t.last,
            "units": self.units,
            "price": t.price,
            "subtotal": self.subtotal,
        }


@dataclass(frozen=True)
class Quote:
    """An application's fee: its method, its position (count) or pages, the tiers, the amount."""

    method: FeeMethod
    count: int | None
    pages: int | None
    lines: tuple[TierLine, ...]

    @property
    def amount(self) -> int:
        """In yuan: the sum of the tiers' subtotals."""
        return sum(line.subtotal for line in self.lines)

    def to_json(self) -> dict[str, Any]:
        """`ogi fee quote --json`: {"method", "count", "pages", "tiers": [{"from", "to", "units",
        "price", "subtotal"}], "amount"}, amounts in yuan."""
        return {
            "method": self.method.value,
            "count": self.count,
            "pages": self.pages,
            "tiers": [line.to_json() for line in self.lines],
            "amount": self.amount,
        }


def _bounded(value: int, what: str) -> int:
    if not 1 <= value <= MAX_UNITS:
        raise ValueError(f"{what} must be 1–{MAX_UNITS}, got {value}")
    return value


def quote_count(position: int) -> Quote:
    """按件: the fee of the `position`-th application of the applicant's month at one organ."""
    tier = count_tier(_bounded(position, "the position in the month"))
    return Quote(FeeMethod.by_count, position, None, (TierLine(tier, 1),))


def quote_pages(pages: int, *, earlier: int = 0) -> Quote:
    """按量: `pages` pages, after `earlier` pages already counted in the month (0: per application)."""
    _bounded(pages, "the number of pages")
    if earlier < 0:
        raise ValueError(f"earlier pages cannot be negative, got {earlier}")
    first, last = earlier + 1, earlier + pages
    lines = []
    for tier in PAGE_TIERS:
        top = last if tier.last is None else min(last, tier.last)
        units = top - max(first, tier.first) + 1
        if units > 0:
            lines.append(TierLine(tier, units))
    return Quote(FeeMethod.by_pages, None, pages, tuple(lines))
