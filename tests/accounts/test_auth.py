"""Logging in and out, rate limits, CSRF, and password reset: what a person does at the door."""
from __future__ import annotations

import re

import pytest

from market import create_app
from market.accounts.models import User
from market.extensions import db
from tests import factories

GENERIC_FAILURE = "The e-mail or password is not correct."


@pytest.fixture
def en(client):
    client.post("/language/en")
    return client


def test_login_with_right_password_reaches_the_dashboard(en, world):
    response = en.post("/accounts/login", data={"email": "A@example.kr ", "password": factories.PASSWORD})
    assert response.status_code == 302 and response.headers["Location"].endswith("/dashboard")
    assert db.session.get(User, world.users.enterprise_a.id).last_login_at is not None


def test_wrong_password_and_unknown_email_get_the_same_message(en, world):
    wrong = en.post("/accounts/login", data={"email": "a@example.kr", "password": "wrong password"})
    unknown = en.post("/accounts/login", data={"email": "nobody@example.kr", "password": "wrong password"})
    assert GENERIC_FAILURE in wrong.get_data(as_text=True)
    assert GENERIC_FAILURE in unknown.get_data(as_text=True)


def test_failed_login_keeps_the_typed_email(en, world):
    response = en.post("/accounts/login", data={"email": "a@example.kr", "password": "nope"})
    assert 'value="a@example.kr"' in response.get_data(as_text=True)


def test_deactivated_user_cannot_log_in(en, world):
    world.users.agency_x.active = False
    db.session.commit()
    response = en.post("/accounts/login", data={"email": "x@example.kr", "password": factories.PASSWORD})
    assert GENERIC_FAILURE in response.get_data(as_text=True)


def test_login_is_rate_limited_after_ten_attempts(en, world):
    for n in range(10):  # ten accounts guessed from one address (each account has a limit of its own too)
        assert en.post("/accounts/login", data={"email": f"p{n}@example.kr", "password": "guess"}).status_code == 200
    blocked = en.post("/accounts/login", data={"email": "a@example.kr", "password": factories.PASSWORD})
    assert blocked.status_code == 429
    assert "Too many attempts" in blocked.get_data(as_text=True)


def test_empty_login_form_shows_field_errors(en):
    response = en.post("/accounts/login", data={})
    assert response.status_code == 200
    assert "This field is required." in response.get_data(as_text=True)


def test_next_parameter_cannot_redirect_off_site(en, world):
    response = en.post("/accounts/login?next=https://evil.example/", data={
        "email": "a@example.kr", "password": factories.PASSWORD})
    assert response.headers["Location"].endswith("/dashboard")


def test_next_parameter_returns_to_the_page_asked_for(en, world):
    response = en.post("/accounts/login?next=/accounts/me", data={
        "email": "a@example.kr", "password": factories.PASSWORD})
    assert response.headers["Location"].endswith("/accounts/me")


def test_logout_ends_the_session(as_user, world):
    client = as_user(world.users.agency_x)
    assert client.get("/dashboard").status_code == 200
    client.post("/accounts/logout")
    assert client.get("/dashboard").status_code == 302


def test_forged_csrf_token_is_refused_and_changes_nothing(database_url, db, world):
    app = create_app({"SQLALCHEMY_DATABASE_URI": database_url, "WTF_CSRF_ENABLED": True})
    client = app.test_client()
    response = client.post("/accounts/signup", data={
        "csrf_token": "forged", "organization_name": "가짜 기업", "name": "홍길동", "email": "new@example.kr",
        "password": "long enough password", "confirm": "long enough password", "agree": "y"})
    assert response.status_code == 400
    from market.accounts.services import find_user_by_email

    assert find_user_by_email("new@example.kr") is None


def test_every_rendered_form_carries_a_csrf_token(database_url, db, world):
    app = create_app({"SQLALCHEMY_DATABASE_URI": database_url, "WTF_CSRF_ENABLED": True})
    client = app.test_client()
    for path in ("/accounts/login", "/accounts/signup", "/accounts/password/forgot"):
        html = client.get(path).get_data(as_text=True)
        assert html.count("<form") == html.count('name="csrf_token"'), path


# --- password reset ---

def _link(body: str) -> str:
    return re.search(r"http://testserver\.local(/\S+)", body).group(1)


def test_password_reset_sends_a_link_that_sets_a_new_password(en, world, outbox):
    en.post("/accounts/password/forgot", data={"email": "x@example.kr"})
    (message,) = outbox("x@example.kr")
    link = _link(message.body)
    assert en.get(link).status_code == 200
    response = en.post(link, data={"password": "a brand new secret", "confirm": "a brand new secret"})
    assert response.status_code == 302
    assert db.session.get(User, world.users.agency_x.id).check_password("a brand new secret")


def test_password_reset_link_works_only_once(en, world, outbox):
    en.post("/accounts/password/forgot", data={"email": "x@example.kr"})
    link = _link(outbox("x@example.kr")[0].body)
    en.post(link, data={"password": "a brand new secret", "confirm": "a brand new secret"})
    again = en.post(link, data={"password": "another new secret", "confirm": "another new secret"})
    assert again.status_code == 400
    assert db.session.get(User, world.users.agency_x.id).check_password("a brand new secret")


def test_password_reset_for_unknown_email_says_the_same_and_sends_nothing(en, world, outbox):
    known = en.post("/accounts/password/forgot", data={"email": "x@example.kr"}, follow_redirects=True)
    unknown = en.post("/accounts/password/forgot", data={"email": "ghost@example.kr"}, follow_redirects=True)
    message = "If an account uses this address"
    assert message in known.get_data(as_text=True) and message in unknown.get_data(as_text=True)
    assert outbox("ghost@example.kr") == []


def test_reset_with_mismatched_passwords_changes_nothing(en, world, outbox):
    en.post("/accounts/password/forgot", data={"email": "x@example.kr"})
    link = _link(outbox("x@example.kr")[0].body)
    response = en.post(link, data={"password": "a brand new secret", "confirm": "something else"})
    assert response.status_code == 400
    assert "The two passwords do not match." in response.get_data(as_text=True)
    assert db.session.get(User, world.users.agency_x.id).check_password(factories.PASSWORD)


def test_passwords_are_stored_hashed(world):
    user = db.session.get(User, world.users.city.id)
    assert user.password_hash.startswith("scrypt:") and factories.PASSWORD not in user.password_hash


def test_change_password_needs_the_current_one(as_user, world):
    client = as_user(world.users.enterprise_b)
    client.post("/language/en")
    response = client.post("/accounts/me/password", data={
        "pw-current_password": "not it", "pw-password": "a brand new secret", "pw-confirm": "a brand new secret"})
    assert response.status_code == 400
    assert "The current password is not correct." in response.get_data(as_text=True)
    assert db.session.get(User, world.users.enterprise_b.id).check_password(factories.PASSWORD)
