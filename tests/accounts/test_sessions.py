"""Sessions that end: a cookie captured before logout, a new password or a suspension opens nothing afterwards,
whether it is the session cookie or the 365-day remember cookie."""
from __future__ import annotations

import re

import pytest

from market import create_app
from market.accounts.models import User
from market.extensions import db
from tests import factories

REMEMBER = "remember_token"


def _logged_in(app, user, remember: bool = True):
    client = app.test_client()
    response = client.post("/accounts/login", data={"email": user.email, "password": factories.PASSWORD,
                                                    **({"remember": "y"} if remember else {})})
    assert response.status_code == 302 and response.headers["Location"].endswith("/dashboard")
    return client


def _captured(client) -> dict[str, str]:
    """The cookies an attacker would copy from the browser."""
    return {name: client.get_cookie(name).value for name in ("session", REMEMBER) if client.get_cookie(name)}


def _replayed(app, cookies: dict[str, str]):
    client = app.test_client()
    for name, value in cookies.items():
        client.set_cookie(name, value)
    return client


def _opens_dashboard(client) -> bool:
    response = client.get("/dashboard")
    assert response.status_code in (200, 302)
    return response.status_code == 200


def _session_only(cookies):
    return {"session": cookies["session"]}


def _remember_only(cookies):
    return {REMEMBER: cookies[REMEMBER]}


KINDS = {"session cookie": _session_only, "remember cookie": _remember_only}


@pytest.mark.parametrize("kind", KINDS)
def test_a_cookie_captured_before_logout_opens_nothing_after_it(app, world, kind):
    client = _logged_in(app, world.users.enterprise_a)
    stolen = KINDS[kind](_captured(client))
    assert _opens_dashboard(_replayed(app, stolen)), "the captured cookie worked before the logout"
    assert client.post("/accounts/logout").status_code == 302
    assert not _opens_dashboard(_replayed(app, stolen))


@pytest.mark.parametrize("kind", KINDS)
def test_logging_out_on_one_device_ends_the_sessions_on_the_others(app, world, kind):
    laptop, phone = _logged_in(app, world.users.agency_x), _logged_in(app, world.users.agency_x)
    phone = _replayed(app, KINDS[kind](_captured(phone)))
    laptop.post("/accounts/logout")
    assert not _opens_dashboard(phone)


@pytest.mark.parametrize("kind", KINDS)
def test_changing_the_password_ends_every_other_session_and_keeps_this_one(app, world, kind):
    elsewhere = _replayed(app, KINDS[kind](_captured(_logged_in(app, world.users.enterprise_a))))
    here = _logged_in(app, world.users.enterprise_a)
    response = here.post("/accounts/me/password", data={"pw-current_password": factories.PASSWORD,
                                                        "pw-password": "a new long password 2026",
                                                        "pw-confirm": "a new long password 2026"})
    assert response.status_code == 302, response.get_data(as_text=True)
    assert not _opens_dashboard(elsewhere)
    assert _opens_dashboard(here), "the person who changed it carries on"
    assert _opens_dashboard(_replayed(app, _remember_only(_captured(here)))), "with a remember cookie renewed"


@pytest.mark.parametrize("kind", KINDS)
def test_resetting_the_password_ends_every_session(app, world, outbox, kind):
    stolen = _replayed(app, KINDS[kind](_captured(_logged_in(app, world.users.enterprise_a))))
    app.test_client().post("/accounts/password/forgot", data={"email": world.users.enterprise_a.email})
    link = re.search(r"/accounts/password/reset/[\w.-]+", outbox("a@example.kr")[-1].body).group(0)
    response = app.test_client().post(link, data={"password": "a new long password 2026",
                                                  "confirm": "a new long password 2026"})
    assert response.status_code == 302
    assert not _opens_dashboard(stolen)


