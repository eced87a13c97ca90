"""In English the catalog names industries and item groups in English everywhere, including inside the shared
macros (the filter dropdowns, the listing cards)."""
from __future__ import annotations

import re

from markupsafe import escape

from market.catalog import services
from market.extensions import db
from tests import factories


def _options(html: str, name: str) -> list[str]:
    select = re.search(rf'<select name="{name}"[^>]*>(.*?)</select>', html, re.S).group(1)
    return [text.replace("&nbsp;", "").strip(" ·") for text in re.findall(r"<option[^>]*>(.*?)</option>", select, re.S)]


def _english_client(client):
    client.post("/language/en")
    return client


def test_directory_filter_names_industries_in_english(client, world):
    options = _options(_english_client(client).get("/enterprises").get_data(as_text=True), "industry")
    cleaning = services.industry_by_code("cleaning")
    assert str(escape(cleaning.name_en)) in options and cleaning.name_ko not in options


def test_listing_search_filter_names_industries_and_item_groups_in_english(client, world):
    options = _options(_english_client(client).get("/listings").get_data(as_text=True), "industry")
    office = services.industry_by_code("cleaning-office")
    assert str(escape(office.name_en)) in options and office.name_ko not in options


def test_listing_cards_name_the_industry_in_english(client, world):
    cleaning = services.industry_by_code("cleaning")
    english = _english_client(client)
    for url in ("/listings", f"/enterprises/{world.enterprise_a.id}"):
        card = re.search(r'<article class="listing-card.*?</article>', english.get(url).get_data(as_text=True), re.S)
        assert str(escape(cleaning.name_en)) in card.group(0) and cleaning.name_ko not in card.group(0), url


def test_an_english_user_sees_english_names_without_choosing_in_the_session(as_user, world):
    reader = factories.user(world.agency_x, email="english@example.kr", locale="en")
    db.session.commit()
    html = as_user(reader).get("/listings").get_data(as_text=True)
    assert services.industry_by_code("cleaning").name_ko not in html
