"""Numbers typed into a list's address: a page or a filter too large, negative or not a number never makes a 500;
a page past the end of a list says so and offers the first page."""
from __future__ import annotations

import re

import pytest

from market.catalog.forms import MAX_PRICE_KRW

HUGE = "99999999999999999999"  # beyond every database integer

# (who looks, the list) for every HTML list that pages
LISTS = [
    (None, "/enterprises"), (None, "/listings"), (None, "/notices"), (None, "/resources"), (None, "/community"),
    ("enterprise_a", "/community/mine"), ("enterprise_a", "/procurement/orders"),
    ("agency_x", "/procurement/requests"), ("agency_x", "/procurement/orders"), ("agency_x", "/payments/"),
    ("agency_x", "/reports/off-platform"), ("agency_x", "/reports/agencies/{agency_x}"),
    ("agency_x", "/reports/agencies/{agency_x}/orders"),
    ("city", "/catalog/admin/certifications"), ("city", "/accounts/admin/organizations"),
    ("city", "/accounts/admin/outbox"), ("city", "/accounts/admin/audit"), ("city", "/reports/?view=enterprises"),
    ("city", "/reports/purchases"), ("city", "/reports/off-platform/review"),
]


def _client(client, as_user, world, who):
    return client if who is None else as_user(getattr(world.users, who))


def _url(url: str, world, **args) -> str:
    url = url.format(agency_x=world.agency_x.id)
    return url + ("&" if "?" in url else "?") + "&".join(f"{k}={v}" for k, v in args.items())


@pytest.mark.parametrize("who, url", LISTS)
def test_a_page_number_beyond_the_databases_integers_is_past_the_end(client, as_user, world, who, url):
    response = _client(client, as_user, world, who).get(_url(url, world, page=HUGE))
    assert response.status_code == 404
    assert "Go to the first page" in _english(client, as_user, world, who, _url(url, world, page=HUGE))


@pytest.mark.parametrize("who, url", LISTS)
@pytest.mark.parametrize("page", ["-3", "0", "abc", "1.5"])
def test_a_malformed_or_negative_page_number_shows_the_first_page(client, as_user, world, who, url, page):
    assert _client(client, as_user, world, who).get(_url(url, world, page=page)).status_code == 200


def _english(client, as_user, world, who, url) -> str:
    browser = _client(client, as_user, world, who)
    browser.post("/language/en")
    return browser.get(url).get_data(as_text=True)


def test_a_page_past_the_end_says_so_and_links_to_the_first_page_with_the_same_filters(client, world):
    client.post("/language/en")
    response = client.get("/enterprises?page=99&area=수송동&sort=newest")
    html = response.get_data(as_text=True)
    assert response.status_code == 404
    assert "This page does not exist" in html and "No enterprise matches" not in html
    first = re.search(r'<a class="btn btn-primary" href="([^"]+)">Go to the first page</a>', html).group(1)
    assert "page=" not in first and "sort=newest" in first
    assert client.get(first.replace("&amp;", "&")).status_code == 200


def test_the_last_page_is_still_a_page(client, world):
    assert client.get("/enterprises?page=1").status_code == 200
    assert client.get("/enterprises?page=2").status_code == 404, "two enterprises fit on one page"


@pytest.mark.parametrize("value, shown", [(HUGE, str(MAX_PRICE_KRW)), ("-5", "0"), ("abc", "")])
@pytest.mark.parametrize("name", ["price_min", "price_max"])
def test_a_price_filter_out_of_range_is_brought_within_it(client, world, name, value, shown):
    response = client.get(f"/listings?{name}={value}")
    assert response.status_code == 200
    assert f'name="{name}" min="0" max="{MAX_PRICE_KRW}" step="1" value="{shown}"' in response.get_data(as_text=True)


def test_a_minimum_price_above_every_price_finds_nothing_and_a_maximum_above_every_price_everything(client, world):
    assert world.listing_a.title not in client.get(f"/listings?price_min={HUGE}").get_data(as_text=True)
    assert world.listing_a.title in client.get(f"/listings?price_max={HUGE}").get_data(as_text=True)


@pytest.mark.parametrize("args", [f"agency_id={HUGE}", f"enterprise_id={HUGE}", f"industry_id={HUGE}",
                                  f"year={HUGE}", "agency_id=-5", "enterprise_id=abc"])
def test_the_city_drill_down_survives_numbers_out_of_range(as_user, world, args):
    assert as_user(world.users.city).get(f"/reports/purchases?{args}").status_code in (200, 404)


def test_a_quote_request_prefilled_from_an_impossible_listing_id_starts_empty(as_user, world):
    response = as_user(world.users.agency_x).get(f"/procurement/requests/new?listing={HUGE}&enterprise={HUGE}")
    assert response.status_code == 200


@pytest.fixture
def two_pages_of_enterprises(world):
    from market.accounts.models import OrgKind
    from market.extensions import db
    from tests import factories

    for n in range(25):
        factories.profile(factories.organization(OrgKind.ENTERPRISE, name=f"페이지 기업 {n:02d}"), "crafts")
    db.session.commit()


def _page_links(html: str) -> list[str]:
    return re.findall(r'<nav class="pagination".*?</nav>', html, re.S)[0].split('href="')[1:]


def test_page_links_keep_every_filter_value(client, two_pages_of_enterprises):
    links = _page_links(client.get("/enterprises?industry=crafts&sort=newest").get_data(as_text=True))
    assert links and all(link.startswith("/enterprises?industry=crafts&amp;sort=newest&amp;page=") for link in links)


@pytest.mark.parametrize("args", ["_method=DELETE", "_external=1&_scheme=javascript", "_anchor=x"])
def test_page_links_ignore_names_url_for_takes_as_options(client, two_pages_of_enterprises, args):
    response = client.get(f"/enterprises?{args}")
    assert response.status_code == 200
    assert all(link.startswith("/enterprises?page=") for link in _page_links(response.get_data(as_text=True)))


def test_the_first_page_link_of_a_past_the_end_page_keeps_the_path_over_a_same_named_filter(as_user, world):
    html = as_user(world.users.city).get(
        f"/reports/agencies/{world.agency_x.id}?agency_id={world.agency_y.id}&page=99").get_data(as_text=True)
    assert f'<a class="btn btn-primary" href="/reports/agencies/{world.agency_x.id}">' in html
