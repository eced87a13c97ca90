"""/ocds/releases: the year's purchase orders as an OCDS 1.1 release package, valid against the official 1.1.5
schemas (kept in tests/api/ocds_schema, resolved offline: the tests refuse any network connection) with the
formats checked (date-time, uri)."""
from __future__ import annotations

import json
import os
import socket
from datetime import date
from functools import lru_cache
from pathlib import Path

import pytest

from market.api import ocds
from market.extensions import db
from market.procurement.states import ORDER
from tests import factories
from tests.api import API, assert_conforms

YEAR = 2026
SCHEMA_DIR = Path(os.environ.get("OCDS_SCHEMA_DIR", Path(__file__).resolve().parent / "ocds_schema" / "1.1.5"))
RELEASE_SCHEMA_URL = "https://standard.open-contracting.org/schema/1__1__5/release-schema.json"


@lru_cache(maxsize=1)
def package_validator():
    """The release-package schema, its reference to the release schema mapped to the local copy."""
    from jsonschema import Draft4Validator
    from referencing import Registry, Resource
    from referencing.jsonschema import DRAFT4

    if not SCHEMA_DIR.is_dir():
        pytest.fail(f"The OCDS 1.1.5 schemas are not in {SCHEMA_DIR}; set OCDS_SCHEMA_DIR.")
    package, release = (json.loads((SCHEMA_DIR / name).read_text(encoding="utf-8"))
                        for name in ("release-package-schema.json", "release-schema.json"))
    registry = Registry().with_resource(RELEASE_SCHEMA_URL, Resource.from_contents(release, DRAFT4))
    return Draft4Validator(package, registry=registry, format_checker=Draft4Validator.FORMAT_CHECKER)


def assert_valid(package: dict) -> None:
    errors = sorted(package_validator().iter_errors(package), key=lambda e: list(e.absolute_path))
    assert not errors, [f"{list(e.absolute_path)}: {e.message}" for e in errors]


@pytest.fixture(autouse=True)
def no_network(monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("no network access in these tests")

    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket.socket, "connect", refuse)


def _package(client, query: str = "") -> dict:
    response = client.get(f"{API}/ocds/releases?year={YEAR}{query}")
    assert response.status_code == 200, response.get_json()
    assert_conforms(client, response)
    return response.get_json()


def _snapshot(order, agency, enterprise, business_number=None) -> None:
    """The parties as the procurement service records them when it places an order."""
    order.parties = {
        "agency": {"id": agency.id, "name": agency.name, "address": "전북특별자치도 군산시 시청로 17",
                   "phone": "063-454-2114"},
        "enterprise": {"id": enterprise.id, "name": enterprise.name, "address": "군산시 수송로 1",
                       "phone": "010-1234-5678", "business_number": business_number, "representative": "홍길동",
                       "certifications": ["social_enterprise"]},
    }


@pytest.fixture
def every_kind(world):
    """A direct order (the world's), orders after an invited and an industry-wide request, a cancelled, a
    declined and a completed order, and one of last year."""
    x, a, b, person = world.agency_x, world.enterprise_a, world.enterprise_b, world.users.agency_x
    world.order_x.contract_date = date(YEAR, 2, 1)
    _snapshot(world.order_x, x, a, "4018128592")
    world.request_x.status = "awarded"
    world.invited = factories.purchase_order(x, a, person, method="quote", request_id=world.request_x.id,
                                             quote_id=world.quote_a.id, category="goods", status="confirmed",
                                             contract_date=date(YEAR, 3, 1))
    _snapshot(world.invited, x, a, "4018128592")
    open_request = factories.purchase_request(x, person, title="공원 화장실 청소", category="services",
                                              status="awarded")
    open_request.audience, open_request.industry_id = "industry", factories.industry("cleaning").id
    world.open = factories.purchase_order(x, b, person, method="quote", request_id=open_request.id,
                                          status="delivered", contract_date=date(YEAR, 4, 1))
    world.cancelled = factories.purchase_order(x, a, person, status="cancelled", contract_date=date(YEAR, 5, 1))
    world.declined = factories.purchase_order(world.agency_y, b, world.users.agency_y, status="declined",
                                              category="works", contract_date=date(YEAR, 6, 1))
    world.closed = factories.purchase_order(x, a, person, status="closed", contract_date=date(YEAR, 7, 1))
    world.last_year = factories.purchase_order(x, a, person, contract_date=date(YEAR - 1, 12, 31))
    db.session.commit()
    return world


