"""The shared cache (market/core/cache.py): one computation per expiry, whatever the number of callers, in each
kind of store; a store that fails costs speed, never a page."""
from __future__ import annotations

import threading
import time

import pytest

from market import create_app
from market.core import cache

CALLERS = 12


def _race(app, compute, callers: int = CALLERS, key: str = "race", seconds: float = 60) -> list:
    """`callers` threads ask for the same key at the same moment; returns what each got and how long it took."""
    barrier = threading.Barrier(callers)
    results: list = []

    def call() -> None:
        with app.app_context():
            barrier.wait()
            started = time.monotonic()
            value = cache.remember(key, seconds, compute)
            results.append((value, time.monotonic() - started))

    threads = [threading.Thread(target=call) for _ in range(callers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert len(results) == callers
    return results


class SlowFigure:
    """A computation that takes a while and counts how often it ran."""

    def __init__(self, seconds: float = 0.3):
        self.seconds, self.runs, self._guard = seconds, 0, threading.Lock()

    def __call__(self) -> int:
        with self._guard:
            self.runs += 1
            run = self.runs
        time.sleep(self.seconds)
        return run


@pytest.fixture(params=["simple", "file", "redis"])
def store_app(request, tmp_path, database_url):
    """An app whose cache is the store of the parameter (Redis on a prefix of the test's own)."""
    if request.param == "redis":
        url, prefix = request.getfixturevalue("redis_url"), request.getfixturevalue("redis_prefix")
    else:
        url, prefix = {"simple": "simple://", "file": f"file://{tmp_path / 'cache'}"}[request.param], "market:"
    return create_app({"SQLALCHEMY_DATABASE_URI": database_url, "CACHE_URL": url, "CACHE_KEY_PREFIX": prefix})


def test_a_cold_value_is_computed_once_however_many_ask_at_once(store_app):
    figure = SlowFigure()
    results = _race(store_app, figure)
    assert figure.runs == 1
    assert {value for value, _ in results} == {1}  # the waiting callers got the one computation's value


def test_an_expired_value_is_computed_once_while_the_others_get_the_stale_copy(store_app, monkeypatch):
    figure = SlowFigure(1.0)
    with store_app.app_context():
        assert cache.remember("race", 60, figure) == 1
    later = cache.now() + 61
    monkeypatch.setattr(cache, "now", lambda: later)
    results = _race(store_app, figure)
    assert figure.runs == 2
    values = sorted(value for value, _ in results)
    assert values == [1] * (CALLERS - 1) + [2]
    assert max(took for value, took in results if value == 1) < 0.8 * figure.seconds  # the stale copy at once


def test_a_failed_computation_lets_the_next_caller_compute(store_app):
    with store_app.app_context():
        with pytest.raises(ZeroDivisionError):
            cache.remember("fails", 60, lambda: 1 // 0)
        assert cache.remember("fails", 60, lambda: 7) == 7  # the lock was given back


def test_zero_seconds_keeps_nothing(store_app):
    figure = SlowFigure(0)
    with store_app.app_context():
        assert [cache.remember("off", 0, figure) for _ in range(3)] == [1, 2, 3]


def test_an_unreachable_redis_costs_speed_never_a_page(database_url):
    app = create_app({"SQLALCHEMY_DATABASE_URI": database_url, "CACHE_URL": "redis://127.0.0.1:1/0",
                      "PAGE_CACHE_SECONDS": 30, "STATISTICS_CACHE_SECONDS": 60})
    with app.app_context():
        assert cache.remember("anything", 60, lambda: 5) == 5
    for path in ("/", "/statistics"):
        assert app.test_client().get(path).status_code == 200


def test_two_servers_on_one_redis_share_what_one_computed(database_url, redis_url, redis_prefix):
    first, second = (create_app({"SQLALCHEMY_DATABASE_URI": database_url, "CACHE_URL": redis_url,
                                 "CACHE_KEY_PREFIX": redis_prefix}) for _ in range(2))
    with first.app_context():
        assert cache.remember("shared", 60, lambda: "computed by the first") == "computed by the first"
    with second.app_context():
        assert cache.remember("shared", 60, lambda: "computed by the second") == "computed by the first"


def test_an_unknown_store_is_refused_at_start(database_url):
    with pytest.raises(RuntimeError, match="CACHE_URL"):
        create_app({"SQLALCHEMY_DATABASE_URI": database_url, "CACHE_URL": "memcached://127.0.0.1"})
