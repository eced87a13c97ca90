"""Korean search: two-syllable words find longer titles, on SQLite and PostgreSQL alike."""
from __future__ import annotations

import unicodedata

import pytest

from market.catalog import search, services
from market.extensions import db
from tests import factories


def _titles(q: str) -> set[str]:
    return {listing.title for listing in db.session.scalars(services.listings_query(q=q))}


@pytest.fixture
def shelf(world):
    for title, industry in [("친환경 도시락", "catering"), ("한식도시락세트", "catering"),
                            ("공공시설 방역·소독 서비스", "cleaning"), ("청소기 대여", "household"),
                            ("100% 국산 참기름", "food")]:
        factories.listing(world.enterprise_a, title, industry)
    db.session.commit()


@pytest.mark.parametrize(("query", "expected"), [
    # 청소 is in two titles, and in the name of the cleaning industry (청소·방역·위생) of a third.
    ("청소", {"사무실 청소 용역", "청소기 대여", "공공시설 방역·소독 서비스"}),
    ("도시락", {"친환경 도시락", "한식도시락세트"}),
    ("사무실 청소", {"사무실 청소 용역"}),
    ("소독", {"공공시설 방역·소독 서비스"}),
])
def test_korean_words_find_listings(shelf, query, expected):
    assert _titles(query) == expected


def test_a_one_syllable_word_still_matches(shelf):
    assert "청소기 대여" in _titles("기")


def test_decomposed_hangul_is_normalised(shelf):
    assert _titles(unicodedata.normalize("NFD", "도시락")) == {"친환경 도시락", "한식도시락세트"}


def test_like_wildcards_in_the_query_are_literal(shelf):
    assert _titles("100%") == {"100% 국산 참기름"}
    assert _titles("%") == {"100% 국산 참기름"}
    assert _titles("_") == set()


def test_the_enterprise_name_is_searchable(shelf, world):
    assert "사무실 청소 용역" in _titles("가나다")


def test_drafts_never_appear_in_search(world):
    assert _titles("도시락") == set()


def test_words_are_anded(shelf):
    assert _titles("친환경 세트") == set()


def test_bigrams_of_a_word():
    assert search.bigrams("도시락 청소") == {"도시", "시락", "청소"}


def test_enterprise_directory_search_finds_a_korean_word(world):
    names = {org.name for org in db.session.scalars(services.directory_query(q="청소"))}
    assert names == {world.enterprise_a.name}


def test_search_page_shows_results_and_the_matching_enterprise(client, shelf):
    html = client.get("/listings?q=청소").get_data(as_text=True)
    assert "사무실 청소 용역" in html and "청소기 대여" in html and "친환경 도시락" not in html
