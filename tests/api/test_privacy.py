"""Private data never leaves through the API: unpublished listings, enterprises not approved, certifications not
verified, anyone's e-mail address — whoever asks, logged in or not."""
from __future__ import annotations

from datetime import date

import pytest

from market.accounts.models import OrgKind
from market.extensions import db
from tests import factories
from tests.api import API, enrich

PUBLIC_URLS = ("industries", "enterprises", "enterprises?per_page=100", "listings", "listings?per_page=100", "stats",
               "openapi.json")


def _all_titles(client) -> list[str]:
    return [item["title"] for item in client.get(f"{API}/listings?per_page=100").get_json()["data"]]


def _all_enterprise_ids(client) -> set[int]:
    return {item["id"] for item in client.get(f"{API}/enterprises?per_page=100").get_json()["data"]}


def test_draft_listing_never_appears_in_the_list(client, world):
    assert "친환경 도시락" not in _all_titles(client)


def test_draft_listing_is_not_found_by_search_or_by_its_enterprise(client, world):
    assert client.get(f"{API}/listings?q=도시락").get_json()["data"] == []
    assert client.get(f"{API}/listings?enterprise={world.enterprise_b.id}").get_json()["data"] == []


@pytest.mark.parametrize("role", ["anonymous", "enterprise_b", "city"])
def test_draft_listing_detail_is_not_found_even_for_its_owner_or_the_city(app, world, as_user, role):
    client = app.test_client() if role == "anonymous" else as_user(getattr(world.users, role))
    response = client.get(f"{API}/listings/{world.draft_b.id}")
    assert response.status_code == 404
    assert response.get_json()["error"] == "not_found"


@pytest.mark.parametrize("status", ["archived", "unpublished"])
def test_archived_or_unpublished_listing_is_not_found(client, world, status):
    world.listing_a.status = status
    db.session.commit()
    assert client.get(f"{API}/listings/{world.listing_a.id}").status_code == 404
    assert _all_titles(client) == []


def test_listing_id_that_never_existed_is_not_found(client, world):
    assert client.get(f"{API}/listings/999999").status_code == 404


@pytest.mark.parametrize("status", ["pending", "suspended", "rejected"])
def test_enterprise_not_approved_never_appears_nor_do_its_listings(client, world, status):
    hidden = factories.organization(name="숨은 청소 기업", status=status)
    factories.profile(hidden, "cleaning", area="수송동")
    factories.certification(hidden)
    listing = factories.listing(hidden, "숨은 청소 용역")
    db.session.commit()
    assert hidden.id not in _all_enterprise_ids(client)
    assert client.get(f"{API}/enterprises/{hidden.id}").status_code == 404
    assert client.get(f"{API}/listings/{listing.id}").status_code == 404
    assert "숨은 청소 용역" not in _all_titles(client)
    assert client.get(f"{API}/stats").get_json()["enterprises"] == 2


def test_enterprise_owner_logged_in_sees_no_more_of_its_pending_enterprise_than_anyone(world, as_user):
    world.enterprise_b.status = "pending"
    db.session.commit()
    assert as_user(world.users.enterprise_b).get(f"{API}/enterprises/{world.enterprise_b.id}").status_code == 404


@pytest.mark.parametrize("organization", ["agency_x", "city"])
def test_agencies_and_the_city_are_not_enterprises_of_the_api(client, world, organization):
    org = getattr(world, organization)
    assert org.kind in (OrgKind.AGENCY, OrgKind.CITY)
    assert client.get(f"{API}/enterprises/{org.id}").status_code == 404
    assert org.id not in _all_enterprise_ids(client)


def test_pending_and_rejected_certifications_are_not_published(client, world):
    factories.certification(world.enterprise_a, "cooperative", status="rejected", number=None)
    factories.certification(world.enterprise_a, "village_enterprise", status="pending", number=None,
                            valid_from=date(2024, 1, 1))
    db.session.commit()
    a = client.get(f"{API}/enterprises/{world.enterprise_a.id}").get_json()
    assert [c["kind"] for c in a["certifications"]] == ["social_enterprise"]
    b = client.get(f"{API}/enterprises/{world.enterprise_b.id}").get_json()
    assert b["certifications"] == []


def test_no_email_address_appears_in_any_api_response(app, world, as_user):
    enrich(world)
    factories.profile(world.enterprise_a, "cleaning", email="contact@ganada.example.kr",
                      description="문의: sales@ganada.example.kr 로 연락 주세요.")
    world.listing_a.description = "견적은 a@example.kr 에게"
    db.session.commit()
    urls = [*PUBLIC_URLS, f"enterprises/{world.enterprise_a.id}", f"enterprises/{world.enterprise_b.id}",
            f"listings/{world.listing_a.id}", "listings?page=0", "listings/999999"]
    for client in (app.test_client(), as_user(world.users.city)):
        for url in urls:
            text = client.get(f"{API}/{url}").get_data(as_text=True)
            assert "@" not in text, url


def test_email_addresses_in_descriptions_are_replaced_by_a_notice(client, world):
    factories.profile(world.enterprise_a, "cleaning", description="문의: sales@ganada.example.kr")
    db.session.commit()
    description = client.get(f"{API}/enterprises/{world.enterprise_a.id}").get_json()["description"]
    assert description == "문의: [e-mail removed]"


def test_people_are_not_named_and_only_the_organisations_phone_is_shown(client, world):
    factories.profile(world.enterprise_a, "cleaning", representative="홍길동")
    world.enterprise_a.phone = "063-123-4567"
    db.session.commit()
    response = client.get(f"{API}/enterprises/{world.enterprise_a.id}")
    text = response.get_data(as_text=True)
    assert "홍길동" not in text and world.users.enterprise_a.name not in text
    assert response.get_json()["phone"] == "063-123-4567"


def test_business_registration_number_is_published(client, world):
    a = client.get(f"{API}/enterprises/{world.enterprise_a.id}").get_json()
    assert a["business_number"] == "4018128592"


def test_the_api_accepts_only_reading(client, world):
    for method in ("post", "put", "patch", "delete"):
        response = getattr(client, method)(f"{API}/listings")
        assert response.status_code == 405, method
        assert response.is_json


@pytest.mark.parametrize("path", ["listings", "enterprises"])
def test_an_id_beyond_any_database_integer_is_not_found(client, world, path):
    response = client.get(f"{API}/{path}/100000000000000000000")
    assert response.status_code == 404
    assert response.get_json()["error"] == "not_found"
