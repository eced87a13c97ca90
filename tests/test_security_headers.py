"""Security headers on every response: checked on every route of the access matrix for every role (by
test_access_matrix.test_access, which calls `check_headers` on each answer), and here for what the matrix
cannot show: production's HSTS, a download's own sandbox, what the policy lets the pages do."""
from __future__ import annotations

import pytest

from config import ProductionConfig
from market import create_app
from tests.conftest import login


def policy(response) -> dict[str, list[str]]:
    directives = [part.split() for part in response.headers["Content-Security-Policy"].split(";") if part.strip()]
    return {name: values for name, *values in directives}


def check_headers(response, signed_in: bool, endpoint: str) -> None:
    """What every answer carries; a signed-in person's is never kept by the browser or a proxy."""
    where = f"{endpoint} ({'signed in' if signed_in else 'anonymous'}, {response.status_code})"
    csp = policy(response)
    if "sandbox" in csp:  # a stored file, served as a sandboxed download that runs nothing at all
        assert csp["default-src"] == ["'none'"], where
    else:
        for directive in ("script-src", "style-src", "default-src"):
            assert csp[directive] == ["'self'"], f"{where}: {directive} {csp[directive]}"
        assert csp["frame-ancestors"] == ["'none'"] and csp["object-src"] == ["'none'"], where
    assert "'unsafe-inline'" not in response.headers["Content-Security-Policy"], where
    assert response.headers["X-Frame-Options"] == "DENY", where
    assert response.headers["X-Content-Type-Options"] == "nosniff", where
    assert response.headers["Referrer-Policy"] == "same-origin", where
    assert "Strict-Transport-Security" not in response.headers, f"{where}: HSTS only in production"
    if signed_in and endpoint != "static":  # the site's own scripts and styles are the same for everyone
        assert response.headers["Cache-Control"] == "no-store", where


def test_frames_are_allowed_only_for_the_video_players(client):
    assert policy(client.get("/"))["frame-src"] == ["https://www.youtube-nocookie.com", "https://player.vimeo.com"]


def test_forms_may_lead_to_the_payment_provider_only_when_card_payments_are_on(app, client, monkeypatch):
    assert policy(client.get("/"))["form-action"] == ["'self'"]
    monkeypatch.setitem(app.config, "STRIPE_SECRET_KEY", "sk_live_x")
    assert policy(client.get("/"))["form-action"] == ["'self'", "https://checkout.stripe.com",
                                                      "https://connect.stripe.com"]
    monkeypatch.setitem(app.config, "STRIPE_API_BASE", "http://127.0.0.1:8123/")
    assert policy(client.get("/"))["form-action"] == ["'self'", "http://127.0.0.1:8123"]


def test_static_files_are_cached_even_for_a_signed_in_person(as_user, world):
    response = as_user(world.users.city).get("/static/js/app.js")
    assert response.status_code == 200 and response.headers.get("Cache-Control") != "no-store"
    assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_a_public_page_may_be_cached_for_an_anonymous_visitor(client):
    assert "no-store" not in client.get("/").headers.get("Cache-Control", "")


@pytest.fixture
def production(monkeypatch, database_url, app):
    monkeypatch.setenv("DATABASE_URL", database_url)

    class Production(ProductionConfig):
        SECRET_KEY = "x" * 40
        SQLALCHEMY_DATABASE_URI = database_url
        UPLOAD_DIR = app.config["UPLOAD_DIR"]

    return create_app(Production)


def test_production_asks_browsers_for_https_for_a_year(production, db, world):
    response = production.test_client().get("/healthz")
    assert response.headers["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"
    signed_in = login(production.test_client(), world.users.agency_x).get("/dashboard")
    assert signed_in.headers["Strict-Transport-Security"].startswith("max-age=31536000")
    assert signed_in.headers["Cache-Control"] == "no-store"