def _by_number(package: dict) -> dict:
    return {release["contracts"][0]["id"]: release for release in package["releases"]}


def test_the_worlds_package_is_a_valid_ocds_release_package(client, world):
    response = client.get(f"{API}/ocds/releases")  # the current year: the world's order is placed today
    assert response.status_code == 200
    package = response.get_json()
    assert_valid(package)
    assert [r["ocid"] for r in package["releases"]] == [f"ocds-gunsanse-{world.order_x.number}"]


def test_every_kind_of_order_gives_a_valid_release(client, every_kind):
    package = _package(client)
    assert_valid(package)
    w = every_kind
    releases = _by_number(package)
    assert set(releases) == {o.number for o in (w.order_x, w.invited, w.open, w.cancelled, w.declined, w.closed)}
    method = {number: r["tender"]["procurementMethod"] for number, r in releases.items()}
    assert (method[w.order_x.number], method[w.invited.number], method[w.open.number]) == (
        "limited", "selective", "open")
    assert releases[w.invited.number]["tender"]["id"] == f"request-{w.request_x.id}"
    assert releases[w.invited.number]["tender"]["title"] == w.request_x.title
    statuses = {number: (r["awards"][0]["status"], r["contracts"][0]["status"]) for number, r in releases.items()}
    assert statuses == {w.order_x.number: ("active", "pending"), w.invited.number: ("active", "active"),
                        w.open.number: ("active", "active"), w.cancelled.number: ("cancelled", "cancelled"),
                        w.declined.number: ("cancelled", "cancelled"), w.closed.number: ("active", "terminated")}
    category = {number: r["tender"]["mainProcurementCategory"] for number, r in releases.items()}
    assert (category[w.invited.number], category[w.declined.number]) == ("goods", "works")


def test_a_release_carries_the_parties_values_and_items_of_its_order(client, every_kind):
    order = every_kind.order_x
    release = _by_number(_package(client))[order.number]
    assert release["ocid"] == f"ocds-gunsanse-{order.number}" and release["initiationType"] == "tender"
    assert release["tag"] == ["award", "contract"]
    buyer, supplier = release["parties"]
    assert buyer == {"id": f"org-{every_kind.agency_x.id}", "name": every_kind.agency_x.name, "roles": ["buyer"],
                     "address": {"streetAddress": "전북특별자치도 군산시 시청로 17", "countryName": "대한민국"}}
    assert supplier["roles"] == ["supplier"]
    assert supplier["identifier"] == {"scheme": "KR-BRN", "id": "4018128592", "legalName": every_kind.enterprise_a.name}
    assert release["buyer"] == {"id": buyer["id"], "name": buyer["name"]}
    assert release["awards"][0]["suppliers"] == [{"id": supplier["id"], "name": supplier["name"]}]
    contract = release["contracts"][0]
    assert contract["awardID"] == release["awards"][0]["id"]
    assert contract["value"] == release["awards"][0]["value"] == {"amount": order.total_krw, "currency": "KRW"}
    assert contract["dateSigned"] == f"{YEAR}-02-01T00:00:00+09:00"
    line = order.lines[0]
    assert contract["items"] == [{"id": str(line.id), "description": line.description, "quantity": line.quantity,
                                  "unit": {"name": line.unit,
                                           "value": {"amount": line.unit_price_krw, "currency": "KRW"}}}]


def test_no_person_is_published(client, every_kind):
    text = client.get(f"{API}/ocds/releases?year={YEAR}").get_data(as_text=True)
    for private in ("홍길동", "010-1234-5678", "063-454-2114", "@example.kr"):
        assert private not in text


def test_the_validator_rejects_invalid_packages(client, every_kind):
    """So that the validity tests cannot pass vacuously: the release schema really is applied."""
    validator = package_validator()
    good = _package(client)
    assert validator.is_valid(good)

    def broken(change) -> dict:
        package = json.loads(json.dumps(good))
        change(package)
        return package

    for change in (lambda p: p["releases"][0].pop("ocid"),
                   lambda p: p["releases"][0]["tender"].update(procurementMethod="negotiated"),
                   lambda p: p["releases"][0]["contracts"][0].update(status="signed"),
                   lambda p: p["releases"][0]["awards"][0]["value"].update(currency="WON"),
                   lambda p: p["releases"][0].update(date="2026-02-01"),
                   lambda p: p["releases"][0]["contracts"][0].setdefault("implementation", {}).update(
                       transactions=[{"id": "t-1", "source": "bank transfer"}]),
                   lambda p: p.update(releases=[]),
                   lambda p: p.pop("publisher")):
        assert not validator.is_valid(broken(change))


