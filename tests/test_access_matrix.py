"""Who may reach which route: every rule of app.url_map × every role, with the expected status.

Each domain lists its routes in tests/<domain>/access.py; a route added without an entry fails
`test_every_route_has_an_entry`. The vocabulary is in tests/access.py.
"""
from __future__ import annotations

import importlib
import pkgutil

import pytest
from flask import url_for

import tests
from tests.access import ROLES
from tests.conftest import login


def _collect() -> dict:
    rules: dict = {}
    for module in pkgutil.iter_modules(tests.__path__):
        if module.ispkg:
            try:
                domain = importlib.import_module(f"tests.{module.name}.access")
            except ModuleNotFoundError:
                continue
            overlap = set(rules) & set(domain.RULES)
            assert not overlap, f"routes listed twice: {overlap}"
            rules.update(domain.RULES)
    return rules


MATRIX = _collect()


def test_every_route_has_an_entry(app):
    routes = {(rule.endpoint, method) for rule in app.url_map.iter_rules()
              for method in rule.methods - {"HEAD", "OPTIONS"}}
    missing = sorted(routes - set(MATRIX))
    stale = sorted(set(MATRIX) - routes)
    assert not missing, f"routes without an access-matrix entry: {missing}"
    assert not stale, f"access-matrix entries for routes that no longer exist: {stale}"


CASES = [(endpoint, method, role) for (endpoint, method) in MATRIX for role in ROLES]


@pytest.mark.parametrize(("endpoint", "method", "role"), CASES, ids=[f"{e}:{m}:{r}" for e, m, r in CASES])
def test_access(app, world, endpoint, method, role):
    rule = MATRIX[(endpoint, method)]
    client = app.test_client()
    if role != "anonymous":
        login(client, getattr(world.users, role))
    with app.test_request_context():
        url = url_for(endpoint, **rule.args(world))
    data = rule.data(world) if callable(rule.data) else (rule.data or {})
    response = client.open(url, method=method, data=data)
    expected = rule.expected[role]
    assert response.status_code == expected, (
        f"{method} {url} as {role}: expected {expected}, got {response.status_code}")
    if role == "anonymous" and expected == 302 and endpoint not in {"core.set_language", "accounts.logout"}:
        assert "/accounts/login" in response.headers["Location"]