@pytest.mark.parametrize("kind", KINDS)
def test_suspending_an_organisation_ends_its_peoples_sessions(app, world, as_user, kind):
    buyer = _replayed(app, KINDS[kind](_captured(_logged_in(app, world.users.agency_x))))
    response = as_user(world.users.city).post(f"/accounts/admin/organizations/{world.agency_x.id}/suspend",
                                              data={"note": "감사 진행 중"})
    assert response.status_code == 302
    assert not _opens_dashboard(buyer)
    assert _opens_dashboard(as_user(world.users.agency_y)), "other organisations' people carry on"


def test_a_deactivated_persons_session_ends_on_the_next_request(app, world):
    client = _logged_in(app, world.users.agency_x)
    world.users.agency_x.active = False
    db.session.commit()
    assert not _opens_dashboard(client)


@pytest.mark.parametrize("session_id", ["{id}", "{id}:", "{id}:wrong", "x:{token}", "99999999999999999999:{token}",
                                        "{id}:{token}:more", "-1:{token}"])
def test_a_session_naming_a_person_without_the_current_token_opens_nothing(app, world, session_id):
    """Cookies issued before the tokens existed carried the bare id: they open nothing, nor do forged ones."""
    user = world.users.city
    client = app.test_client()
    with client.session_transaction() as session:
        session["_user_id"] = session_id.format(id=user.id, token=user.session_token)
        session["_fresh"] = True
    assert not _opens_dashboard(client)


def test_logging_out_anonymously_is_harmless(client):
    assert client.post("/accounts/logout").status_code == 302


# --- the CSRF token ---

def _csrf_token(client, path: str) -> str:
    return re.search(r'name="csrf_token" type="hidden" value="([^"]+)"|name="csrf_token" value="([^"]+)"',
                     client.get(path).get_data(as_text=True)).group(0).rsplit('value="', 1)[1].rstrip('"')


def test_the_csrf_token_issued_before_login_is_refused_after_it(database_url, app, db, world):
    served = create_app({"SQLALCHEMY_DATABASE_URI": database_url, "WTF_CSRF_ENABLED": True,
                         "UPLOAD_DIR": app.config["UPLOAD_DIR"]})
    client = served.test_client()
    before = _csrf_token(client, "/accounts/login")
    response = client.post("/accounts/login", data={"csrf_token": before, "email": world.users.enterprise_a.email,
                                                    "password": factories.PASSWORD})
    assert response.status_code == 302
    profile = {"name": "바뀐 이름", "locale": "ko"}
    assert client.post("/accounts/me", data={**profile, "csrf_token": before}).status_code == 400
    assert db.session.get(User, world.users.enterprise_a.id).name != "바뀐 이름"
    after = _csrf_token(client, "/accounts/me")
    assert after != before
    assert client.post("/accounts/me", data={**profile, "csrf_token": after}).status_code == 302


# --- the language switch changes state only on a POST ---

def test_a_signed_in_persons_language_is_saved_only_by_a_form(as_user, world):
    client = as_user(world.users.agency_x)
    assert client.get("/language/en").status_code == 302
    assert db.session.get(User, world.users.agency_x.id).locale != "en", "a link changes nothing saved"
    html = client.get("/").get_data(as_text=True)
    assert re.search(r'<form method="post" action="/language/en\?next=/" class="inline-form lang-switch">', html)
    assert client.post("/language/en?next=/dashboard").headers["Location"].endswith("/dashboard")
    db.session.expire_all()
    assert db.session.get(User, world.users.agency_x.id).locale == "en"


def test_an_anonymous_visitor_switches_language_for_the_session_only_with_a_link(client, world):
    home = client.get("/")
    assert "Set-Cookie" not in home.headers, "a public page needs no session (it may be kept)"
    assert 'href="/language/en?next=/"' in home.get_data(as_text=True)
    assert client.get("/language/en").status_code == 302
    assert 'lang="en"' in client.get("/").get_data(as_text=True)
