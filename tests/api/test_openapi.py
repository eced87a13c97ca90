"""The OpenAPI document is valid, describes every API route, and every response conforms to it."""
from __future__ import annotations

import pytest
from openapi_spec_validator import validate

from market.api.openapi import document
from tests.api import API, assert_conforms, enrich, schema_validator, served_document


def test_openapi_document_is_a_valid_openapi_3_0_document(client):
    validate(served_document(client))


def test_openapi_document_names_the_server_it_was_served_from(client):
    assert served_document(client)["servers"] == [{"url": "http://localhost/api/v1"}]


def test_openapi_document_describes_every_api_route_and_nothing_else(app):
    documented = {f"{API}{path}" for path in document()["paths"]}
    routes = {rule.rule.replace("<int:", "{").replace(">", "}") for rule in app.url_map.iter_rules()
              if rule.endpoint.startswith("api.")}
    assert routes == documented


ENDPOINTS = {
    "industries": lambda w: f"{API}/industries",
    "enterprises": lambda w: f"{API}/enterprises",
    "enterprise": lambda w: f"{API}/enterprises/{w.enterprise_a.id}",
    "enterprise_without_profile": lambda w: f"{API}/enterprises/{w.bare.id}",
    "listings": lambda w: f"{API}/listings",
    "listing": lambda w: f"{API}/listings/{w.listing_a.id}",
    "listing_on_request": lambda w: f"{API}/listings/{w.quote_only.id}",
    "stats": lambda w: f"{API}/stats",
    "attainment": lambda w: f"{API}/reports/attainment",
    "attainment_of_one_agency": lambda w: f"{API}/reports/attainment?agency={w.agency_x.id}&category=women_owned",
    "ocds_releases": lambda w: f"{API}/ocds/releases",
    "openapi": lambda w: f"{API}/openapi.json",
}


@pytest.fixture
def rich_world(world):
    from market.extensions import db
    from tests import factories

    enrich(world)
    world.bare = factories.organization(name="프로필 없는 기업")  # approved, never filled in its profile
    db.session.commit()
    return world


@pytest.mark.parametrize("endpoint", ENDPOINTS)
def test_every_endpoint_answers_what_the_openapi_document_describes(client, rich_world, endpoint):
    response = client.get(ENDPOINTS[endpoint](rich_world))
    assert response.status_code == 200
    assert_conforms(client, response)


@pytest.mark.parametrize("url", [f"{API}/listings?page=0", f"{API}/enterprises?type=unknown",
                                 f"{API}/industries?per_page=1000", f"{API}/stats?page=2",
                                 f"{API}/reports/attainment?year=1999", f"{API}/ocds/releases?year=x"])
def test_bad_request_answers_match_the_documented_error(client, world, url):
    response = client.get(url)
    assert response.status_code == 400
    assert_conforms(client, response)


def test_not_found_answers_match_the_documented_error(client, world):
    response = client.get(f"{API}/listings/{world.draft_b.id}")
    assert response.status_code == 404
    assert_conforms(client, response)


def test_every_enterprise_of_a_page_matches_the_enterprise_component_schema(client, rich_world):
    validator = schema_validator(served_document(client), "Enterprise")
    data = client.get(f"{API}/enterprises").get_json()["data"]
    assert len(data) == 3
    for enterprise in data:
        validator.validate(enterprise)


def test_every_listing_of_a_page_matches_the_listing_component_schema(client, rich_world):
    validator = schema_validator(served_document(client), "Listing")
    data = client.get(f"{API}/listings").get_json()["data"]
    assert len(data) == 2
    for listing in data:
        validator.validate(listing)


def test_component_schemas_refuse_a_field_they_do_not_document(client, world):
    """So that a field added to the JSON without documenting it (an e-mail address, say) fails the suite."""
    from jsonschema.exceptions import ValidationError

    enterprise = client.get(f"{API}/enterprises/{world.enterprise_a.id}").get_json()
    with pytest.raises(ValidationError):
        schema_validator(served_document(client), "Enterprise").validate({**enterprise, "email": "a@example.kr"})


def test_api_answers_allow_every_origin_even_errors(client, world):
    for url in (f"{API}/enterprises", f"{API}/listings?page=0", f"{API}/listings/999999", f"{API}/openapi.json"):
        assert client.get(url).headers["Access-Control-Allow-Origin"] == "*", url


def test_api_answers_are_utf8_json_with_readable_korean(client, world):
    response = client.get(f"{API}/listings")
    assert response.mimetype == "application/json"
    assert "사무실 청소 용역" in response.get_data(as_text=True)
