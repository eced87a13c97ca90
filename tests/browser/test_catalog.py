"""The catalog in a real browser: a buyer finds suppliers; an enterprise edits its catalog; the city verifies."""
from __future__ import annotations

import pytest
from playwright.sync_api import expect

from market.demo import data

pytestmark = pytest.mark.browser

BUYER = data.AGENCIES[0]["buyers"][1]["email"]
CLEANERS = [e["name"] for e in data.ENTERPRISES if e["industry"] == "cleaning"]


def test_buyer_finds_suppliers_by_industry_type_and_korean_word(page, live_server, demo_city, log_in):
    log_in(BUYER)
    page.locator("#site-nav a[href='/enterprises']").click()
    page.select_option("select[name=industry]", "cleaning")
    page.get_by_role("button", name="검색").click()
    for name in CLEANERS:
        expect(page.get_by_role("link", name=name)).to_be_visible()
    page.select_option("select[name=type]", "village_enterprise")
    page.get_by_role("button", name="검색").click()
    expect(page.locator(".enterprise-card")).to_have_count(
        len([e for e in data.ENTERPRISES if e["industry"] == "cleaning" and e["type"] == "village_enterprise"])
        or 0)
    page.goto(f"{live_server}/listings")
    page.fill("input[name=q]", "도시락")
    page.get_by_role("button", name="검색").click()
    expect(page.locator(".listing-card").first).to_contain_text("도시락")


def test_phone_sized_screen_searches_listings(page, live_server, demo_city):
    page.set_viewport_size({"width": 375, "height": 740})
    page.goto(f"{live_server}/listings?q=청소")
    expect(page.locator(".listing-card").first).to_be_visible()
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 375, f"the page scrolls sideways on a phone ({width}px)"


def test_enterprise_adds_a_listing_and_the_city_verifies_a_certification(page, live_server, demo_city, log_in):
    enterprise = data.ENTERPRISES[0]
    log_in(enterprise["email"])
    page.goto(f"{live_server}/catalog/listings/new")
    page.fill("#title", "명절 선물용 수제 약과 세트")
    page.select_option("#category", "goods")
    page.select_option("#industry", "cafe")
    page.select_option("#unit", "세트")
    page.fill("#unit_price_krw", "25000")
    page.fill("#min_order", "10")
    page.get_by_role("button", name="저장").click()
    expect(page.locator(".alert-success")).to_be_visible()
    page.get_by_role("link", name="내 카탈로그", exact=True).click()
    row = page.locator("tr", has_text="명절 선물용 수제 약과 세트")
    row.get_by_role("button", name="공개").click()
    expect(page.locator(".alert-success")).to_be_visible()
    page.goto(f"{live_server}/catalog/certifications")
    page.select_option("#kind", "disabled_owned")
    page.fill("#number", "장애-2026-77")
    page.fill("#valid_from", "2026-01-01")
    page.fill("#valid_to", "2028-12-31")
    page.get_by_role("button", name="확인 요청").click()
    expect(page.locator(".alert-success")).to_be_visible()
    page.get_by_role("button", name="로그아웃").click()

    log_in(data.CITY["admin_email"])
    page.goto(f"{live_server}/catalog/admin/certifications")
    row = page.locator("tr", has_text="장애-2026-77")
    row.get_by_role("button", name="확인", exact=True).click()
    expect(page.locator(".alert-success")).to_be_visible()
    page.goto(f"{live_server}/listings?q=약과")
    expect(page.locator(".listing-card")).to_contain_text("명절 선물용 수제 약과 세트")


def test_import_preview_shows_a_rows_errors_on_a_phone_without_scrolling_sideways(page, live_server, demo_city,
                                                                                 log_in, tmp_path):
    log_in(data.ENTERPRISES[0]["email"])
    page.set_viewport_size({"width": 390, "height": 844})
    upload = tmp_path / "listings.csv"
    upload.write_text("id,title,category,industry,group,unit,unit_price_krw,vat_included,min_order,lead_time_days,"
                      "service_area,description\n,계단 청소 정기 서비스 (주 2회),용역,cleaning,,월,"
                      "99999999999999999999,Y,1,7,,\n", encoding="utf-8")
    page.goto(f"{live_server}/catalog/import")
    page.set_input_files("input[type=file]", str(upload))
    page.get_by_role("button", name="파일 확인").click()
    errors = page.locator("tr.row-error .errors")
    expect(errors).to_contain_text("unit_price_krw")
    box = errors.bounding_box()
    assert 0 <= box["x"] and box["x"] + box["width"] <= 390, f"the errors are off-screen: {box}"
    assert page.evaluate("document.documentElement.scrollWidth") <= 390


PHONE = {"width": 390, "height": 844}


def _fits_the_phone(page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"{page.url} scrolls sideways on a phone ({width}px)"


def test_an_enterprise_manages_its_catalog_on_a_phone(page, live_server, demo_city, log_in):
    enterprise = data.ENTERPRISES[0]
    log_in(enterprise["email"])
    page.set_viewport_size(PHONE)
    page.goto(f"{live_server}/catalog/certifications")
    _fits_the_phone(page)
    page.goto(f"{live_server}/catalog/listings")
    _fits_the_phone(page)
    first = page.locator("tbody tr").first
    for button in first.get_by_role("button").all():  # the actions are on screen, not beyond a hidden scroll
        box = button.bounding_box()
        assert box and box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"], button.inner_text()

    first.get_by_role("link").first.click()  # the listing's edit page publishes and unpublishes too
    _fits_the_phone(page)
    title = page.locator("h1")
    page.get_by_role("button", name="비공개 전환").click()
    expect(page.locator(".alert-success")).to_be_visible()
    expect(title).to_contain_text("임시저장")
    page.get_by_role("button", name="공개", exact=True).click()
    expect(title).to_contain_text("공개")
    expect(page.get_by_role("button", name="비공개 전환")).to_be_visible()


# A label's size as drawn: its font size times the scale of the SVG it may sit in (an SVG shrunk to its column
# shrinks its text with it).
DRAWN_FONT_SIZE = """e => {
  const svg = e.closest("svg"), box = svg && svg.viewBox.baseVal;
  const scale = box && box.width ? svg.getBoundingClientRect().width / box.width : 1;
  return parseFloat(getComputedStyle(e).fontSize) * scale;
}"""


@pytest.mark.parametrize("width", [PHONE["width"], 1280])
def test_statistics_chart_labels_are_readable_on_a_phone_and_a_desktop(page, live_server, demo_city, width):
    page.set_viewport_size({"width": width, "height": 844})
    page.goto(f"{live_server}/statistics")
    if width == PHONE["width"]:
        _fits_the_phone(page)
    labels = page.locator(".chart .bar-label, .chart .chart-label")
    expect(labels.first).to_be_visible()
    for label in labels.all():
        size = label.evaluate(DRAWN_FONT_SIZE)
        assert size >= 12, f"{label.text_content()}: {size:.1f}px"


def test_the_home_page_search_is_on_a_phones_first_screen(page, live_server, demo_city):
    page.set_viewport_size(PHONE)
    page.goto(live_server)
    box = page.get_by_role("search").bounding_box()
    assert box["y"] + box["height"] <= PHONE["height"], f"the search is {box['y']:.0f}px down the page"
    page.get_by_role("searchbox").fill("도시락")
    page.get_by_role("searchbox").press("Enter")
    expect(page.locator(".listing-card").first).to_contain_text("도시락")
