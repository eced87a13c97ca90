"""Targets in won or as a percentage of the agency's totals, proposed by the agency and approved by the city;
shortfall reasons; certificates and the public figure that must agree with the dashboards to the won."""
from __future__ import annotations

import csv
import io
import re
from datetime import date

import pytest
import sqlalchemy as sa

from market.accounts.models import Role
from market.core.errors import NotAllowed
from market.core.models import AuditEntry, Notification
from market.extensions import db
from market.reports import queries, services
from market.reports.models import ACTUAL, PERCENT, PLANNED, SOCIAL_ECONOMY, PurchaseTotal, TargetProposal
from market.reports.services import Goal
from tests import factories

YEAR = 2026
SEVERELY, WOMEN = "severely_disabled_facility", "women_owned"


@pytest.fixture
def agency(world):
    """Agency X with a manager, planned totals of 100M goods, 50M services and 200M works, and two counted
    orders with A (certified social enterprise, also women-owned): 3,300,000 won."""
    world.manager_x = factories.user(world.agency_x, Role.MANAGER, email="mx@example.kr")
    world.order_x.status = "cancelled"
    factories.certification(world.enterprise_a, WOMEN)
    for total, day in ((1_100_000, date(2026, 2, 10)), (2_200_000, date(2026, 7, 1))):
        factories.purchase_order(world.agency_x, world.enterprise_a, world.users.agency_x, total=total,
                                 contract_date=day)
    services.set_totals(world.users.city, world.agency_x, YEAR, PLANNED,
                        {"goods": 100_000_000, "services": 50_000_000, "works": 200_000_000})
    db.session.commit()
    return world


def percent(rate_bp, works_rate_bp=None):
    return Goal(PERCENT, rate_bp=rate_bp, works_rate_bp=works_rate_bp)


def test_a_percentage_target_is_that_share_of_goods_services_and_works(agency):
    services.set_targets(agency.users.city, agency.agency_x, YEAR, {SOCIAL_ECONOMY: percent(150)})
    assert services.targets(YEAR, agency.agency_x.id) == {(agency.agency_x.id, SOCIAL_ECONOMY): 5_250_000}


def test_severely_disabled_producers_leave_works_out_and_women_owned_have_their_own_works_rate(agency):
    services.set_targets(agency.users.city, agency.agency_x, YEAR, {SEVERELY: percent(100), WOMEN: percent(500, 300)})
    won = services.targets(YEAR, agency.agency_x.id)
    assert won[(agency.agency_x.id, SEVERELY)] == 1_500_000                      # 1% of 150M, not of 350M
    assert won[(agency.agency_x.id, WOMEN)] == 7_500_000 + 6_000_000             # 5% of 150M + 3% of 200M


def test_planned_totals_count_until_actual_ones_are_entered(agency, as_user):
    services.set_targets(agency.users.city, agency.agency_x, YEAR, {SOCIAL_ECONOMY: percent(100)})
    db.session.commit()
    assert services.targets(YEAR)[(agency.agency_x.id, SOCIAL_ECONOMY)] == 3_500_000
    page = as_user(agency.manager_x).get(f"/reports/agencies/{agency.agency_x.id}?year={YEAR}").get_data(as_text=True)
    assert "계획" in page and "3,500,000원" in page
    response = as_user(agency.manager_x).post(
        f"/reports/agencies/{agency.agency_x.id}/totals?year={YEAR}",
        data={"planned-goods": "100,000,000", "planned-services": "50000000", "planned-works": "200000000",
              "actual-goods": "80,000,000", "actual-services": "40,000,000", "actual-works": "0"})
    assert response.status_code == 302
    assert services.targets(YEAR)[(agency.agency_x.id, SOCIAL_ECONOMY)] == 1_200_000
    assert db.session.scalar(sa.select(sa.func.count()).select_from(AuditEntry)
                             .where(AuditEntry.action == "purchase_totals.update")) == 2


def test_a_percentage_without_totals_is_no_target_yet(agency):
    services.set_totals(agency.users.city, agency.agency_x, YEAR, PLANNED, None)
    services.set_targets(agency.users.city, agency.agency_x, YEAR, {SOCIAL_ECONOMY: percent(100)})
    assert services.targets(YEAR) == {}


def test_incomplete_totals_are_refused_and_change_nothing(agency, as_user):
    response = as_user(agency.manager_x).post(
        f"/reports/agencies/{agency.agency_x.id}/totals?year={YEAR}",
        data={"planned-goods": "1", "planned-services": "", "planned-works": "2"})
    assert response.status_code == 400 and 'value="2"' in response.get_data(as_text=True)
    planned = db.session.scalar(sa.select(PurchaseTotal).where(PurchaseTotal.stage == PLANNED))
    assert planned.goods_krw == 100_000_000
    assert db.session.scalar(sa.select(PurchaseTotal).where(PurchaseTotal.stage == ACTUAL)) is None


def test_a_buyer_does_not_enter_the_agencys_totals(agency, as_user):
    assert as_user(agency.users.agency_x).post(f"/reports/agencies/{agency.agency_x.id}/totals",
                                               data={"planned-goods": "1"}).status_code == 403


