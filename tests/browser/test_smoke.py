"""Each demo role logs in through the real login form and sees its own home page, in Korean."""
from __future__ import annotations

import pytest
from playwright.sync_api import expect

from market.demo import data

pytestmark = pytest.mark.browser

AGENCY = data.AGENCIES[0]
ENTERPRISE = data.ENTERPRISES[0]
ROLES = {
    "city admin": (data.CITY["admin_email"], "지원센터"),
    "agency manager": (AGENCY["buyers"][0]["email"], AGENCY["name"]),
    "enterprise manager": (ENTERPRISE["email"], ENTERPRISE["name"]),
}


@pytest.mark.parametrize("role", ROLES)
def test_demo_role_logs_in_and_sees_its_home_page(page, live_server, demo_city, log_in, role):
    email, heading = ROLES[role]
    log_in(email)
    expect(page.locator("h1")).to_contain_text(heading)
    expect(page.locator("html")).to_have_attribute("lang", "ko")
    expect(page.get_by_role("button", name="로그아웃")).to_be_visible()
    page.get_by_role("button", name="로그아웃").click()
    expect(page.get_by_role("link", name="로그인", exact=True)).to_be_visible()


def test_wrong_password_is_refused_with_a_message(page, live_server, demo_city):
    page.goto(f"{live_server}/accounts/login")
    page.fill("input[name=email]", data.CITY["admin_email"])
    page.fill("input[name=password]", "not the password")
    page.click("main form button[type=submit]")
    expect(page.locator(".alert-danger")).to_be_visible()
    expect(page.locator("input[name=email]")).to_have_value(data.CITY["admin_email"])


def test_phone_sized_screen_has_a_working_menu(page, live_server, demo_city, log_in):
    page.set_viewport_size({"width": 375, "height": 740})
    log_in(data.CITY["admin_email"])
    menu = page.locator("#site-nav")
    expect(menu).to_be_hidden()
    page.get_by_role("button", name="메뉴").click()
    expect(menu.get_by_role("link", name="기관/기업")).to_be_visible()


def test_enterprise_signs_up_and_the_city_approves_it(page, live_server, demo_city, log_in):
    page.goto(f"{live_server}/accounts/signup")
    page.fill("#organization_name", "(주)군산 새싹 청소")
    page.fill("#name", "최새싹")
    page.fill("#email", "saessak@example.kr")
    page.fill("#password", "a long password")
    page.fill("#confirm", "a long password")
    page.check("#agree")
    page.click("main form button[type=submit]")
    expect(page.locator("h1")).to_contain_text("접수")
    log_in(data.CITY["admin_email"])
    page.goto(f"{live_server}/accounts/admin/organizations?status=pending")
    page.get_by_role("link", name="(주)군산 새싹 청소").click()
    # A new enterprise has given nothing but its name: the city sees it and confirms before approving.
    expect(page.locator("#enterprise-review .badge-warning").first).to_be_visible()
    page.get_by_role("button", name="승인", exact=True).click()
    expect(page.locator("#incomplete_confirmed-error")).to_be_visible()
    page.check("#incomplete_confirmed")
    page.get_by_role("button", name="승인", exact=True).click()
    expect(page.locator(".alert-success")).to_be_visible()
    expect(page.locator("h1 .badge")).to_have_text("승인 완료")
