"""The annual plan and results submission (우선구매 계획·실적 제출): for each agency and category, this year's
plan next to last year's results, as the ministries' forms lay them out — ratios to the agency's total
purchases (each category with its own denominator), and last year's purchases by channel.

Everything is read from the same places as the dashboards (targets, totals, the counted base), in a fixed
number of queries whatever the number of agencies.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from market.accounts.models import Organization
from market.reports import queries, services
from market.reports.models import ACTUAL, CHANNELS, PLANNED, PurchaseTotal
from market.reports.statutory import denominator


@dataclass
class SubmissionRow:
    agency: Organization
    category: str
    plan_base_krw: int | None  # this year's planned purchases that the category's ratio is of
    plan_target_krw: int | None
    last_base_krw: int | None  # last year's purchases (actual, else planned), same denominator
    last_target_krw: int | None
    last_actual_krw: int
    last_by_channel: dict[str, int] = field(default_factory=dict)
    last_reason: str | None = None

    @staticmethod
    def _bp(part: int | None, whole: int | None) -> int | None:
        """Basis points (1 % = 100), rounded down; None when there is nothing to divide by."""
        return None if part is None or not whole else part * 10_000 // whole

    @property
    def plan_ratio_bp(self) -> int | None:
        return self._bp(self.plan_target_krw, self.plan_base_krw)

    @property
    def last_ratio_bp(self) -> int | None:
        return self._bp(self.last_actual_krw, self.last_base_krw)

    @property
    def last_attainment_percent(self) -> int | None:
        return None if not self.last_target_krw else self.last_actual_krw * 100 // self.last_target_krw


def _base(total: PurchaseTotal | None, category: str) -> int | None:
    return None if total is None else sum(total.part(part) for part in denominator(category))


def rows(year: int, agency_id: int | None = None) -> list[SubmissionRow]:
    last = year - 1
    plan_targets, last_targets = services.targets(year, agency_id), services.targets(last, agency_id)
    plan_totals, last_totals = services.totals(year, agency_id), services.totals(last, agency_id)
    actuals, reasons = queries.actuals(last, agency_id), services.shortfall_reasons(last, agency_id)
    channels = {category: queries.by_channel(last, category, agency_id) for category in queries.CATEGORIES}
    found = []
    for agency in services.agencies():
        if agency_id not in (None, agency.id):
            continue
        planned = plan_totals.get(agency.id, {}).get(PLANNED)
        last_stages = last_totals.get(agency.id, {})
        last_total = last_stages.get(ACTUAL) or last_stages.get(PLANNED)
        for category in queries.CATEGORIES:
            found.append(SubmissionRow(
                agency=agency, category=category, plan_base_krw=_base(planned, category),
                plan_target_krw=plan_targets.get((agency.id, category)),
                last_base_krw=_base(last_total, category), last_target_krw=last_targets.get((agency.id, category)),
                last_actual_krw=actuals.get((agency.id, category), 0),
                last_by_channel={c: channels[category].get((agency.id, c), 0) for c in CHANNELS},
                last_reason=reasons.get((agency.id, category))))
    return found