def test_the_targets_form_starts_from_the_statutory_rates(agency, as_user):
    html = as_user(agency.users.city).get(f"/reports/agencies/{agency.agency_x.id}/targets?year={YEAR}") \
        .get_data(as_text=True)
    assert 'name="target-severely_disabled_facility" value="1"' in html
    assert 'name="target-women_owned" value="5"' in html and 'name="works-women_owned" value="3"' in html
    assert 'name="target-disabled_owned" value="1"' in html and 'name="target-social_economy" value=""' in html


def test_the_city_sets_a_percentage_and_a_bad_one_changes_nothing(agency, as_user):
    city = as_user(agency.users.city)
    url = f"/reports/agencies/{agency.agency_x.id}/targets?year={YEAR}"
    assert city.post(url, data={"basis-social_economy": "percent", "target-social_economy": "1.5"}).status_code == 302
    assert services.standing_goals(YEAR, agency.agency_x.id) == {SOCIAL_ECONOMY: percent(150)}
    response = city.post(url, data={"basis-social_economy": "percent", "target-social_economy": "1.234"})
    assert response.status_code == 400 and 'value="1.234"' in response.get_data(as_text=True)
    assert services.standing_goals(YEAR, agency.agency_x.id) == {SOCIAL_ECONOMY: percent(150)}


def test_a_proposal_stands_only_once_the_city_approves_it(agency, as_user):
    services.set_targets(agency.users.city, agency.agency_x, YEAR, {SOCIAL_ECONOMY: 10_000_000})
    db.session.commit()
    manager = as_user(agency.manager_x)
    response = manager.post(f"/reports/agencies/{agency.agency_x.id}/proposal?year={YEAR}",
                            data={"target-social_economy": "20,000,000", "basis-women_owned": "percent",
                                  "target-women_owned": "5", "works-women_owned": "3"})
    assert response.status_code == 302
    assert services.targets(YEAR, agency.agency_x.id) == {(agency.agency_x.id, SOCIAL_ECONOMY): 10_000_000}
    assert db.session.scalar(sa.select(Notification).where(Notification.organization_id == agency.city.id))

    proposal = db.session.scalar(sa.select(TargetProposal))
    assert manager.post(f"/reports/proposals/{proposal.id}/approve").status_code == 403
    with pytest.raises(NotAllowed):
        services.decide_proposal(agency.manager_x, proposal, "approve")
    db.session.rollback()
    assert services.targets(YEAR, agency.agency_x.id) == {(agency.agency_x.id, SOCIAL_ECONOMY): 10_000_000}

    page = as_user(agency.users.city).get(f"/reports/agencies/{agency.agency_x.id}/proposal?year={YEAR}")
    assert "20,000,000원" in page.get_data(as_text=True)
    assert as_user(agency.users.city).post(f"/reports/proposals/{proposal.id}/approve").status_code == 302
    assert services.targets(YEAR, agency.agency_x.id) == {(agency.agency_x.id, SOCIAL_ECONOMY): 20_000_000,
                                                          (agency.agency_x.id, WOMEN): 7_500_000 + 6_000_000}
    assert db.session.get(TargetProposal, proposal.id).status == "approved"
    assert db.session.scalar(sa.select(Notification).where(Notification.organization_id == agency.agency_x.id))


def test_a_returned_proposal_needs_a_reason_and_leaves_the_targets(agency, as_user):
    services.set_targets(agency.users.city, agency.agency_x, YEAR, {SOCIAL_ECONOMY: 10_000_000})
    proposal = services.propose_targets(agency.manager_x, agency.agency_x, YEAR, {SOCIAL_ECONOMY: 1})
    db.session.commit()
    city = as_user(agency.users.city)
    city.post(f"/reports/proposals/{proposal.id}/return", data={"note": ""})
    assert db.session.get(TargetProposal, proposal.id).status == "proposed"
    city.post(f"/reports/proposals/{proposal.id}/return", data={"note": "목표가 너무 낮습니다"})
    assert db.session.get(TargetProposal, proposal.id).status == "returned"
    assert services.targets(YEAR, agency.agency_x.id) == {(agency.agency_x.id, SOCIAL_ECONOMY): 10_000_000}
    page = as_user(agency.manager_x).get(f"/reports/agencies/{agency.agency_x.id}/proposal?year={YEAR}")
    assert "목표가 너무 낮습니다" in page.get_data(as_text=True)


def test_a_buyer_cannot_propose_targets(agency):
    with pytest.raises(NotAllowed):
        services.propose_targets(agency.users.agency_x, agency.agency_x, YEAR, {SOCIAL_ECONOMY: 1})


