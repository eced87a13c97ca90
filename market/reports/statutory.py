"""Which of an agency's purchases a percentage target applies to, and the rates the law sets.

Rates change by decree: a change is a new row with the year it applies from, never an edit of code elsewhere."""
from __future__ import annotations

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l

from market.catalog.kinds import DISABLED_OWNED, SEVERELY_DISABLED, WOMEN_OWNED
from market.reports.models import PARTS

# The denominator of a category's percentage target; every other category counts goods + services + works.
DENOMINATORS = {
    SEVERELY_DISABLED: ("goods", "services"),
    WOMEN_OWNED: ("goods", "services"),  # works have a rate of their own (works_rate_bp)
}


def denominator(category: str) -> tuple[str, ...]:
    return DENOMINATORS.get(category, PARTS)


@dataclass(frozen=True)
class StatutoryRate:
    category: str
    from_year: int
    rate_bp: int  # basis points of the category's denominator: 1% = 100
    works_rate_bp: int | None
    basis: object  # the law, as people cite it


STATUTORY_RATES = (
    # 중증장애인생산품 우선구매 특별법 제7조, 시행령 제9조: 1% of purchases of goods and services (works excluded).
    StatutoryRate(SEVERELY_DISABLED, 2020, 100, None,
                  _l("Severely Disabled Persons' Products Act, art. 7: 1 percent of goods and services")),
    # 장애인기업활동 촉진법 제9조의2, 시행령 제7조의2: 1% of total purchases.
    StatutoryRate(DISABLED_OWNED, 2020, 100, None,
                  _l("Disabled Persons' Enterprise Activities Act, art. 9-2: 1 percent of total purchases")),
    # 여성기업지원에 관한 법률 제9조, 시행령 제7조: 5% of goods and services, 3% of works.
    StatutoryRate(WOMEN_OWNED, 2020, 500, 300,
                  _l("Female-Owned Businesses Support Act, art. 9: 5 percent of goods and services, "
                     "3 percent of works")),
)


def statutory_rates(year: int) -> dict[str, StatutoryRate]:
    """The rate in force in `year` for each category the law sets one for."""
    found: dict[str, StatutoryRate] = {}
    for rate in sorted(STATUTORY_RATES, key=lambda r: r.from_year):
        if rate.from_year <= year:
            found[rate.category] = rate
    return found
