"""Login limits: per address (LOGIN_RATE_LIMIT) and per account (LOGIN_ACCOUNT_RATE_LIMIT, failed tries only)."""
from __future__ import annotations

import pytest

from tests import factories


@pytest.fixture
def limits(app, monkeypatch):
    monkeypatch.setitem(app.config, "LOGIN_RATE_LIMIT", "10 per minute")
    monkeypatch.setitem(app.config, "LOGIN_ACCOUNT_RATE_LIMIT", "3 per minute")
    return app


def _try(client, address: str, email: str, password: str = "guess"):
    return client.post("/accounts/login", data={"email": email, "password": password},
                       environ_base={"REMOTE_ADDR": address})


def test_wrong_passwords_for_one_account_from_two_addresses_are_limited(limits, world, client):
    statuses = [_try(client, address, "a@example.kr").status_code
                for address in ("192.0.2.1", "198.51.100.7", "192.0.2.1")]
    assert statuses == [200, 200, 200]
    refused = _try(client, "198.51.100.7", "A@Example.kr ", factories.PASSWORD)  # the same account, written otherwise
    assert refused.status_code == 429
    assert "너무 많이 시도했습니다" in refused.get_data(as_text=True)


def test_the_account_limit_leaves_other_accounts_alone(limits, world, client):
    for address in ("192.0.2.1", "198.51.100.7", "203.0.113.9"):
        _try(client, address, "a@example.kr")
    assert _try(client, "203.0.113.9", "b@example.kr", factories.PASSWORD).status_code == 302


def test_successful_logins_do_not_use_up_the_account_limit(limits, world, app):
    for _ in range(5):
        assert _try(app.test_client(), "192.0.2.1", "a@example.kr", factories.PASSWORD).status_code == 302


def test_an_address_is_limited_across_accounts(limits, world, client):
    for n in range(10):
        assert _try(client, "192.0.2.1", f"p{n}@example.kr").status_code == 200
    assert _try(client, "192.0.2.1", "a@example.kr", factories.PASSWORD).status_code == 429
    assert _try(client, "198.51.100.7", "a@example.kr", factories.PASSWORD).status_code == 302


def test_with_redis_unreachable_logins_work_and_are_still_limited(database_url, world):
    from market import create_app

    app = create_app({"SQLALCHEMY_DATABASE_URI": database_url, "RATELIMIT_STORAGE_URI": "redis://127.0.0.1:1/0",
                      "LOGIN_ACCOUNT_RATE_LIMIT": "2 per minute"})
    try:
        assert _try(app.test_client(), "192.0.2.1", "a@example.kr", factories.PASSWORD).status_code == 302
        assert [_try(app.test_client(), "192.0.2.1", "b@example.kr").status_code for _ in range(3)] == \
            [200, 200, 429]  # counted in this process's memory meanwhile
    finally:
        # The limiter is one per process: give it back a working storage for the tests that follow.
        create_app({"SQLALCHEMY_DATABASE_URI": database_url})
