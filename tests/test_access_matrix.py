"""Who may reach which route: every rule of app.url_map × every role, with the expected status.

Each domain lists its routes in tests/<domain>/access.py; a route added without an entry fails
`test_every_route_has_an_entry`. The vocabulary is in tests/access.py.
"""
from __future__ import annotations

import importlib
import pkgutil
from types import SimpleNamespace

import pytest
import sqlalchemy as sa
from flask import url_for

import tests
from market.extensions import db
from tests import factories
from tests.access import ROLES
from tests.conftest import empty_all_tables, fingerprint, login
from tests.test_security_headers import check_headers


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


def _rebind(namespace: SimpleNamespace) -> None:
    """Point the shared world's names at the rows again, in this test's database session."""
    for name, value in vars(namespace).items():
        if isinstance(value, SimpleNamespace):
            _rebind(value)
        elif isinstance(value, db.Model):  # its key is known without a session: no reload of the stale row
            setattr(namespace, name, db.session.get(type(value), sa.inspect(value).identity))


# Tables whose rows the rules' `args` only add, once per world (the portal's content, an off-platform purchase):
# a world that gained them and was otherwise left as it was stays shared.
ADDED_BY_ARGS = {"notice", "resource", "guide_page", "community_post", "attachment", "off_platform_purchase"}


@pytest.fixture(scope="module")
def shared_world(app):
    """The world is built once and shared by the cases that leave it as it was; a case that changed anything
    (a rightful POST, an `args` that moves a record to another state) has it rebuilt for the next one."""
    holder = SimpleNamespace(world=None, built=None, before=None)
    yield holder
    with app.app_context():
        empty_all_tables()


@pytest.fixture
def matrix_world(db, shared_world):
    if shared_world.world is None:
        shared_world.world = factories.build_world()
        shared_world.built = fingerprint()
    else:
        _rebind(shared_world.world)
    yield shared_world.world
    db.session.remove()
    now = fingerprint()
    grown = {table for table, rows in now.items() if rows != shared_world.built[table]}
    if now == shared_world.before and grown <= ADDED_BY_ARGS:
        shared_world.built = now
    elif grown:
        empty_all_tables()
        shared_world.world = None


@pytest.mark.keeps_tables
@pytest.mark.parametrize(("endpoint", "method", "role"), CASES, ids=[f"{e}:{m}:{r}" for e, m, r in CASES])
def test_access(app, matrix_world, shared_world, endpoint, method, role):
    world = matrix_world
    rule = MATRIX[(endpoint, method)]
    client = app.test_client()
    if role != "anonymous":
        login(client, getattr(world.users, role))
    with app.test_request_context():
        url = url_for(endpoint, **rule.args(world))
    data = rule.data(world) if callable(rule.data) else (rule.data or {})
    before = shared_world.before = fingerprint()
    response = client.open(url, method=method, data=data)
    expected = rule.expected[role]
    assert response.status_code == expected, (
        f"{method} {url} as {role}: expected {expected}, got {response.status_code}")
    check_headers(response, signed_in=role != "anonymous" and endpoint != "accounts.logout", endpoint=endpoint)
    if role == "anonymous" and expected == 302 and endpoint not in {"core.set_language", "accounts.logout"}:
        assert "/accounts/login" in response.headers["Location"]
    if method != "GET" and (expected >= 400 or role == "anonymous"):
        changed = [table for table, rows in fingerprint().items() if rows != before[table]]
        assert not changed, f"{method} {url} as {role} was refused ({expected}) but changed {changed}"
