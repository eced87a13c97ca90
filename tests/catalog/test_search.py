"""Korean search: two-syllable words find longer titles, on SQLite and PostgreSQL alike."""
from __future__ import annotations

import unicodedata

import pytest
from sqlalchemy import event as sa_event

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


@pytest.fixture
def cleaning_shelf(world):
    """Twelve cleaning listings, updated at distinct times (two at the same time: the id breaks the tie)."""
    from datetime import datetime, timedelta

    titles = ["계단 청소", "청소년 코딩 교육", "유리창 청소 (월 단위)", "체육관 대청소", "주차장 청소 용역", "청소기 대여",
              "복도 청소", "화장실 특수청소", "청사 청소 서비스", "경로당 청소", "회의실 청소", "저수조 청소"]
    start = datetime(2026, 1, 1)
    for n, title in enumerate(titles):
        listing = factories.listing(world.enterprise_a, title)
        listing.updated_at = start + timedelta(hours=n % 11)
    factories.listing(world.enterprise_b, "친환경 도시락", "catering")
    db.session.commit()


def _page_ids(app, q: str, cap: int, monkeypatch, **filters) -> tuple[list[int], list[str]]:
    """The ids of the one page of `q`, and the SELECT statements that read it, with the count capped at `cap`."""
    from market.core import pagination

    monkeypatch.setattr(pagination.paginate_capped, "__defaults__", (cap,))
    statements = []
    engine = db.engine
    listen = lambda *args: statements.append(args[2])  # noqa: E731
    sa_event.listen(engine, "before_cursor_execute", listen)
    try:
        with app.test_request_context("/listings"):
            page = services.listings_page(per_page=100, q=q, **filters)
            return [listing.id for listing in page.items], statements
    finally:
        sa_event.remove(engine, "before_cursor_execute", listen)


@pytest.mark.parametrize("q", ["청소", "사무실 청소", "청소 용역"])
def test_walking_the_display_order_finds_what_the_bigram_index_finds_in_the_same_order(app, cleaning_shelf,
                                                                                      monkeypatch, q):
    through_bigrams, read = _page_ids(app, q, 1000, monkeypatch)
    walked, walked_read = _page_ids(app, q, 0, monkeypatch)
    assert walked == through_bigrams
    assert walked == [listing.id for listing in db.session.scalars(services.listings_query(q=q))]
    page = lambda statements: next(s for s in statements if "ORDER BY listing.updated_at" in s)  # noqa: E731
    assert "search_gram" in page(read) and "search_gram" not in page(walked_read)
    assert through_bigrams, "the search should find listings"


def test_walking_applies_the_other_filters(app, cleaning_shelf, world, monkeypatch):
    cleaning = services.industry_by_code("cleaning")
    walked, _ = _page_ids(app, "청소", 0, monkeypatch, industry=cleaning, price_max=500_000)
    expected = db.session.scalars(services.listings_query(q="청소", industry=cleaning, price_max=500_000)).all()
    assert walked == [listing.id for listing in expected] and len(walked) == 13  # and the world's own


def test_the_rarest_bigram_drives_the_search(cleaning_shelf):
    assert search.grams_by_rarity(search.LISTING, "사무실 청소") == ["무실", "사무", "청소"]
    assert search.grams_by_rarity(search.LISTING, "청소") == ["청소"]
    assert search.grams_by_rarity(search.LISTING, "기") == []


def test_a_listing_search_glimpses_six_matching_enterprises_by_name_and_links_to_all(client, world):
    # Registered in this order; the glimpse takes the first six registered and shows them by name.
    names = ["하늘 반찬", "가람 반찬", "나래 반찬", "다솜 반찬", "마루 반찬", "바다 반찬", "사랑 반찬"]
    enterprises = [factories.organization(name=name) for name in names]
    for enterprise in enterprises:
        factories.profile(enterprise, "catering")
    factories.profile(factories.organization(name="보류 반찬", status="pending"), "catering")
    db.session.commit()

    shown = services.enterprises_matching("반찬")
    assert [org.name for org in shown] == sorted(names[:6])

    html = client.get("/listings?q=반찬").get_data(as_text=True)
    assert "가람 반찬" in html and "보류 반찬" not in html and "사랑 반찬" not in html
    assert "/enterprises?q=%EB%B0%98%EC%B0%AC" in html
    all_of_them = client.get("/enterprises?q=반찬").get_data(as_text=True)
    assert all(name in all_of_them for name in names)


def test_a_search_is_planned_without_parallel_workers_for_its_transaction_only(app, cleaning_shelf):
    import sqlalchemy as sa

    if db.engine.dialect.name != "postgresql":
        pytest.skip("PostgreSQL's planner setting")
    show = lambda: db.session.scalar(sa.text("SHOW max_parallel_workers_per_gather"))  # noqa: E731
    with app.test_request_context("/listings"):
        db.session.rollback()
        default = show()
        services.listings_page(per_page=20, q="청소")
        assert show() == "0"
        db.session.rollback()
        assert show() == default != "0"


@pytest.mark.parametrize(("query", "expected"), [
    ("한식도시락", {"친환경 한식 도시락", "한식도시락세트"}),   # typed without the title's space
    ("한식 도시락", {"친환경 한식 도시락", "한식도시락세트"}),  # typed with a space the title lacks
    ("사무실청소", {"사무실 청소 용역"}),
])
def test_spacing_does_not_matter(world, query, expected):
    for title in ("친환경 한식 도시락", "한식도시락세트"):
        factories.listing(world.enterprise_b, title, "catering")
    db.session.commit()
    assert _titles(query) == expected


def test_a_renamed_industry_is_found_by_its_new_name_only(world, as_user):
    factories.listing(world.enterprise_b, "정기 관리 서비스", "cleaning")
    db.session.commit()
    cleaning = services.industry_by_code("cleaning")
    old_name = cleaning.name_ko
    assert "정기 관리 서비스" in _titles(old_name)
    response = as_user(world.users.city).post(f"/catalog/admin/industries/{cleaning.id}",
                                              data={"name_ko": "위생관리업", "name_en": cleaning.name_en})
    assert response.status_code == 302
    assert "정기 관리 서비스" in _titles("위생관리업") and "정기 관리 서비스" not in _titles(old_name)
    names = {org.name for org in db.session.scalars(services.directory_query(q="위생관리업"))}
    assert world.enterprise_a.name in names
