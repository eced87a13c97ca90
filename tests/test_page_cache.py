"""Public pages kept for visitors without a session (market/core/page_cache.py)."""
from __future__ import annotations

import threading

import pytest
from flask import flash, make_response

from market import create_app
from market.catalog.models import Listing
from market.core import cache, page_cache
from market.extensions import db
from tests.live import Visitor, served_in_thread


@pytest.fixture
def kept_pages(app, monkeypatch):
    monkeypatch.setitem(app.config, "PAGE_CACHE_SECONDS", 30)
    return app


def test_an_anonymous_visitor_gets_the_kept_page(kept_pages, world, client):
    first = client.get("/")
    second = client.get("/")
    assert (first.status_code, first.headers["X-Cache"]) == (200, "MISS")
    assert (second.status_code, second.headers["X-Cache"]) == (200, "HIT")
    assert second.get_data() == first.get_data()
    assert second.content_type == first.content_type == "text/html; charset=utf-8"
    assert "Cookie" in second.headers["Vary"]


@pytest.mark.parametrize("path", ["/enterprises", "/listings?q=청소", "/statistics", "/notices", "/resources",
                                  "/guides", "/community", "/notices/feed.atom"])
def test_every_public_page_is_kept(kept_pages, world, client, path):
    assert client.get(path).headers.get("X-Cache") == "MISS"
    assert client.get(path).headers.get("X-Cache") == "HIT"


def test_a_listing_change_shows_once_the_stated_time_has_passed(kept_pages, world, client, monkeypatch):
    path = f"/listings/{world.listing_a.id}"
    assert "사무실 청소 용역" in client.get(path).get_data(as_text=True)
    db.session.get(Listing, world.listing_a.id).title = "계단 청소 용역"
    db.session.commit()
    assert "사무실 청소 용역" in client.get(path).get_data(as_text=True)  # within PAGE_CACHE_SECONDS: the copy
    later = cache.now() + kept_pages.config["PAGE_CACHE_SECONDS"] + 1
    monkeypatch.setattr(cache, "now", lambda: later)
    fresh = client.get(path)
    assert fresh.headers["X-Cache"] == "MISS" and "계단 청소 용역" in fresh.get_data(as_text=True)


def test_a_logged_in_person_always_gets_the_current_page_and_it_is_not_kept(kept_pages, world, as_user, client):
    client.get("/")
    signed_in = as_user(world.users.enterprise_a).get("/")
    assert "X-Cache" not in signed_in.headers
    assert world.users.enterprise_a.name in signed_in.get_data(as_text=True)
    assert world.users.enterprise_a.name not in client.get("/").get_data(as_text=True)


def test_a_visitor_with_a_session_gets_the_page_in_their_language(kept_pages, world, client):
    client.get("/enterprises")  # kept in Korean
    english = kept_pages.test_client()
    english.get("/language/en")
    page = english.get("/enterprises")
    assert "X-Cache" not in page.headers
    assert 'lang="en"' in page.get_data(as_text=True)


def test_an_error_page_is_not_kept(kept_pages, world, client):
    assert client.get("/listings/999999").status_code == 404
    assert "X-Cache" not in client.get("/listings/999999").headers


def test_clearing_forgets_every_kept_page(kept_pages, world, client):
    client.get("/")
    with kept_pages.app_context():
        page_cache.clear()
    assert client.get("/").headers["X-Cache"] == "MISS"


def test_a_hidden_community_post_leaves_the_kept_pages_at_once(kept_pages, world, client, as_user):
    from tests.content import factories

    post = factories.post(world.users.enterprise_a, title="우리 마을 소식")
    db.session.commit()
    assert "우리 마을 소식" in client.get("/community").get_data(as_text=True)
    response = as_user(world.users.city).post(f"/community/{post.id}/hide", data={"note": "광고성 게시물"})
    assert response.status_code == 302
    assert "우리 마을 소식" not in client.get("/community").get_data(as_text=True)


def test_a_response_that_sets_a_cookie_or_flashes_is_never_kept(database_url):
    app = create_app({"SQLALCHEMY_DATABASE_URI": database_url, "PAGE_CACHE_SECONDS": 30})

    @page_cache.public_page
    def flashing():
        flash("Saved.")
        return "flashed"

    @page_cache.public_page
    def cookie():
        response = make_response("cookie")
        response.set_cookie("seen", "1")
        return response

    @page_cache.public_page
    def private():
        response = make_response("private")
        response.cache_control.private = True
        return response

    for view in (flashing, cookie, private):
        app.add_url_rule(f"/{view.__name__}", view_func=view)
    with app.app_context():
        cache.cache.clear()
    for name in ("flashing", "cookie", "private"):
        client = app.test_client(use_cookies=False)
        for _ in range(2):
            assert "X-Cache" not in client.get(f"/{name}").headers, name


def test_a_cold_page_is_computed_once_however_many_ask_at_once(kept_pages, world):
    callers, barrier, outcomes = 10, threading.Barrier(10), []
    with served_in_thread(kept_pages) as base:
        def visit() -> None:
            barrier.wait()
            status, _, headers = Visitor(base).get("/listings?q=청소")
            outcomes.append((status, headers.get("X-Cache")))

        threads = [threading.Thread(target=visit) for _ in range(callers)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)
    assert sorted(outcomes) == [(200, "HIT")] * (callers - 1) + [(200, "MISS")]
