"""The counting rules: refunds, the counting point, off-platform purchases and their channels, certifications on
the contract date, cancellations; and the dashboards, drill-downs and exports agree to the won."""
from __future__ import annotations

import csv
import io
from datetime import date

import pytest

from market.extensions import db
from market.payments.models import Payment
from market.reports import queries
from market.reports.counting import counting_point, set_counting_point
from market.reports.models import SOCIAL_ECONOMY
from tests import factories

YEAR = 2025


@pytest.fixture
def buying(world):
    """Agency X in 2025. A is a certified social enterprise since 2020 (the world's certification); the world's
    own order (this year) stays out of 2025."""
    def order(total, day, status="placed", enterprise=None, agency=None):
        return factories.purchase_order(agency or world.agency_x, enterprise or world.enterprise_a,
                                        world.users.agency_x, total=total, status=status, contract_date=day)

    world.order = order
    return world


def pay(order, paid_on, refunded=0, status="succeeded"):
    payment = Payment(order_id=order.id, method="transfer", status=status, amount_krw=order.total_krw,
                      refunded_krw=refunded, paid_on=paid_on if status == "succeeded" else None)
    db.session.add(payment)
    db.session.flush()
    return payment


def total(agency, year=YEAR, category=SOCIAL_ECONOMY):
    return queries.actuals(year).get((agency.id, category), 0)


# --- refunds ---

def test_a_partial_refund_reduces_the_count(buying):
    pay(buying.order(1_100_000, date(2025, 3, 2)), date(2025, 3, 9), refunded=300_000)
    db.session.commit()
    assert total(buying.agency_x) == 800_000
    assert total(buying.agency_x, category="social_enterprise") == 800_000
    assert queries.monthly(YEAR, SOCIAL_ECONOMY, buying.agency_x.id)[2] == 800_000


def test_a_full_refund_removes_the_purchase_everywhere(buying):
    refunded = buying.order(1_100_000, date(2025, 3, 2))
    pay(refunded, date(2025, 3, 9), refunded=1_100_000)
    kept = buying.order(500_000, date(2025, 4, 2))
    db.session.commit()
    assert total(buying.agency_x) == 500_000
    assert queries.platform_totals(YEAR)[buying.agency_x.id] == 500_000
    rows = db.session.execute(queries.purchases_behind(YEAR, SOCIAL_ECONOMY, buying.agency_x.id)).all()
    assert [(r.source, r.ref_id) for r in rows] == [("order", kept.id)]


def test_only_the_succeeded_payment_counts_and_failed_attempts_change_nothing(buying):
    order = buying.order(1_100_000, date(2025, 3, 2))
    db.session.add(Payment(order_id=order.id, method="card", status="failed", amount_krw=1_100_000,
                           refunded_krw=1_100_000))
    pay(order, date(2025, 3, 9), refunded=100_000)
    db.session.commit()
    assert total(buying.agency_x) == 1_000_000


# --- the counting point ---

def test_at_payment_an_order_counts_on_the_payment_date_and_unpaid_orders_wait(buying):
    december = buying.order(1_100_000, date(2025, 12, 20))
    pay(december, date(2026, 1, 10))
    buying.order(2_200_000, date(2025, 6, 1))  # never paid
    db.session.commit()
    assert total(buying.agency_x) == 3_300_000  # at the contract (the default)
    set_counting_point(buying.users.city, "payment")
    db.session.commit()
    assert counting_point() == "payment"
    assert total(buying.agency_x) == 0
    assert total(buying.agency_x, 2026) == 1_100_000
    assert queries.monthly(2026, SOCIAL_ECONOMY, buying.agency_x.id)[0] == 1_100_000


def test_at_payment_certifications_are_still_checked_on_the_contract_date(buying):
    buying.cert_a.valid_to = date(2025, 12, 31)
    pay(buying.order(1_100_000, date(2025, 12, 20)), date(2026, 1, 10))
    pay(buying.order(770_000, date(2026, 1, 5)), date(2026, 1, 12))  # contracted after the certificate lapsed
    set_counting_point(buying.users.city, "payment")
    db.session.commit()
    assert total(buying.agency_x, 2026) == 1_100_000
    assert queries.platform_totals(2026)[buying.agency_x.id] == 1_100_000 + 770_000


