"""The portal in a real browser: a citizen finds open calls and downloads a document, an admin publishes a
notice with an attachment, an enterprise posts to the community and an admin hides it; every public page
passes axe-core (no serious or critical violation) and fits a phone-sized screen.

Selectors use addresses, ids and the content's own (Korean) titles, so the tests hold in either language.
"""
from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import expect

from market.content.demo import load_demo_content
from tests import factories as base
from tests.content import factories

pytestmark = pytest.mark.browser

AXE = Path(__file__).parent / "vendor" / "axe.min.js"
PHONE = {"width": 375, "height": 740}
CALL = "사회적기업 육성사업(창업팀) 추가 모집"  # a demo call, open until three days from today
RESOURCE = "공공기관 사회적경제기업 제품 우선구매 안내서"
VIDEO = "https://www.youtube.com/watch?v=abcdefghijk"


@pytest.fixture
def portal(app, db):
    """The access-matrix world with the portal's demo content and a community post of enterprise A."""
    world = base.build_world()
    load_demo_content()
    world.post = factories.post(world.users.enterprise_a, title="가나다 청소 봉사 활동", video_url=VIDEO,
                                body="수송동 공원을 함께 청소했습니다.")
    factories.attachment(world.post, factories.png_bytes((64, 48)), "봉사.png", "png")
    db.session.commit()
    return world


def public_pages(world) -> list[str]:
    from market.content.models import GuidePage, Notice, Resource
    from market.extensions import db

    notice = db.session.scalar(db.select(Notice).where(Notice.title == CALL))
    resource = db.session.scalar(db.select(Resource).where(Resource.title == RESOURCE))
    page = db.session.scalar(db.select(GuidePage).where(GuidePage.slug == "social-enterprise"))
    return ["/", "/notices", "/notices?category=programme&period=open", f"/notices/{notice.id}", "/resources",
            f"/resources/{resource.id}", "/guides", f"/guides/{page.slug}", "/community",
            f"/community/{world.post.id}", "/notices?q=없는검색어"]


def axe_violations(page) -> list[str]:
    # Evaluated through the browser's debugging protocol, which the page's CSP does not govern (a <script> added
    # to the page would be refused, as it should be): the pages are checked under their own policy.
    page.evaluate(AXE.read_text(encoding="utf-8"))
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    return [f"{page.url}: {v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes']][:3]}"
            for v in result["violations"] if v["impact"] in ("serious", "critical")]


def log_in_as(page, live_server, email: str) -> None:
    page.goto(f"{live_server}/accounts/login")
    page.fill("input[name=email]", email)
    page.fill("input[name=password]", base.PASSWORD)
    page.click("main form button[type=submit]")
    page.wait_for_url(f"{live_server}/dashboard")


def log_out(page) -> None:
    page.locator("form[action$='/accounts/logout'] button").click()


def test_a_citizen_finds_the_open_calls_and_downloads_a_document(page, live_server, portal):
    page.goto(live_server)
    page.locator("#open-calls").get_by_role("link", name=CALL).click()
    expect(page.locator("h1")).to_have_text(CALL)
    expect(page.locator(".period-box .badge")).to_be_visible()
    page.goto(f"{live_server}/")
    page.locator("#latest-resources").get_by_role("link", name=RESOURCE).click()
    with page.expect_download() as download_info:
        page.locator(".file-list a").first.click()
    download = download_info.value
    assert download.suggested_filename == "우선구매_안내서.pdf"
    assert Path(download.path()).read_bytes().startswith(b"%PDF-")
    page.reload()
    expect(page.locator(".file-list")).to_contain_text("1")