def test_the_city_reads_the_shortfall_reason_on_the_agency_page_and_in_the_export(agency, as_user):
    services.set_targets(agency.users.city, agency.agency_x, YEAR, {SOCIAL_ECONOMY: 10_000_000, WOMEN: 1_000_000})
    db.session.commit()
    manager = as_user(agency.manager_x)
    url = f"/reports/agencies/{agency.agency_x.id}/shortfall?year={YEAR}"
    assert manager.post(url, data={"reason-women_owned": "달성했는데 사유?"}).status_code == 400  # no shortfall
    assert services.shortfall_reasons(YEAR) == {}
    assert manager.post(url, data={"reason-social_economy": "하반기 예산 집행 지연"}).status_code == 302
    city = as_user(agency.users.city)
    assert "하반기 예산 집행 지연" in city.get(f"/reports/agencies/{agency.agency_x.id}?year={YEAR}").get_data(as_text=True)
    assert "하반기 예산 집행 지연" in city.get(f"/reports/?year={YEAR}").get_data(as_text=True)
    rows = list(csv.reader(io.StringIO(city.get(f"/reports/city.csv?year={YEAR}").data.decode("utf-8-sig"))))
    assert next(r for r in rows if r[0] == agency.agency_x.name)[-1] == "하반기 예산 집행 지연"
    assert as_user(agency.users.city).post(url, data={"reason-social_economy": "x"}).status_code == 403


def test_certificate_totals_equal_the_dashboard_to_the_won(agency, as_user):
    factories.purchase_order(agency.agency_x, agency.enterprise_b, agency.users.agency_x, total=123_457,
                             contract_date=date(2026, 5, 5))  # B's designation is pending: counts nowhere
    db.session.commit()
    purchases = services.counted_purchases(YEAR, agency.agency_x.id)
    dashboard = {row.category: row.actual_krw for row in services.agency_table(YEAR, agency.agency_x)}
    assert services.category_totals(purchases) == dashboard
    assert [p.amount_krw for p in purchases] == [1_100_000, 2_200_000]
    assert set(purchases[0].categories) == {SOCIAL_ECONOMY, "social_enterprise", WOMEN}
    html = as_user(agency.users.agency_x).get(f"/reports/agencies/{agency.agency_x.id}/certificate?year={YEAR}") \
        .get_data(as_text=True)
    printed = dict(re.findall(r'data-category="([a-z_]+)">([\d,]+)원', html))
    assert {c: int(v.replace(",", "")) for c, v in printed.items()} == dashboard
    assert "군산시 사회적경제지원센터" in html and f"GS-C-{YEAR}-" in html


def test_an_enterprise_sees_the_certificate_of_its_own_orders_only(agency, as_user):
    order = factories.purchase_order(agency.agency_x, agency.enterprise_a, agency.users.agency_x, total=770_000,
                                     contract_date=date(2026, 3, 3))
    db.session.commit()
    html = as_user(agency.users.enterprise_a).get(f"/reports/orders/{order.id}/certificate").get_data(as_text=True)
    assert "770,000원" in html and "GS-C-" in html
    assert as_user(agency.users.enterprise_b).get(f"/reports/orders/{order.id}/certificate").status_code == 404
    counted = services.order_count(order)
    assert counted.categories == [c for c in queries.CATEGORIES if c in (SOCIAL_ECONOMY, "social_enterprise", WOMEN)]
    assert counted.amount_krw == 770_000


def test_an_order_certificate_shows_the_amount_net_of_refunds(agency, as_user):
    from market.payments.models import Payment

    order = factories.purchase_order(agency.agency_x, agency.enterprise_a, agency.users.agency_x, total=770_000,
                                     contract_date=date(2026, 3, 3), status="disputed")
    db.session.add(Payment(order_id=order.id, method="transfer", status="succeeded", amount_krw=770_000,
                           refunded_krw=70_000, paid_on=date(2026, 3, 20)))
    db.session.commit()
    assert services.order_count(order).amount_krw == 700_000
    html = as_user(agency.users.enterprise_a).get(f"/reports/orders/{order.id}/certificate").get_data(as_text=True)
    assert "700,000원" in html


def test_the_public_statistics_figure_is_the_city_dashboards(agency, client, as_user, monkeypatch):
    monkeypatch.setattr(services, "current_year", lambda: YEAR)
    services.set_targets(agency.users.city, agency.agency_x, YEAR, {SOCIAL_ECONOMY: 6_600_000})
    db.session.commit()
    rows = services.city_table(YEAR)
    total = sum(r.actual_krw for r in rows)
    assert total == 3_300_000
    city_page = as_user(agency.users.city).get(f"/reports/?year={YEAR}").get_data(as_text=True)
    public = client.get("/statistics").get_data(as_text=True)
    assert f"{total:,}원" in city_page and f"{total:,}원" in public and "50%" in public


def test_a_returned_proposal_is_amended_from_where_it_stood(agency, as_user):
    proposal = services.propose_targets(agency.manager_x, agency.agency_x, YEAR, {SOCIAL_ECONOMY: 1_234_567})
    services.decide_proposal(agency.users.city, proposal, "return", "더 높게")
    db.session.commit()
    html = as_user(agency.manager_x).get(f"/reports/agencies/{agency.agency_x.id}/proposal?year={YEAR}") \
        .get_data(as_text=True)
    assert 'name="target-social_economy" value="1234567"' in html