def test_every_order_state_has_its_award_and_contract_status():
    assert set(ocds.STATUSES) == set(ORDER.states)


def test_only_the_years_orders_are_published(client, every_kind):
    numbers = set(_by_number(_package(client)))
    assert every_kind.last_year.number not in numbers
    last_year = client.get(f"{API}/ocds/releases?year={YEAR - 1}").get_json()
    assert [r["contracts"][0]["id"] for r in last_year["releases"]] == [every_kind.last_year.number]
    assert_valid(last_year)


def test_a_year_without_orders_is_a_404_because_a_package_holds_at_least_one_release(client, every_kind):
    response = client.get(f"{API}/ocds/releases?year=2001")
    assert response.status_code == 404
    assert_conforms(client, response)
    assert client.get(f"{API}/ocds/releases?year={YEAR}&page=9").status_code == 404


@pytest.mark.parametrize("query", ["year=1999", "year=soon", "agency=1", "per_page=101"])
def test_bad_parameters_are_refused(client, world, query):
    response = client.get(f"{API}/ocds/releases?{query}")
    assert response.status_code == 400
    assert_conforms(client, response)


def test_pages_are_valid_packages_that_together_hold_every_order_once(client, every_kind):
    first = _package(client, "&per_page=4")
    second = client.get(first["links"]["next"]).get_json()
    assert (first["total"], first["pages"], len(first["releases"]), len(second["releases"])) == (6, 2, 4, 2)
    assert_valid(first)
    assert_valid(second)
    ocids = [r["ocid"] for r in first["releases"] + second["releases"]]
    assert len(set(ocids)) == 6
    assert first["uri"] == first["links"]["self"] and f"year={YEAR}" in first["uri"]
    assert second["links"]["next"] is None


def test_a_page_costs_the_same_number_of_queries_for_2_or_20_orders(client, every_kind, count_queries):
    w = every_kind
    for n in range(16):
        factories.purchase_order(w.agency_x, w.enterprise_a, w.users.agency_x, contract_date=date(YEAR, 8, 1 + n))
    db.session.commit()
    client.get(f"{API}/ocds/releases?year={YEAR}&per_page=2")  # warm up
    with count_queries() as small:
        small_page = client.get(f"{API}/ocds/releases?year={YEAR}&per_page=2").get_json()
    with count_queries() as large:
        large_page = client.get(f"{API}/ocds/releases?year={YEAR}&per_page=20").get_json()
    assert len(small_page["releases"]) == 2 and len(large_page["releases"]) == 20
    assert large.count == small.count, large.statements


def test_a_new_release_id_when_the_order_changes_the_same_ocid(client, every_kind):
    order = every_kind.invited
    before = _by_number(_package(client))[order.number]
    order.status = "delivered"
    db.session.commit()
    after = _by_number(_package(client))[order.number]
    assert after["ocid"] == before["ocid"] and after["id"] != before["id"]


def test_payments_and_refunds_appear_as_contract_transactions(client, every_kind):
    """A transfer the enterprise received and a refund it sent back, as the payments domain recorded them."""
    from market.payments import services as payments
    from market.payments.models import Refund

    order = every_kind.order_x
    order.status = "invoiced"
    db.session.flush()
    payment = payments.record_transfer(every_kind.users.enterprise_a, order, order.contract_date, order.total_krw,
                                       "입금")
    order.status = "disputed"
    refund = payments.request_refund(every_kind.users.agency_x, order, 1_000, "일부 불량")
    payments.decide_refund(every_kind.users.enterprise_a, refund, "approve")
    payments.decide_refund(every_kind.users.enterprise_a, refund, "sent")
    db.session.commit()
    package = _package(client)
    assert_valid(package)
    release = _by_number(package)[order.number]
    assert release["tag"] == ["award", "contract", "implementation"]
    paid, back = release["contracts"][0]["implementation"]["transactions"]
    agency, enterprise = f"org-{every_kind.agency_x.id}", f"org-{order.enterprise_id}"
    assert (paid["id"], paid["value"]["amount"], paid["payer"]["id"], paid["payee"]["id"]) == \
        (f"payment-{payment.id}", order.total_krw, agency, enterprise)
    assert (back["id"], back["value"]["amount"], back["payer"]["id"], back["payee"]["id"]) == \
        (f"refund-{db.session.get(Refund, refund.id).id}", 1_000, enterprise, agency)
    assert "implementation" not in _by_number(package)[every_kind.closed.number]["contracts"][0]

