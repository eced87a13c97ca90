"""Who may reach which route: every rule of app.url_map × every role, with the expected status.

A route added without an entry here fails `test_every_route_has_an_entry`. Expected statuses:
200 shown, 302 redirected (to log in, or away from a page meant for anonymous visitors), 400 refused
input (the route was reached; the empty form was rejected), 403 forbidden, 404 hidden.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable

import pytest

from tests.conftest import login

ROLES = ("anonymous", "enterprise_a", "enterprise_b", "agency_x", "agency_y", "city")
SIGNED_IN = ROLES[1:]


@dataclass(frozen=True)
class Rule:
    expected: dict[str, int]
    args: Callable = field(default=lambda world: {})
    data: dict | None = None


def everyone(status: int, **overrides) -> dict[str, int]:
    return {role: overrides.get(role, status) for role in ROLES}


def signed_in(status: int, anonymous: int = 302, **overrides) -> dict[str, int]:
    return everyone(status, anonymous=anonymous, **overrides)


def city_only(status: int = 200) -> dict[str, int]:
    return everyone(403, anonymous=302, city=status)


def anonymous_only(status: int = 200) -> dict[str, int]:
    return everyone(302, anonymous=status)


MATRIX: dict[tuple[str, str], Rule] = {
    ("static", "GET"): Rule(everyone(200), args=lambda w: {"filename": "css/app.css"}),
    ("core.home", "GET"): Rule(everyone(200)),
    ("core.healthz", "GET"): Rule(everyone(200)),
    ("core.dashboard", "GET"): Rule(signed_in(200)),
    ("core.set_language", "GET"): Rule(everyone(302), args=lambda w: {"code": "en"}),
    ("accounts.login", "GET"): Rule(anonymous_only()),
    ("accounts.login", "POST"): Rule(anonymous_only(200)),
    ("accounts.logout", "POST"): Rule(everyone(302)),
    ("accounts.signup", "GET"): Rule(anonymous_only()),
    ("accounts.signup", "POST"): Rule(anonymous_only(200)),
    ("accounts.forgot_password", "GET"): Rule(everyone(200)),
    ("accounts.forgot_password", "POST"): Rule(everyone(200)),
    ("accounts.reset_password", "GET"): Rule(everyone(400), args=lambda w: {"token": "forged"}),
    ("accounts.reset_password", "POST"): Rule(everyone(400), args=lambda w: {"token": "forged"}),
    ("accounts.accept_invitation", "GET"): Rule(everyone(400), args=lambda w: {"token": "forged"}),
    ("accounts.accept_invitation", "POST"): Rule(everyone(400), args=lambda w: {"token": "forged"}),
    ("accounts.profile", "GET"): Rule(signed_in(200)),
    ("accounts.profile", "POST"): Rule(signed_in(200)),
    ("accounts.change_password", "POST"): Rule(signed_in(400)),
    ("accounts.my_organization", "GET"): Rule(signed_in(200)),
    # Enterprise A's people: its manager and the city may invite; nobody else.
    ("accounts.invite", "POST"): Rule(everyone(403, anonymous=302, enterprise_a=400, city=400),
                                      args=lambda w: {"org_id": w.enterprise_a.id}),
    ("accounts.organizations", "GET"): Rule(city_only()),
    ("accounts.organization_detail", "GET"): Rule(city_only(), args=lambda w: {"org_id": w.enterprise_a.id}),
    ("accounts.decide", "POST"): Rule(city_only(400),
                                      args=lambda w: {"org_id": w.enterprise_a.id, "action": "suspend"}),
    ("accounts.new_agency", "GET"): Rule(city_only()),
    ("accounts.new_agency", "POST"): Rule(city_only(400)),
    ("accounts.outbox", "GET"): Rule(city_only()),
}


def test_every_route_has_an_entry(app):
    routes = {(rule.endpoint, method) for rule in app.url_map.iter_rules()
              for method in rule.methods - {"HEAD", "OPTIONS"}}
    missing = sorted(routes - set(MATRIX))
    stale = sorted(set(MATRIX) - routes)
    assert not missing, f"routes without an access-matrix entry: {missing}"
    assert not stale, f"access-matrix entries for routes that no longer exist: {stale}"


def _url(app, endpoint: str, args: dict) -> str:
    with app.test_request_context():
        from flask import url_for

        return url_for(endpoint, **args)


CASES = [(endpoint, method, role) for (endpoint, method) in MATRIX for role in ROLES]


@pytest.mark.parametrize(("endpoint", "method", "role"), CASES, ids=[f"{e}:{m}:{r}" for e, m, r in CASES])
def test_access(app, world, endpoint, method, role):
    rule = MATRIX[(endpoint, method)]
    client = app.test_client()
    if role != "anonymous":
        login(client, getattr(world.users, role))
    url = _url(app, endpoint, rule.args(world))
    response = client.open(url, method=method, data=rule.data or {})
    expected = rule.expected[role]
    assert response.status_code == expected, (
        f"{method} {url} as {role}: expected {expected}, got {response.status_code}")
    if role == "anonymous" and expected == 302 and endpoint not in {"core.set_language", "accounts.logout"}:
        assert "/accounts/login" in response.headers["Location"]