def test_the_counting_point_is_the_citys_choice_and_is_audited(buying, as_user):
    from market.core.models import AuditEntry

    agency = as_user(buying.users.agency_x)
    assert agency.post("/reports/counting", data={"counting_point": "payment"}).status_code == 403
    city = as_user(buying.users.city)
    assert city.post("/reports/counting", data={"counting_point": "sometimes"}).status_code == 400
    assert counting_point() == "contract"
    assert city.post("/reports/counting", data={"counting_point": "payment"}).status_code == 302
    assert counting_point() == "payment"
    entry = db.session.scalar(db.select(AuditEntry).where(AuditEntry.action == "report_setting.update"))
    assert entry.before == {"counting_point": "contract"} and entry.after == {"counting_point": "payment"}
    # Every page and paper that shows figures says how they were counted.
    city.post("/language/en")
    for url in ("/reports/", "/reports/print", f"/reports/agencies/{buying.agency_x.id}/print",
                f"/reports/agencies/{buying.agency_x.id}/certificate"):
        assert "on the day they were paid" in city.get(url).get_data(as_text=True), url


# --- cancellations, several certifications ---

@pytest.mark.parametrize("point", ["contract", "payment"])
def test_cancelled_and_declined_orders_never_count_even_when_paid(buying, point):
    pay(buying.order(1_100_000, date(2025, 3, 2), status="cancelled"), date(2025, 3, 3))
    pay(buying.order(2_200_000, date(2025, 3, 2), status="declined"), date(2025, 3, 3))
    set_counting_point(buying.users.city, point)
    db.session.commit()
    assert queries.actuals(YEAR) == {} and queries.platform_totals(YEAR) == {}


def test_one_purchase_with_two_certifications_counts_in_both_and_once_in_the_total(buying):
    factories.certification(buying.enterprise_a, "cooperative", valid_from=date(2024, 1, 1))
    factories.certification(buying.enterprise_a, "social_enterprise", number="2023-002")  # a renewal overlapping
    buying.order(1_100_000, date(2025, 3, 2))
    factories.off_platform_purchase(buying.agency_x, buying.enterprise_a, buying.users.agency_x, status="verified",
                                    amount=500_000, contract_date=date(2025, 4, 1))
    db.session.commit()
    done = queries.actuals(YEAR)
    assert done[(buying.agency_x.id, "social_enterprise")] == 1_600_000
    assert done[(buying.agency_x.id, "cooperative")] == 1_600_000
    assert done[(buying.agency_x.id, SOCIAL_ECONOMY)] == 1_600_000
    assert queries.by_kind(YEAR)[SOCIAL_ECONOMY] == 1_600_000


# --- off-platform purchases ---

def test_an_off_platform_purchase_counts_only_once_verified_and_in_its_channel(buying):
    for status, channel, amount in (("recorded", "pps", 1_000), ("rejected", "pps", 20_000),
                                    ("verified", "pps", 300_000), ("verified", "own_contract", 4_000_000),
                                    ("verified", "other_platform", 50_000_000)):
        factories.off_platform_purchase(buying.agency_x, buying.enterprise_a, buying.users.agency_x, status=status,
                                        channel=channel, amount=amount, contract_date=date(2025, 5, 1))
    buying.order(1_100_000, date(2025, 3, 2))
    db.session.commit()
    assert total(buying.agency_x) == 1_100_000 + 300_000 + 4_000_000 + 50_000_000
    channels = queries.by_channel(YEAR, SOCIAL_ECONOMY, buying.agency_x.id)
    assert channels == {(buying.agency_x.id, "platform"): 1_100_000, (buying.agency_x.id, "pps"): 300_000,
                        (buying.agency_x.id, "own_contract"): 4_000_000,
                        (buying.agency_x.id, "other_platform"): 50_000_000}
    assert queries.platform_totals(YEAR)[buying.agency_x.id] == 1_100_000


