"""One year with every complication at once — a refund, an off-platform purchase, a cancelled order, an order
before the enterprise's certification — and the figure is the same, to the won, on the city dashboard, the
agency dashboard, the drill-down, the CSV export, the open-data API, the certificate and the annual submission."""
from __future__ import annotations

import csv
import io
import re
from datetime import date

from market.extensions import db
from market.payments.models import Payment
from market.reports import services, submission
from market.reports.models import SOCIAL_ECONOMY
from tests import factories

YEAR = 2025


def test_every_place_shows_the_same_won(world, as_user, client):
    x, a, b = world.agency_x, world.enterprise_a, world.enterprise_b
    buyer = world.users.agency_x
    refunded = factories.purchase_order(x, a, buyer, total=1_100_000, contract_date=date(YEAR, 3, 2), status="paid")
    db.session.add(Payment(order_id=refunded.id, method="transfer", status="succeeded", amount_krw=1_100_000,
                           refunded_krw=100_000, paid_on=date(YEAR, 3, 10)))
    factories.purchase_order(x, a, buyer, total=2_000_000, contract_date=date(YEAR, 5, 1), status="closed")
    factories.purchase_order(x, a, buyer, total=9_000_000, contract_date=date(YEAR, 6, 1), status="cancelled")
    factories.purchase_order(x, b, buyer, total=700_000, contract_date=date(YEAR, 7, 1))  # B not certified
    factories.off_platform_purchase(x, a, buyer, amount=330_000, contract_date=date(YEAR, 8, 1), channel="pps",
                                    status="verified")
    services.set_targets(world.users.city, x, YEAR, {SOCIAL_ECONOMY: 10_000_000})
    db.session.commit()
    expected = 1_000_000 + 2_000_000 + 330_000

    city = as_user(world.users.city)
    assert f"{expected:,}원" in city.get(f"/reports/?year={YEAR}").get_data(as_text=True)
    assert f"{expected:,}원" in as_user(buyer).get(f"/reports/agencies/{x.id}?year={YEAR}").get_data(as_text=True)
    assert f"{expected:,}원" in city.get(f"/reports/agencies/{x.id}/orders?year={YEAR}").get_data(as_text=True)
    exported = list(csv.reader(io.StringIO(city.get(f"/reports/city.csv?year={YEAR}").data.decode("utf-8-sig"))))
    assert next(r for r in exported if r[0] == x.name)[3] == str(expected)
    api = client.get(f"/api/v1/reports/attainment?year={YEAR}&agency={x.id}&category={SOCIAL_ECONOMY}").get_json()
    assert api["data"][0]["actual_krw"] == expected and api["data"][0]["percent"] == 33
    certificate = city.get(f"/reports/agencies/{x.id}/certificate?year={YEAR}").get_data(as_text=True)
    cell = re.search(rf'data-category="{SOCIAL_ECONOMY}">([^<]+)<', certificate)
    assert cell and cell.group(1) == f"{expected:,}원"
    row = next(r for r in submission.rows(YEAR + 1, x.id) if r.category == SOCIAL_ECONOMY)
    assert row.last_actual_krw == expected and row.last_by_channel["pps"] == 330_000
