"""The annual plan and results submission: this year's plan beside last year's results, agreeing to the won with
the dashboards, with ratios to each category's own denominator and last year's channels."""
from __future__ import annotations

import csv
import io
from datetime import date

from market.catalog.kinds import SEVERELY_DISABLED
from market.extensions import db
from market.reports import services, submission
from market.reports.models import ACTUAL, PLANNED, SOCIAL_ECONOMY
from market.reports.services import Goal
from tests import factories

YEAR, LAST = 2026, 2025
SEVERELY = SEVERELY_DISABLED


def _world(world):
    city, x = world.users.city, world.agency_x
    services.set_totals(city, x, YEAR, PLANNED, {"goods": 600_000_000, "services": 400_000_000, "works": 1_000_000_000})
    services.set_totals(city, x, LAST, ACTUAL, {"goods": 500_000_000, "services": 300_000_000, "works": 200_000_000})
    services.set_targets(city, x, YEAR, {SOCIAL_ECONOMY: 40_000_000, SEVERELY: Goal("percent", rate_bp=100)})
    services.set_targets(city, x, LAST, {SOCIAL_ECONOMY: 10_000_000})
    factories.purchase_order(x, world.enterprise_a, world.users.agency_x, total=4_000_000,
                             contract_date=date(LAST, 5, 1), status="closed")
    factories.off_platform_purchase(x, world.enterprise_a, world.users.agency_x, amount=1_000_000,
                                    contract_date=date(LAST, 6, 1), channel="pps", status="verified")
    db.session.commit()


def _row(rows, agency, category):
    return next(r for r in rows if r.agency.id == agency.id and r.category == category)


def test_the_submission_agrees_with_the_dashboards_and_splits_last_year_by_channel(world):
    _world(world)
    rows = submission.rows(YEAR)
    total = _row(rows, world.agency_x, SOCIAL_ECONOMY)
    dashboard_last = next(r for r in services.city_table(LAST) if r.agency.id == world.agency_x.id)
    assert total.last_actual_krw == dashboard_last.actual_krw == 5_000_000
    assert total.last_by_channel == {"platform": 4_000_000, "own_contract": 0, "pps": 1_000_000, "other_platform": 0}
    assert sum(total.last_by_channel.values()) == total.last_actual_krw
    assert (total.plan_base_krw, total.plan_target_krw, total.plan_ratio_bp) == (2_000_000_000, 40_000_000, 200)
    assert (total.last_base_krw, total.last_ratio_bp, total.last_attainment_percent) == (1_000_000_000, 50, 50)
    # The severely-disabled producers' share is of goods and services only.
    severely = _row(rows, world.agency_x, SEVERELY)
    assert (severely.plan_base_krw, severely.plan_target_krw, severely.plan_ratio_bp) == \
        (1_000_000_000, 10_000_000, 100)


def test_the_submission_downloads_and_prints_for_the_agency_and_the_city(world, as_user):
    _world(world)
    city = as_user(world.users.city)
    city.post("/language/en")
    rows = list(csv.reader(io.StringIO(city.get(f"/reports/submission.csv?year={YEAR}").data.decode("utf-8-sig"))))
    assert rows[0][:4] == ["Agency", "Category", f"{YEAR} planned purchases (won)", f"{YEAR} target (won)"]
    line = next(r for r in rows if r[0] == world.agency_x.name and r[1] == "Social economy (total)")
    assert line[2:10] == ["2000000000", "40000000", "2", "1000000000", "10000000", "5000000", "0.5", "50"]
    assert city.get(f"/reports/submission.xlsx?year={YEAR}").status_code == 200
    page = city.get(f"/reports/agencies/{world.agency_x.id}/submission?year={YEAR}").get_data(as_text=True)
    assert "5,000,000" in page and "40,000,000" in page
    assert as_user(world.users.agency_y).get(f"/reports/agencies/{world.agency_x.id}/submission.csv").status_code == 403
