"""Attainment: what counts, in which category, for which year; and every view of it agrees to the won."""
from __future__ import annotations

import csv
import io
from datetime import date

import pytest

from market.extensions import db
from market.reports import queries, services
from market.reports.models import SOCIAL_ECONOMY
from tests import factories

YEAR = 2026


@pytest.fixture
def year_of_orders(world):
    """Agency X buys from A (certified social enterprise since 2020) and from B (preliminary, verified from
    1 June 2026), and from an enterprise without any certification."""
    world.order_x.status = "cancelled"  # the world's own order does not count here
    world.cert_b.status = "verified"
    world.cert_b.valid_from, world.cert_b.valid_to = date(2026, 6, 1), date(2029, 5, 31)
    plain = factories.organization(name="일반 기업")
    person_x = world.users.agency_x

    def order(enterprise, total, day, status="placed"):
        return factories.purchase_order(world.agency_x, enterprise, person_x, total=total, status=status,
                                        contract_date=day)

    order(world.enterprise_a, 1_100_000, date(2026, 2, 10))
    order(world.enterprise_a, 2_200_000, date(2026, 7, 1), status="closed")
    order(world.enterprise_a, 5_000_000, date(2026, 8, 1), status="cancelled")
    order(world.enterprise_b, 330_000, date(2026, 3, 1))        # before B's designation: not social economy
    order(world.enterprise_b, 440_000, date(2026, 9, 1))        # after it: counts
    order(plain, 9_900_000, date(2026, 4, 1))
    order(world.enterprise_a, 7_700_000, date(2025, 12, 31))    # last year
    db.session.commit()
    return world


def test_orders_count_only_within_the_year_and_never_when_cancelled(year_of_orders):
    done = queries.actuals(YEAR)
    assert done[(year_of_orders.agency_x.id, "social_enterprise")] == 3_300_000


def test_a_certification_counts_only_when_valid_on_the_contract_date(year_of_orders):
    done = queries.actuals(YEAR)
    assert done[(year_of_orders.agency_x.id, "preliminary_social_enterprise")] == 440_000


def test_unverified_certifications_never_count(year_of_orders):
    year_of_orders.cert_b.status = "pending"
    db.session.commit()
    assert (year_of_orders.agency_x.id, "preliminary_social_enterprise") not in queries.actuals(YEAR)


def test_an_order_counts_once_in_the_total_even_with_several_certifications(year_of_orders):
    factories.certification(year_of_orders.enterprise_a, "women_owned", valid_from=date(2020, 1, 1))
    db.session.commit()
    done = queries.actuals(YEAR)
    assert done[(year_of_orders.agency_x.id, "women_owned")] == 3_300_000
    assert done[(year_of_orders.agency_x.id, SOCIAL_ECONOMY)] == 3_300_000 + 440_000


def test_an_order_counts_once_per_kind_even_with_two_valid_certifications_of_that_kind(year_of_orders):
    factories.certification(year_of_orders.enterprise_a, "social_enterprise", valid_from=date(2024, 1, 1))
    factories.certification(year_of_orders.enterprise_a, "social_enterprise", valid_from=date(2026, 5, 1))
    db.session.commit()
    done = queries.actuals(YEAR)
    assert done[(year_of_orders.agency_x.id, "social_enterprise")] == 3_300_000
    assert done[(year_of_orders.agency_x.id, SOCIAL_ECONOMY)] == 3_300_000 + 440_000


def test_one_categorys_actuals_are_that_category_of_all_actuals(year_of_orders):
    factories.certification(year_of_orders.enterprise_a, "women_owned", valid_from=date(2020, 1, 1))
    db.session.commit()
    everything = queries.actuals(YEAR)
    for category in queries.CATEGORIES:
        assert queries.actuals(YEAR, category=category) == {
            key: won for key, won in everything.items() if key[1] == category}


def test_platform_total_includes_enterprises_without_certification(year_of_orders):
    assert queries.platform_totals(YEAR)[year_of_orders.agency_x.id] == 1_100_000 + 2_200_000 + 330_000 + 440_000 + 9_900_000


def test_monthly_figures_add_up_to_the_total(year_of_orders):
    monthly = queries.monthly(YEAR, SOCIAL_ECONOMY, year_of_orders.agency_x.id)
    assert monthly[1] == 1_100_000 and monthly[6] == 2_200_000 and monthly[8] == 440_000
    assert sum(monthly) == queries.actuals(YEAR)[(year_of_orders.agency_x.id, SOCIAL_ECONOMY)]


def test_targets_are_set_by_the_city_and_audited(year_of_orders, as_user):
    client = as_user(year_of_orders.users.city)
    response = client.post(f"/reports/agencies/{year_of_orders.agency_x.id}/targets?year={YEAR}",
                           data={"target-social_economy": "10,000,000", "target-women_owned": ""})
    assert response.status_code == 302
    assert services.targets(YEAR, year_of_orders.agency_x.id) == {(year_of_orders.agency_x.id, SOCIAL_ECONOMY): 10_000_000}


def test_a_bad_target_changes_nothing(year_of_orders, as_user):
    client = as_user(year_of_orders.users.city)
    response = client.post(f"/reports/agencies/{year_of_orders.agency_x.id}/targets?year={YEAR}",
                           data={"target-social_economy": "-5"})
    assert response.status_code == 400 and services.targets(YEAR) == {}


def test_an_agency_cannot_set_its_own_targets(year_of_orders):
    from market.core.errors import NotAllowed

    with pytest.raises(NotAllowed):
        services.set_targets(year_of_orders.users.agency_x, year_of_orders.agency_x, YEAR, {SOCIAL_ECONOMY: 1})


def test_dashboard_export_and_drill_down_agree_to_the_won(year_of_orders, as_user):
    services.set_targets(year_of_orders.users.city, year_of_orders.agency_x, YEAR, {SOCIAL_ECONOMY: 7_480_000})
    db.session.commit()
    city = as_user(year_of_orders.users.city)
    expected = 3_300_000 + 440_000
    dashboard = city.get(f"/reports/?year={YEAR}").get_data(as_text=True)
    assert f"{expected:,}원" in dashboard and "50%" in dashboard
    rows = list(csv.reader(io.StringIO(city.get(f"/reports/city.csv?year={YEAR}").data.decode("utf-8-sig"))))
    row = next(r for r in rows if r[0] == year_of_orders.agency_x.name)
    assert row[2:5] == ["7480000", str(expected), "50"]
    assert row[-1] == ""  # no shortfall reason written
    drill = city.get(f"/reports/agencies/{year_of_orders.agency_x.id}/orders?year={YEAR}").get_data(as_text=True)
    assert f"{expected:,}원" in drill
    agency_page = as_user(year_of_orders.users.agency_x).get(
        f"/reports/agencies/{year_of_orders.agency_x.id}?year={YEAR}").get_data(as_text=True)
    assert f"{expected:,}원" in agency_page


def test_an_agency_never_sees_another_agencys_figures(year_of_orders, as_user):
    client = as_user(year_of_orders.users.agency_y)
    assert client.get(f"/reports/agencies/{year_of_orders.agency_x.id}").status_code == 403
    assert client.get("/reports/").headers["Location"].endswith(f"/reports/agencies/{year_of_orders.agency_y.id}")