def test_an_admin_publishes_a_notice_with_an_attachment(page, live_server, portal, tmp_path):
    attachment = tmp_path / "교육_안내문.pdf"
    attachment.write_bytes(factories.PDF)
    log_in_as(page, live_server, portal.users.city.email)
    page.goto(f"{live_server}/notices/new?category=education")
    page.fill("#title", "1월 마을기업 실무 교육 안내")
    page.fill("#body", "## 교육 일정\n\n- 1월 15일 오후 2시")
    page.fill("#apply_starts_on", "2026-11-20")
    page.fill("#apply_ends_on", "2027-01-10")
    page.set_input_files("#attachments", str(attachment))
    page.click("button[value=preview]")
    expect(page.locator("#preview h3")).to_have_text("교육 일정")
    page.set_input_files("#attachments", str(attachment))  # a file input is never refilled by the server
    page.select_option("#save_as", "publish")
    page.click("button[value=save]")
    expect(page.locator(".alert-success")).to_be_visible()
    notice_url = page.url
    log_out(page)
    page.goto(notice_url)
    expect(page.locator("h1")).to_have_text("1월 마을기업 실무 교육 안내")
    expect(page.locator(".file-list")).to_contain_text("교육_안내문.pdf")


def test_an_enterprise_posts_to_the_community_and_an_admin_hides_it(page, live_server, portal, tmp_path):
    photo = tmp_path / "행사.png"
    photo.write_bytes(factories.png_bytes((80, 60)))
    log_in_as(page, live_server, portal.users.enterprise_a.email)
    page.goto(f"{live_server}/community/new")
    page.fill("#title", "12월 나눔 장터 후기")
    page.fill("#body", "많은 분이 찾아 주셨습니다.")
    page.set_input_files("#photos", str(photo))
    page.select_option("#save_as", "publish")
    page.click("button[value=save]")
    expect(page.locator(".photo-grid img")).to_have_count(1)
    post_url = page.url
    log_out(page)

    log_in_as(page, live_server, portal.users.city.email)
    page.goto(post_url)
    page.fill("#note", "개인정보가 보이는 사진이 있습니다.")
    page.once("dialog", lambda dialog: dialog.accept())
    page.locator("form[action$='/hide'] button").click()
    expect(page.locator(".alert-success")).to_be_visible()
    expect(page.locator(".alert-warning")).to_contain_text("개인정보가 보이는 사진이 있습니다.")
    log_out(page)

    response = page.goto(post_url)
    assert response.status == 404
    page.goto(f"{live_server}/community")
    expect(page.get_by_text("12월 나눔 장터 후기")).to_have_count(0)


def test_a_video_is_loaded_only_after_the_visitor_asks(page, live_server, portal):
    requested = []

    def fake_player(route):  # never reach the video site from a test
        requested.append(route.request.url)
        route.fulfill(status=200, content_type="text/html", body="<title>player</title>")

    page.route("https://www.youtube-nocookie.com/**", fake_player)
    page.goto(f"{live_server}/community/{portal.post.id}")
    expect(page.locator("iframe")).to_have_count(0)
    assert requested == []
    page.click("[data-load-video]")
    expect(page.locator("iframe.video-frame")).to_have_attribute(
        "src", "https://www.youtube-nocookie.com/embed/abcdefghijk")


def test_every_public_page_passes_the_accessibility_check(page, live_server, portal):
    violations = []
    for path in public_pages(portal):
        page.goto(f"{live_server}{path}")
        violations += axe_violations(page)
    assert violations == [], "\n".join(violations)


def test_the_editors_pass_the_accessibility_check(page, live_server, portal):
    violations = []
    log_in_as(page, live_server, portal.users.city.email)
    for path in ("/notices/new", "/resources/new", "/guides/new", f"/community/{portal.post.id}"):
        page.goto(f"{live_server}{path}")
        violations += axe_violations(page)
    log_out(page)
    log_in_as(page, live_server, portal.users.enterprise_a.email)
    for path in ("/community/new", f"/community/{portal.post.id}/edit", "/community/mine"):
        page.goto(f"{live_server}{path}")
        violations += axe_violations(page)
    assert violations == [], "\n".join(violations)


def test_every_public_page_fits_a_phone_sized_screen(page, live_server, portal):
    page.set_viewport_size(PHONE)
    too_wide = []
    for path in public_pages(portal):
        page.goto(f"{live_server}{path}")
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > PHONE["width"]:
            too_wide.append(f"{path}: {width}px")
        too_wide += [f"{path}: {v}" for v in axe_violations(page)]
    assert too_wide == [], "\n".join(too_wide)
