"""The benchmarks' synthetic city (market/demo/scale.py), small: so the generator cannot silently rot."""
from __future__ import annotations

import sqlalchemy as sa

from market.accounts.models import Organization
from market.catalog import search, services
from market.catalog.models import Certification, EnterpriseProfile, Listing, SearchGram
from market.demo.scale import generate_city


def _generate(db):
    written = generate_city(enterprises=50, listings=300, seed=7)
    db.session.commit()
    return written


def test_generate_city_writes_the_requested_numbers(db):
    written = _generate(db)
    count = lambda model: db.session.scalar(sa.select(sa.func.count()).select_from(model))  # noqa: E731
    assert written["enterprises"] == count(Organization) == count(EnterpriseProfile) == 50
    assert written["listings"] == count(Listing) == 300
    assert count(Certification) >= 50
    assert written["enterprise_grams"] + written["listing_grams"] == count(SearchGram)


def test_generated_search_text_is_what_the_services_would_write(db):
    _generate(db)
    for listing in db.session.scalars(sa.select(Listing).order_by(Listing.id).limit(40)):
        assert listing.search_text == services.listing_search_text(listing)
        grams = set(db.session.scalars(sa.select(SearchGram.gram).where(
            SearchGram.doc_type == search.LISTING, SearchGram.doc_id == listing.id)))
        assert grams == search.bigrams(listing.search_text)
    for organization in db.session.scalars(sa.select(Organization).order_by(Organization.id).limit(20)):
        assert organization.profile.search_text == services.enterprise_search_text(organization.profile)


def test_search_finds_a_two_syllable_word_in_generated_listings(db):
    _generate(db)
    found = db.session.scalars(services.listings_query(q="청소")).all()
    expected = db.session.scalars(sa.select(Listing).join(Organization).where(
        Listing.status == "published", Organization.status == "approved",
        Listing.search_text.contains("청소"))).all()
    assert expected, "the generator should produce cleaning listings"
    assert {listing.id for listing in found} == {listing.id for listing in expected}


def test_directory_shows_generated_enterprises_with_their_certifications(db, client):
    _generate(db)
    organizations = db.session.scalars(services.directory_query()).all()
    assert len(organizations) == 50
    held = services.valid_kinds_by_enterprise([org.id for org in organizations])
    assert len(held) >= 40  # most hold a verified, valid certification
    response = client.get("/enterprises")
    assert response.status_code == 200
    assert organizations[0].name in response.get_data(as_text=True)


def test_generating_twice_appends_a_second_city(db):
    generate_city(enterprises=5, listings=20, seed=1)
    generate_city(enterprises=5, listings=20, seed=2)
    db.session.commit()
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Listing)) == 40


def test_generate_purchases_writes_a_year_the_city_dashboard_counts(db, client):
    from market.accounts.models import OrgKind, Role, User
    from market.demo.purchases import generate_purchases
    from market.procurement.models import OrderLine, PurchaseOrder
    from market.reports import queries, services as reports
    from tests.conftest import login

    _generate(db)
    written = generate_purchases(agencies=6, orders=101, year=2025, seed=7)
    db.session.commit()
    count = lambda model: db.session.scalar(sa.select(sa.func.count()).select_from(model))  # noqa: E731
    assert written["orders"] == count(PurchaseOrder) == 101
    assert written["order_lines"] == count(OrderLine) == 404
    years = {day.year for day in db.session.scalars(sa.select(PurchaseOrder.contract_date))}
    assert years == {2025}
    table = reports.city_table(2025)
    assert len(table) == 6 and sum(row.actual_krw for row in table) > 0
    assert sum(queries.monthly(2025, "social_economy")) == sum(row.actual_krw for row in table)
    admin = db.session.scalar(sa.select(User).where(User.role == Role.ADMIN))
    assert admin.organization.kind == OrgKind.CITY
    assert login(client, admin).get("/reports/?year=2025").status_code == 200
