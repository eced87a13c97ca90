"""An agency's manager proposes a percentage target; the support center approves it and it becomes the standing
target, computed on the agency's planned totals."""
from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from market.demo import data

pytestmark = pytest.mark.browser

AGENCY = data.AGENCIES[0]
MANAGER = AGENCY["buyers"][0]["email"]


def test_a_proposed_percentage_target_stands_once_approved(page, live_server, demo_city, log_in):
    log_in(MANAGER)
    page.goto(f"{live_server}/reports/")
    page.locator("a[href*='/proposal']").first.click()
    page.select_option("select[name=basis-social_economy]", "percent")
    page.fill("#target-social_economy", "2")
    page.locator("form button[type=submit].btn-primary").last.click()
    expect(page.locator(".alert-success")).to_be_visible()
    page.get_by_role("button", name=re.compile("로그아웃|Log out")).click()

    log_in(data.CITY["admin_email"])
    page.goto(f"{live_server}/reports/")
    page.get_by_role("link", name=re.compile(re.escape(AGENCY["name"]) + r" · \d{4}")).click()
    page.once("dialog", lambda dialog: dialog.accept())
    page.locator("form[action$='/approve'] button").click()
    expect(page.locator(".alert-success")).to_be_visible()
    page.locator("a", has_text=AGENCY["name"]).first.click()
    # 2% of the demo's planned 800M goods + 400M services + 1,500M works.
    expect(page.locator("table").first).to_contain_text("54,000,000")
