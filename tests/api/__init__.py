"""Helpers of the open-data API tests: the served OpenAPI document, response validation against it, and a
catalog richer than `world` (images, item groups, secondary industries, expired certifications)."""
from __future__ import annotations

from datetime import date
from functools import lru_cache

from market.catalog.models import ListingImage
from market.extensions import db
from tests import factories

API = "/api/v1"


@lru_cache(maxsize=1)
def _openapi(document_json: str):
    import json

    from openapi_core import OpenAPI

    return OpenAPI.from_dict(json.loads(document_json))


def served_document(client) -> dict:
    response = client.get(f"{API}/openapi.json")
    assert response.status_code == 200
    return response.get_json()


def assert_conforms(client, response) -> None:
    """The response (status, headers, body) is what the served OpenAPI document says of its operation."""
    import json

    from openapi_core.contrib.werkzeug import WerkzeugOpenAPIRequest, WerkzeugOpenAPIResponse

    openapi = _openapi(json.dumps(served_document(client), sort_keys=True))
    openapi.validate_response(WerkzeugOpenAPIRequest(response.request), WerkzeugOpenAPIResponse(response))


def schema_validator(document: dict, name: str):
    """A validator of one component schema (OpenAPI 3.0 dialect: `nullable`), its $refs resolved in the document."""
    from openapi_schema_validator import OAS30Validator

    return OAS30Validator({"$ref": f"#/components/schemas/{name}", "components": document["components"]})


def add_image(listing, n: int = 1) -> ListingImage:
    image = ListingImage(listing=listing, filename=f"{n:032x}.jpg", thumb_filename=f"{n:032x}_thumb.jpg",
                         width=1200, height=800, position=n)
    db.session.add(image)
    db.session.flush()
    return image


def enrich(world) -> None:
    """Fill every optional field the API shows, so that schema tests see non-null values too."""
    a = world.enterprise_a
    a.name_en, a.phone, a.address = "Ganada Environmental Services", "063-123-4567", "군산시 수송로 1"
    factories.profile(a, "cleaning", website="https://ganada.example.kr", description="사무실과 계단 청소를 합니다.",
                      founded_year=2015, employees=12, vulnerable_employees=7,
                      secondary_industries=[factories.industry("facility")], logo_filename=f"{99:032x}_thumb.jpg")
    factories.certification(a, "women_owned", number="W-1", valid_from=date(2018, 1, 1), valid_to=date(2020, 12, 31))
    world.listing_a.group = factories.industry("cleaning-office")
    world.listing_a.description = "주 3회 사무실 청소"
    world.listing_a.lead_time_days, world.listing_a.service_area = 7, "군산시 전역"
    add_image(world.listing_a, 1)
    add_image(world.listing_a, 2)
    world.quote_only = factories.listing(a, "계단 청소", unit_price_krw=None, category="services")
    db.session.commit()
