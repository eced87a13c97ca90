"""Off-platform purchases in a real browser (CSRF on, a real file upload): the agency records one, the support
center verifies it, and it shows in the agency's figures by channel; the city dashboard fits a phone."""
from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from market.demo import data
from tests.factories import TINY_PDF

pytestmark = pytest.mark.browser

BUYER = data.AGENCIES[2]["buyers"][0]["email"]
ENTERPRISE = data.ENTERPRISES[0]["name"]


def test_an_agency_records_a_purchase_and_the_city_verifies_it(page, live_server, demo_city, log_in, tmp_path):
    evidence = tmp_path / "나라장터 계약서.pdf"
    evidence.write_bytes(TINY_PDF)
    log_in(BUYER)
    page.goto(f"{live_server}/reports/off-platform/new")
    page.select_option("#enterprise_id", label=ENTERPRISE)
    page.fill("#contract_date", "2026-01-05")
    page.fill("#amount_krw", "7654321")
    page.select_option("#channel", "pps")
    page.fill("#description", "브라우저 시험: 청사 청소")
    page.set_input_files("#evidence", str(evidence))
    page.click("form[enctype] button[type=submit]")
    expect(page.locator(".alert-success")).to_be_visible()
    expect(page.locator("table")).to_contain_text("7,654,321원")
    page.get_by_role("button", name=re.compile("로그아웃|Log out")).click()

    log_in(data.CITY["admin_email"])
    page.goto(f"{live_server}/reports/off-platform/review")
    row = page.locator("tr", has_text="브라우저 시험: 청사 청소")
    row.locator("button.btn-primary").click()
    expect(page.locator(".alert-success")).to_be_visible()
    page.goto(f"{live_server}/reports/purchases?year=2026&channel=pps")
    expect(page.locator("table")).to_contain_text("7,654,321원")

    page.set_viewport_size({"width": 375, "height": 740})
    for view in ("agencies", "industries", "enterprises", "quarters"):
        page.goto(f"{live_server}/reports/?year=2026&view={view}")
        overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
        assert overflow <= 0, f"the {view} breakdown is wider than a phone"