def test_an_off_platform_purchase_counts_in_a_category_only_if_certified_on_its_contract_date(buying):
    buying.cert_b.status = "verified"
    buying.cert_b.valid_from, buying.cert_b.valid_to = date(2025, 6, 1), date(2028, 5, 31)
    for day, amount in ((date(2025, 3, 1), 330_000), (date(2025, 9, 1), 440_000)):
        factories.off_platform_purchase(buying.agency_x, buying.enterprise_b, buying.users.agency_x,
                                        status="verified", amount=amount, contract_date=day)
    db.session.commit()
    assert total(buying.agency_x, category="preliminary_social_enterprise") == 440_000
    assert total(buying.agency_x) == 440_000
    # At payment, an off-platform purchase still counts at its contract date (nothing was paid here).
    set_counting_point(buying.users.city, "payment")
    db.session.commit()
    assert total(buying.agency_x) == 440_000


# --- everything agrees ---

def _csv(client, url):
    return list(csv.reader(io.StringIO(client.get(url).data.decode("utf-8-sig"))))


def test_dashboards_drill_downs_and_exports_agree_to_the_won_with_off_platform_rows(buying, as_user):
    factories.profile(buying.enterprise_a, "cleaning")
    pay(buying.order(1_100_000, date(2025, 2, 10)), date(2025, 2, 20), refunded=100_000)
    buying.order(2_200_000, date(2025, 7, 1), agency=buying.agency_y)
    factories.off_platform_purchase(buying.agency_x, buying.enterprise_a, buying.users.agency_x, status="verified",
                                    channel="pps", amount=330_000, contract_date=date(2025, 8, 3),
                                    description="나라장터 청소 용역")
    factories.off_platform_purchase(buying.agency_x, buying.enterprise_a, buying.users.agency_x, status="recorded",
                                    amount=9_999_000, contract_date=date(2025, 8, 4))
    db.session.commit()
    x, city_total = 1_000_000 + 330_000, 1_000_000 + 330_000 + 2_200_000
    city = as_user(buying.users.city)

    dashboard = city.get(f"/reports/?year={YEAR}").get_data(as_text=True)
    assert f"{city_total:,}원" in dashboard and f"{x:,}원" in dashboard and "330,000원" in dashboard
    english = as_user(buying.users.city)
    english.post("/language/en")
    agencies = _csv(english, f"/reports/city.csv?year={YEAR}")
    english.post("/language/ko")  # the choice is kept with the person: back to Korean for the pages below
    assert agencies[0][5:9] == ["This platform (won)", "Own contract (won)",
                                "Public Procurement Service (KONEPS) (won)", "Other platform (won)"]
    row_x = next(r for r in agencies if r[0] == buying.agency_x.name)
    assert row_x[3] == str(x) and row_x[5:9] == ["1000000", "0", "330000", "0"]

    drill = city.get(f"/reports/agencies/{buying.agency_x.id}/orders?year={YEAR}").get_data(as_text=True)
    assert f"{x:,}원" in drill and "나라장터 청소 용역" in drill and "조달청 나라장터" in drill
    assert "9,999,000" not in drill
    agency_page = as_user(buying.users.agency_x).get(
        f"/reports/agencies/{buying.agency_x.id}?year={YEAR}").get_data(as_text=True)
    assert f"{x:,}원" in agency_page and "330,000원" in agency_page

    for view, expected_rows in (("kinds", None), ("industries", 1), ("enterprises", 1), ("months", 12),
                                ("quarters", 4)):
        rows = _csv(city, f"/reports/city.csv?year={YEAR}&view={view}")[1:]
        if expected_rows:
            assert len(rows) == expected_rows
        amounts = [int(r[-1]) for r in rows]
        if view == "kinds":
            assert amounts[0] == city_total  # the social-economy total comes first, then each kind
        else:
            assert sum(amounts) == city_total, view
        page = city.get(f"/reports/?year={YEAR}&view={view}").get_data(as_text=True)
        assert f"{city_total:,}원" in page or view in ("months", "quarters", "kinds")

    cleaning = city.get(f"/reports/purchases?year={YEAR}&industry_id={factories.industry('cleaning').id}")
    assert f"{city_total:,}원" in cleaning.get_data(as_text=True)
    quarter_3 = city.get(f"/reports/purchases?year={YEAR}&quarter=3").get_data(as_text=True)
    assert "2,530,000원" in quarter_3  # July's order of Y and August's PPS purchase of X
    pps = city.get(f"/reports/purchases?year={YEAR}&channel=pps").get_data(as_text=True)
    assert "330,000원" in pps and "1,000,000원" not in pps
    month_2 = city.get(f"/reports/agencies/{buying.agency_x.id}/orders?year={YEAR}&month=2").get_data(as_text=True)
    assert "1,000,000원" in month_2 and "나라장터" not in month_2


