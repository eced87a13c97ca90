"""The filters of /api/v1/enterprises and /api/v1/listings select what the documentation says."""
from __future__ import annotations

from datetime import date

from market.extensions import db
from tests import factories
from tests.api import API


def _names(client, url) -> list[str]:
    response = client.get(url)
    assert response.status_code == 200, response.get_json()
    return [item["name"] for item in response.get_json()["data"]]


def _titles(client, url) -> list[str]:
    response = client.get(url)
    assert response.status_code == 200, response.get_json()
    return [item["title"] for item in response.get_json()["data"]]


# --- enterprises ---

def test_enterprises_lists_approved_enterprises_by_name(client, world):
    assert _names(client, f"{API}/enterprises") == ["(주)가나다 환경서비스", "협동조합 라마바 도시락"]


def test_enterprises_filtered_by_industry_include_those_with_it_as_a_secondary_industry(client, world):
    factories.profile(world.enterprise_b, "catering", secondary_industries=[factories.industry("cleaning")])
    db.session.commit()
    assert _names(client, f"{API}/enterprises?industry=cleaning") == ["(주)가나다 환경서비스", "협동조합 라마바 도시락"]
    assert _names(client, f"{API}/enterprises?industry=catering") == ["협동조합 라마바 도시락"]


def test_enterprises_filtered_by_type_hold_that_certification_verified_and_valid_today(client, world):
    expired = factories.organization(name="기한 지난 사회적기업")
    factories.certification(expired, "social_enterprise", valid_from=date(2015, 1, 1), valid_to=date(2018, 1, 1))
    db.session.commit()
    assert _names(client, f"{API}/enterprises?type=social_enterprise") == ["(주)가나다 환경서비스"]
    # B's preliminary designation is still pending verification.
    assert _names(client, f"{API}/enterprises?type=preliminary_social_enterprise") == []


def test_enterprise_types_are_the_kinds_valid_today_and_certifications_only_the_verified_ones(client, world):
    factories.certification(world.enterprise_a, "women_owned", number="W-1", valid_from=date(2018, 1, 1),
                            valid_to=date(2020, 12, 31))
    db.session.commit()
    a = client.get(f"{API}/enterprises/{world.enterprise_a.id}").get_json()
    b = client.get(f"{API}/enterprises/{world.enterprise_b.id}").get_json()
    assert a["types"] == ["social_enterprise"]
    assert [(c["kind"], c["valid_today"]) for c in a["certifications"]] == [("social_enterprise", True),
                                                                            ("women_owned", False)]
    assert b["types"] == [] and b["certifications"] == []


def test_enterprises_filtered_by_area(client, world):
    assert _names(client, f"{API}/enterprises?area=나운1동") == ["협동조합 라마바 도시락"]
    assert _names(client, f"{API}/enterprises?area=옥구읍") == []


def test_enterprises_search_finds_a_two_syllable_korean_word(client, world):
    assert _names(client, f"{API}/enterprises?q=청소") == ["(주)가나다 환경서비스"]
    assert _names(client, f"{API}/enterprises?q=도시락") == ["협동조합 라마바 도시락"]


def test_enterprises_sorted_newest_first(client, world):
    assert _names(client, f"{API}/enterprises?sort=newest") == ["협동조합 라마바 도시락", "(주)가나다 환경서비스"]


def test_enterprise_counts_only_its_published_listings(client, world):
    factories.listing(world.enterprise_b, "케이터링", "catering", status="draft")
    factories.listing(world.enterprise_a, "창문 청소", status="archived")
    db.session.commit()
    counts = {e["name"]: e["listing_count"] for e in client.get(f"{API}/enterprises").get_json()["data"]}
    assert counts == {"(주)가나다 환경서비스": 1, "협동조합 라마바 도시락": 0}


def test_enterprise_links_to_its_page_and_to_its_listings_in_the_api(client, world):
    a = client.get(f"{API}/enterprises/{world.enterprise_a.id}").get_json()
    assert a["url"] == f"http://localhost/enterprises/{world.enterprise_a.id}"
    listings = client.get(a["listings_url"]).get_json()["data"]
    assert [item["title"] for item in listings] == ["사무실 청소 용역"]


# --- listings ---

def _more_listings(world):
    world.goods = factories.listing(world.enterprise_a, "청소용 세제", "household", category="goods", unit="개",
                                    unit_price_krw=12_000)
    world.office = factories.listing(world.enterprise_a, "건물 청소", group=factories.industry("cleaning-office"),
                                     unit_price_krw=2_000_000)
    world.on_request = factories.listing(world.enterprise_a, "특수 청소", unit_price_krw=None)
    db.session.commit()


