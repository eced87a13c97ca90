"""The whole buying workflow in a real browser: a request to three enterprises, two quotes and a decline,
the award, confirmation, delivery and inspection; both sides see the same history."""
from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from market.demo import data

pytestmark = pytest.mark.browser

BUYER = data.AGENCIES[1]["buyers"][0]["email"]
SUPPLIERS = [e for e in data.ENTERPRISES if e["industry"] == "cleaning"][:3]


def _submit(page, selector: str) -> None:
    page.once("dialog", lambda dialog: dialog.accept())
    page.locator(selector).first.click()


def test_request_quotes_award_delivery_and_inspection(page, live_server, demo_city, log_in):
    log_in(BUYER)
    page.goto(f"{live_server}/procurement/requests/new")
    page.fill("#title", "청사 계단 청소 (1개월)")
    page.select_option("#category", "services")
    page.fill("#items-0-description", "계단·복도 청소")
    page.fill("#items-0-quantity", "1")
    page.select_option("#items-0-unit", "월")
    page.fill("#delivery_place", "군산시청 본관")
    names = [s["name"] for s in SUPPLIERS]
    page.select_option("#recipients", label=names)
    page.click("button[name=send]")
    expect(page.locator(".alert-success")).to_be_visible()
    request_url = page.url
    request_path = re.sub(r"^https?://[^/]+", "", request_url)
    page.get_by_role("button", name=re.compile("로그아웃|Log out")).click()

    for supplier, price in zip(SUPPLIERS[:2], ("900000", "850000")):
        log_in(supplier["email"])
        page.goto(request_url)
        page.locator("input[name^=price-]").first.fill(price)
        page.locator("form[action$='/quote'] button[type=submit]").click()
        expect(page.locator(".alert-success")).to_be_visible()
        page.get_by_role("button", name=re.compile("로그아웃|Log out")).click()

    log_in(SUPPLIERS[2]["email"])
    page.goto(request_url)
    page.locator("details.decline summary").click()
    page.fill("#decline-note", "인력이 부족합니다")
    page.locator("form[action$='/decline'] button").click()
    expect(page.locator(".alert-success")).to_be_visible()
    page.get_by_role("button", name=re.compile("로그아웃|Log out")).click()

    log_in(BUYER)
    page.goto(f"{live_server}{request_path}/compare")
    expect(page.locator("table.compare")).to_contain_text("850,000")
    _submit(page, "table.compare form[action$='/accept'] button")
    expect(page.locator("h1")).to_contain_text("GS-")
    order_url = page.url
    page.get_by_role("button", name=re.compile("로그아웃|Log out")).click()

    cheaper = SUPPLIERS[1]
    log_in(cheaper["email"])
    page.goto(order_url)
    _submit(page, "form[action$='/confirm'] button")
    expect(page.locator(".alert-success")).to_be_visible()
    _submit(page, "form[action$='/deliver'] button")
    expect(page.locator(".alert-success")).to_be_visible()
    supplier_history = page.locator("ol.timeline").inner_text()
    page.get_by_role("button", name=re.compile("로그아웃|Log out")).click()

    log_in(BUYER)
    page.goto(order_url)
    _submit(page, "form[action$='/inspect'] button")
    expect(page.locator(".alert-success")).to_be_visible()
    buyer_history = page.locator("ol.timeline").inner_text()
    assert supplier_history.strip() in buyer_history, "both sides see the same history"
    expect(page.locator("ol.timeline li")).to_have_count(4)


def test_a_printable_document_prints_from_its_button_under_the_sites_policy(page, live_server, log_in, world):
    """The seven printable documents had inline onclick handlers, which the Content-Security-Policy refuses:
    their button now works through static/js/app.js."""
    from tests import factories

    page.add_init_script("window.print = () => { document.body.dataset.printed = 'yes'; };")
    log_in("x@example.kr", factories.PASSWORD)
    for document in ("print", "inspection"):
        page.goto(f"{live_server}/procurement/orders/{world.order_x.id}/{document}")
        page.locator("[data-print]").click()
        expect(page.locator("body")).to_have_attribute("data-printed", "yes")
