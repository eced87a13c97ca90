"""Direct orders from the catalog (수의계약, 바로구매) within the private-contract ceilings."""
from __future__ import annotations

from datetime import date

import pytest

from market.extensions import db
from market.procurement import services
from market.procurement.models import ContractCeiling, PurchaseOrder
from tests import factories


@pytest.fixture
def ceilings(world):
    services.seed_ceilings()
    db.session.commit()


def test_general_ceiling_is_twenty_million(ceilings, world):
    assert services.ceiling_for(world.enterprise_a) == (20_000_000, "general")


def test_thirty_percent_vulnerable_workers_raise_the_ceiling(ceilings, world):
    profile = world.enterprise_a.profile
    profile.employees, profile.vulnerable_employees = 10, 3
    assert services.ceiling_for(world.enterprise_a) == (50_000_000, "social_vulnerable")
    profile.vulnerable_employees = 2
    assert services.ceiling_for(world.enterprise_a)[0] == 20_000_000


def test_women_owned_certification_raises_the_ceiling_only_while_valid(ceilings, world):
    cert = factories.certification(world.enterprise_a, "women_owned", valid_to=date(2099, 1, 1))
    assert services.ceiling_for(world.enterprise_a) == (50_000_000, "women_owned")
    cert.valid_to = date(2021, 1, 1)
    assert services.ceiling_for(world.enterprise_a)[0] == 20_000_000


def test_ceilings_follow_their_effective_dates(ceilings, world):
    db.session.add(ContractCeiling(basis="general", amount_krw=30_000_000, effective_from=date(2030, 1, 1)))
    db.session.execute(db.update(ContractCeiling).where(ContractCeiling.basis == "general",
                                                        ContractCeiling.amount_krw == 20_000_000)
                       .values(effective_to=date(2029, 12, 31)))
    assert services.ceiling_for(world.enterprise_a, date(2029, 6, 1))[0] == 20_000_000
    assert services.ceiling_for(world.enterprise_a, date(2030, 6, 1))[0] == 30_000_000


def test_direct_order_below_the_ceiling_is_placed(as_user, ceilings, world, outbox):
    response = as_user(world.users.agency_y).post(f"/procurement/direct/{world.enterprise_a.id}", data={
        f"qty-{world.listing_a.id}": "3", "delivery_place": "복지정책과 사무실"})
    assert response.status_code == 302
    order = db.session.scalar(db.select(PurchaseOrder).where(PurchaseOrder.agency_id == world.agency_y.id))
    assert order.method == "direct" and order.ceiling_krw == 20_000_000
    assert (order.supply_krw, order.vat_krw, order.total_krw) == (1_363_636, 136_364, 1_500_000)
    assert outbox("a@example.kr")


def test_direct_order_above_the_ceiling_is_refused_with_a_switch_to_a_request(as_user, ceilings, world):
    client = as_user(world.users.agency_y)
    response = client.post(f"/procurement/direct/{world.enterprise_a.id}", data={
        f"qty-{world.listing_a.id}": "50", "delivery_place": "복지정책과 사무실"})
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert f"/procurement/requests/new?enterprise={world.enterprise_a.id}" in html.replace("&amp;", "&")
    assert db.session.scalar(db.select(db.func.count()).select_from(PurchaseOrder)
                             .where(PurchaseOrder.agency_id == world.agency_y.id)) == 0
    prefilled = client.get(f"/procurement/requests/new?enterprise={world.enterprise_a.id}"
                           f"&listing={world.listing_a.id}&qty=50").get_data(as_text=True)
    assert "사무실 청소 용역" in prefilled and 'value="50"' in prefilled


def test_direct_order_needs_the_minimum_quantity(ceilings, world):
    world.listing_a.min_order = 2
    with pytest.raises(Exception):
        services.place_direct_order(world.users.agency_y, world.enterprise_a, [(world.listing_a, 1)],
                                    delivery_place="x", delivery_date=None)


def test_enterprise_page_shows_its_ceiling(client, ceilings, world):
    html = client.get(f"/enterprises/{world.enterprise_a.id}").get_data(as_text=True)
    assert "20,000,000원" in html