def test_the_city_breakdown_by_enterprise_is_paginated(buying, as_user, app):
    for n in range(3):
        enterprise = factories.organization(name=f"기업 {n}")
        factories.certification(enterprise, "village_enterprise")
        buying.order(1_000_000 * (n + 1), date(2025, 3, 2), enterprise=enterprise)
    db.session.commit()
    app.config["PAGE_SIZE"] = 2
    try:
        city = as_user(buying.users.city)
        first = city.get(f"/reports/?year={YEAR}&view=enterprises").get_data(as_text=True)
        second = city.get(f"/reports/?year={YEAR}&view=enterprises&page=2").get_data(as_text=True)
    finally:
        app.config["PAGE_SIZE"] = 20
    assert "기업 2" in first and "기업 1" in first and "기업 0" not in first
    assert "기업 0" in second and "1,000,000원" in second
    assert len(_csv(city, f"/reports/city.csv?year={YEAR}&view=enterprises")) == 4  # the export has them all


def test_the_dashboards_run_a_fixed_number_of_queries(buying, as_user, count_queries):
    city = as_user(buying.users.city)

    def queries_for(url):
        with count_queries() as counter:
            assert city.get(url).status_code == 200
        return counter.count

    before = {view: queries_for(f"/reports/?year={YEAR}&view={view}") for view in ("agencies", "industries")}
    for n in range(4):
        agency = factories.organization("agency", name=f"기관 추가 {n}")
        enterprise = factories.organization(name=f"기업 추가 {n}")
        factories.profile(enterprise, "catering")
        factories.certification(enterprise, "village_enterprise")
        buying.order(1_000_000, date(2025, 3, 2), enterprise=enterprise, agency=agency)
        factories.off_platform_purchase(agency, enterprise, buying.users.agency_x, status="verified",
                                        contract_date=date(2025, 4, 1))
    db.session.commit()
    assert {view: queries_for(f"/reports/?year={YEAR}&view={view}") for view in before} == before
    assert queries_for(f"/reports/purchases?year={YEAR}") == queries_for(f"/reports/purchases?year={YEAR}&channel=pps")


@pytest.mark.parametrize("category", [SOCIAL_ECONOMY, "social_enterprise", "women_owned"])
def test_one_aggregate_gives_the_same_table_channels_and_months_as_the_separate_queries(buying, category):
    pay(buying.order(1_100_000, date(2025, 3, 2)), date(2025, 4, 9), refunded=100_000)
    buying.order(700_000, date(2025, 7, 1), agency=buying.agency_y)
    buying.order(9_000_000, date(2025, 8, 1), status="cancelled")
    factories.off_platform_purchase(buying.agency_x, buying.enterprise_a, buying.users.agency_x, amount=330_000,
                                    contract_date=date(2025, 8, 3), channel="pps", status="verified")
    db.session.commit()
    figures = queries.figures(YEAR, category)
    assert figures.actuals() == {k: v for k, v in queries.actuals(YEAR, category=category).items()
                                 if k[1] == category}
    assert figures.by_channel() == queries.by_channel(YEAR, category)
    assert figures.monthly() == queries.monthly(YEAR, category)
    if category == "women_owned":  # A is not women-owned: that category is empty, and must be
        assert figures.cells == {}
    else:
        assert sum(figures.monthly()) == 1_000_000 + 700_000 + 330_000