def test_listings_search_finds_a_two_syllable_korean_word(client, world):
    factories.listing(world.enterprise_a, "화분 관리", "landscaping")
    db.session.commit()
    assert _titles(client, f"{API}/listings?q=청소") == ["사무실 청소 용역"]


def test_listings_filtered_by_industry_code(client, world):
    _more_listings(world)
    assert sorted(_titles(client, f"{API}/listings?industry=household")) == ["청소용 세제"]


def test_listings_filtered_by_item_group_code(client, world):
    _more_listings(world)
    assert _titles(client, f"{API}/listings?industry=cleaning-office") == ["건물 청소"]


def test_listings_filtered_by_type_goods_services_or_works(client, world):
    _more_listings(world)
    assert _titles(client, f"{API}/listings?type=goods") == ["청소용 세제"]
    assert _titles(client, f"{API}/listings?type=works") == []


def test_listings_filtered_by_enterprise(client, world):
    other = factories.organization(name="다른 기업")
    factories.certification(other)
    factories.listing(other, "다른 청소")
    db.session.commit()
    assert _titles(client, f"{API}/listings?enterprise={world.enterprise_a.id}") == ["사무실 청소 용역"]


def test_listings_filtered_by_price_range_in_won_leave_out_prices_on_request(client, world):
    _more_listings(world)
    assert sorted(_titles(client, f"{API}/listings?price_min=10000&price_max=500000")) == ["사무실 청소 용역",
                                                                                            "청소용 세제"]
    assert _titles(client, f"{API}/listings?price_min=1000000") == ["건물 청소"]


def test_listings_sorted_by_price_put_the_cheapest_first_and_prices_on_request_last(client, world):
    _more_listings(world)
    assert _titles(client, f"{API}/listings?sort=price") == ["청소용 세제", "사무실 청소 용역", "건물 청소", "특수 청소"]


def test_listing_on_request_has_a_null_price(client, world):
    _more_listings(world)
    listing = client.get(f"{API}/listings/{world.on_request.id}").get_json()
    assert listing["unit_price_krw"] is None


def test_listing_shows_its_price_in_whole_won_its_enterprise_and_its_page(client, world):
    listing = client.get(f"{API}/listings/{world.listing_a.id}").get_json()
    assert listing["unit_price_krw"] == 500_000 and listing["vat_included"] is True
    assert listing["enterprise"] == {"id": world.enterprise_a.id, "name": "(주)가나다 환경서비스",
                                     "url": f"http://localhost/api/v1/enterprises/{world.enterprise_a.id}"}
    assert listing["url"] == f"http://localhost/listings/{world.listing_a.id}"
    assert listing["created_at"].endswith("Z")


def test_listing_images_are_absolute_urls_of_the_media_route(client, world):
    from tests.api import add_image

    image = add_image(world.listing_a, 7)
    db.session.commit()
    images = client.get(f"{API}/listings/{world.listing_a.id}").get_json()["images"]
    assert images == [{"url": f"http://localhost/media/{image.filename}",
                       "thumbnail_url": f"http://localhost/media/{image.thumb_filename}",
                       "width": 1200, "height": 800}]


# --- industries and statistics ---

def test_industries_list_the_whole_taxonomy_with_item_groups_on_one_page(client, world):
    from market.catalog.taxonomy import INDUSTRIES

    body = client.get(f"{API}/industries").get_json()
    assert [i["code"] for i in body["data"]] == [e["code"] for e in INDUSTRIES]
    assert body["total"] == len(INDUSTRIES) and body["pages"] == 1
    cleaning = body["data"][0]
    assert {"code": "cleaning-office", "name_ko": "사무실·건물 청소",
            "name_en": "Office & building cleaning"} in cleaning["groups"]


def test_stats_count_approved_enterprises_published_listings_and_valid_certifications(client, world):
    factories.organization(name="심사 중인 기업", status="pending")
    db.session.commit()
    stats = client.get(f"{API}/stats").get_json()
    assert stats["enterprises"] == 2
    assert stats["listings"] == 1
    assert stats["listings_by_category"] == {"goods": 0, "services": 1, "works": 0}
    by_type = {row["type"]: row["enterprises"] for row in stats["by_type"]}
    assert by_type["social_enterprise"] == 1 and by_type["preliminary_social_enterprise"] == 0
    assert stats["by_main_industry"][0] == {"industry": {"code": "cleaning", "name_ko": "청소·방역·위생",
                                                         "name_en": "Cleaning, disinfection & sanitation"},
                                            "enterprises": 1}
