"""/reports/attainment: the reports' own figures, to the won, for every agency and category."""
from __future__ import annotations

from datetime import date

import pytest

from market.core.timeutil import seoul_today
from market.extensions import db
from market.reports import queries, services
from market.reports.models import SOCIAL_ECONOMY, PurchaseTarget
from tests import factories
from tests.api import API, assert_conforms

YEAR = 2026


@pytest.fixture
def year_of_orders(world):
    """Agency X buys from A (certified social enterprise since 2020) and from B (preliminary, verified from
    1 June 2026); agency Y from A. Some orders must not count: cancelled, declined, before B's designation,
    last year."""
    world.order_x.status = "cancelled"
    world.order_x.contract_date = date(YEAR, 1, 20)
    world.cert_b.status = "verified"
    world.cert_b.valid_from, world.cert_b.valid_to = date(YEAR, 6, 1), date(YEAR + 3, 5, 31)
    x, y = world.users.agency_x, world.users.agency_y

    def order(agency, person, enterprise, total, day, status="placed"):
        return factories.purchase_order(agency, enterprise, person, total=total, status=status, contract_date=day)

    order(world.agency_x, x, world.enterprise_a, 1_100_000, date(YEAR, 2, 10))
    order(world.agency_x, x, world.enterprise_a, 5_000_000, date(YEAR, 8, 1), status="declined")
    order(world.agency_x, x, world.enterprise_b, 330_000, date(YEAR, 3, 1))  # before B's designation
    order(world.agency_x, x, world.enterprise_b, 440_000, date(YEAR, 9, 1))
    order(world.agency_x, x, world.enterprise_a, 7_700_000, date(YEAR - 1, 12, 31))
    order(world.agency_y, y, world.enterprise_a, 2_200_000, date(YEAR, 7, 1), status="closed")
    admin = world.users.city
    for agency, category, amount in ((world.agency_x, SOCIAL_ECONOMY, 10_000_000),
                                     (world.agency_x, "social_enterprise", 2_000_000),
                                     (world.agency_y, SOCIAL_ECONOMY, 0)):
        db.session.add(PurchaseTarget(agency_id=agency.id, year=YEAR, category=category, amount_krw=amount,
                                      set_by_id=admin.id))
    db.session.commit()
    return world


def _figures(client, query: str = "") -> dict:
    body = client.get(f"{API}/reports/attainment?year={YEAR}&per_page=100{query}").get_json()
    return {(row["agency"]["id"], row["category"]): (row["target_krw"], row["actual_krw"], row["percent"])
            for row in body["data"]}


def test_every_figure_agrees_to_the_won_with_the_reports_city_table(client, year_of_orders):
    expected = {(row.agency.id, category): (row.target_krw, row.actual_krw, row.percent)
                for category in queries.CATEGORIES for row in services.city_table(YEAR, category)}
    assert _figures(client) == expected
    assert len(expected) == 2 * len(queries.CATEGORIES)


def test_cancelled_declined_last_years_and_uncertified_orders_do_not_count(client, year_of_orders):
    x, y = year_of_orders.agency_x.id, year_of_orders.agency_y.id
    figures = _figures(client)
    assert figures[(x, SOCIAL_ECONOMY)] == (10_000_000, 1_100_000 + 440_000, 15)
    assert figures[(x, "social_enterprise")] == (2_000_000, 1_100_000, 55)
    assert figures[(x, "preliminary_social_enterprise")] == (None, 440_000, None)
    assert figures[(x, "women_owned")] == (None, 0, None)
    assert figures[(y, SOCIAL_ECONOMY)] == (0, 2_200_000, None)  # a zero target has no percentage


def test_filters_by_agency_and_category(client, year_of_orders):
    x = year_of_orders.agency_x.id
    assert _figures(client, f"&agency={x}&category=social_enterprise") == {(x, "social_enterprise"):
                                                                            (2_000_000, 1_100_000, 55)}
    assert set(_figures(client, f"&agency={x}")) == {(x, category) for category in queries.CATEGORIES}


def test_rows_are_paginated_and_every_answer_matches_the_openapi_document(client, year_of_orders):
    response = client.get(f"{API}/reports/attainment?year={YEAR}&per_page=3&page=2")
    assert response.status_code == 200
    assert_conforms(client, response)
    body = response.get_json()
    assert (body["total"], body["pages"], len(body["data"])) == (2 * len(queries.CATEGORIES), 7, 3)
    assert f"year={YEAR}" in body["links"]["next"]


def test_the_year_defaults_to_the_current_year_in_korea_and_the_links_name_it(client, world):
    body = client.get(f"{API}/reports/attainment").get_json()
    year = seoul_today().year
    assert {row["year"] for row in body["data"]} == {year}
    assert f"year={year}" in body["links"]["self"]


@pytest.mark.parametrize("query", ["year=1999", "year=twenty", "year=2026&year=2027", "category=everything",
                                   "agency=0", "agency=abc", "page=0", "sort=name"])
def test_bad_parameters_are_refused_in_the_api_error_format(client, world, query):
    response = client.get(f"{API}/reports/attainment?{query}")
    assert response.status_code == 400
    assert_conforms(client, response)
    assert response.get_json()["error"] == "bad_parameter"


def test_an_id_that_is_not_an_approved_agency_is_refused(client, world):
    pending = factories.organization("agency", status="pending")
    db.session.commit()
    for org_id in (world.enterprise_a.id, pending.id, 999_999):
        response = client.get(f"{API}/reports/attainment?agency={org_id}")
        assert response.status_code == 400 and response.get_json()["parameter"] == "agency"


def test_the_figures_cost_the_same_number_of_queries_for_2_or_12_agencies(client, year_of_orders, count_queries):
    client.get(f"{API}/reports/attainment?year={YEAR}")  # warm up
    with count_queries() as few:
        client.get(f"{API}/reports/attainment?year={YEAR}&per_page=100")
    for n in range(10):
        agency = factories.organization("agency", name=f"기관 {n:02d}")
        factories.purchase_order(agency, year_of_orders.enterprise_a, year_of_orders.users.agency_x,
                                 contract_date=date(YEAR, 5, 1))
    db.session.commit()
    with count_queries() as many:
        body = client.get(f"{API}/reports/attainment?year={YEAR}&per_page=100").get_json()
    assert body["total"] == 12 * len(queries.CATEGORIES)
    assert many.count == few.count, many.statements
