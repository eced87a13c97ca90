"""Lists are paginated in an envelope; bad parameters are refused with 400, never ignored; a page costs a fixed
number of SQL queries whatever its size."""
from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest

from market.extensions import db
from tests import factories
from tests.api import API, add_image


def _many_enterprises(count: int = 22) -> None:
    """`count` approved enterprises, each with a full profile, certifications and two listings with images."""
    for n in range(count):
        org = factories.organization(name=f"청소 기업 {n:02d}")
        factories.profile(org, "cleaning", area="수송동", secondary_industries=[factories.industry("facility")])
        factories.certification(org, "social_enterprise", number=f"S-{n}")
        factories.certification(org, "women_owned", number=f"W-{n}")
        for title in ("계단 청소", "유리창 청소"):
            listing = factories.listing(org, title, group=factories.industry("cleaning-office"))
            add_image(listing, n * 2 + 1)
    db.session.commit()


def test_list_envelope_carries_page_per_page_total_pages_and_links(client, world):
    _many_enterprises(3)
    body = client.get(f"{API}/enterprises?per_page=2&page=2").get_json()
    assert (body["page"], body["per_page"], body["total"], body["pages"]) == (2, 2, 5, 3)
    assert len(body["data"]) == 2
    assert set(body["links"]) == {"self", "first", "last", "next", "prev"}


def test_next_and_prev_links_lead_to_the_neighbouring_pages_with_the_same_filters(client, world):
    _many_enterprises(5)
    body = client.get(f"{API}/enterprises?q=청소&per_page=2&page=2").get_json()
    next_query = parse_qs(urlsplit(body["links"]["next"]).query)
    assert next_query == {"q": ["청소"], "per_page": ["2"], "page": ["3"]}
    assert parse_qs(urlsplit(body["links"]["prev"]).query)["page"] == ["1"]
    following = client.get(body["links"]["next"]).get_json()
    assert following["page"] == 3 and following["data"][0]["id"] not in {e["id"] for e in body["data"]}


def test_first_page_has_no_prev_link_and_last_page_no_next_link(client, world):
    body = client.get(f"{API}/enterprises?per_page=1").get_json()
    assert body["links"]["prev"] is None and body["links"]["next"] is not None
    last = client.get(body["links"]["last"]).get_json()
    assert last["page"] == 2 and last["links"]["next"] is None


def test_per_page_defaults_to_twenty(client, world):
    _many_enterprises(22)
    body = client.get(f"{API}/enterprises").get_json()
    assert body["per_page"] == 20 and len(body["data"]) == 20 and body["pages"] == 2


def test_a_page_beyond_the_last_is_empty_rather_than_an_error(client, world):
    body = client.get(f"{API}/listings?page=9").get_json()
    assert body["data"] == [] and body["total"] == 1 and body["links"]["next"] is None
    assert parse_qs(urlsplit(body["links"]["prev"]).query)["page"] == ["1"]


def test_an_empty_result_has_zero_pages(client, world):
    body = client.get(f"{API}/listings?q=없는단어").get_json()
    assert (body["data"], body["total"], body["pages"]) == ([], 0, 0)


BAD = [
    ("enterprises", "page=0", "page"),
    ("enterprises", "page=abc", "page"),
    ("enterprises", "page=-1", "page"),
    ("enterprises", "per_page=0", "per_page"),
    ("enterprises", "per_page=1000", "per_page"),
    ("enterprises", "per_page=2.5", "per_page"),
    ("enterprises", "type=unknown", "type"),
    ("enterprises", "type=goods", "type"),
    ("enterprises", "area=서울", "area"),
    ("enterprises", "industry=no-such-code", "industry"),
    ("enterprises", "sort=price", "sort"),
    ("enterprises", "q=" + "가" * 101, "q"),
    ("enterprises", "price_min=1", "price_min"),
    ("enterprises", "industy=cleaning", "industy"),
    ("enterprises", "type=cooperative&type=social_enterprise", "type"),
    ("listings", "price_min=abc", "price_min"),
    ("listings", "price_max=1e6", "price_max"),
    ("listings", "price_min=-5", "price_min"),
    ("listings", "price_min=500&price_max=100", "price_max"),
    ("listings", "type=social_enterprise", "type"),
    ("listings", "category=goods", "category"),
    ("listings", "enterprise=abc", "enterprise"),
    ("listings", "enterprise=0", "enterprise"),
    ("listings", "per_page=101", "per_page"),
    ("listings", "page=100000000000000000000", "page"),
    ("listings", "price_max=100000000000000000000", "price_max"),
    ("listings", "enterprise=100000000000000000000", "enterprise"),
    ("industries", "per_page=1000", "per_page"),
    ("industries", "q=청소", "q"),
    ("stats", "page=1", "page"),
    ("enterprises/{a}", "verbose=1", "verbose"),
    ("listings/{listing}", "page=1", "page"),
]


@pytest.mark.parametrize(("path", "query", "parameter"), BAD, ids=[f"{p}?{q[:30]}" for p, q, _ in BAD])
def test_bad_parameters_are_refused_with_a_400_naming_the_parameter(client, world, path, query, parameter):
    path = path.format(a=world.enterprise_a.id, listing=world.listing_a.id)
    response = client.get(f"{API}/{path}?{query}")
    assert response.status_code == 400
    body = response.get_json()
    assert body["error"] == "bad_parameter" and body["parameter"] == parameter
    assert parameter in body["message"]


@pytest.mark.parametrize("path", ["enterprises", "listings"])
def test_a_page_costs_the_same_number_of_queries_for_2_or_20_objects(client, world, count_queries, path):
    _many_enterprises(22)
    client.get(f"{API}/{path}?per_page=2")  # warm up
    with count_queries() as small:
        small_page = client.get(f"{API}/{path}?per_page=2&q=청소")
    with count_queries() as large:
        large_page = client.get(f"{API}/{path}?per_page=20&q=청소")
    assert len(small_page.get_json()["data"]) == 2 and len(large_page.get_json()["data"]) == 20
    assert large.count == small.count, large.statements


def test_an_enterprise_page_loads_in_at_most_ten_queries(client, world, count_queries):
    _many_enterprises(22)
    client.get(f"{API}/enterprises")
    with count_queries() as counter:
        client.get(f"{API}/enterprises?per_page=100")
    assert counter.count <= 10, counter.statements
