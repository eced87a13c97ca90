"""Two app servers behave as one: two gunicorn instances, each with its own UPLOAD_DIR, on one database of this
test's own and one Redis (the limits and the cache), with FILE_STORAGE=database.

The login limits across the two processes are checked on either database (on SQLite both serve one file);
uploading through one server and downloading through the other, and the shared statistics, are checked on
PostgreSQL, the database several servers share (`.ci/run` runs the suite on it, with Redis)."""
from __future__ import annotations

import re
import secrets
import uuid
from types import SimpleNamespace

import pytest
import sqlalchemy as sa
from flask_migrate import upgrade

from market import create_app
from market.extensions import db
from tests import factories
from tests.live import Visitor, gunicorn

ADDRESS_LIMIT, ACCOUNT_LIMIT = 6, 4


def _own_database(database_url: str, folder) -> tuple[str, callable]:
    """A new, empty database for the servers; returns its URL and how to drop it."""
    if database_url.startswith("sqlite"):
        return f"sqlite:///{folder / 'servers.sqlite3'}", lambda: None
    name = f"servers_{uuid.uuid4().hex[:10]}"
    admin = sa.create_engine(database_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(sa.text(f'CREATE DATABASE "{name}"'))

    def drop() -> None:
        with admin.connect() as connection:
            connection.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()

    return sa.make_url(database_url).set(database=name).render_as_string(hide_password=False), drop


@pytest.fixture(scope="module")
def servers(database_url, redis_url, tmp_path_factory):
    folder = tmp_path_factory.mktemp("servers")
    url, drop = _own_database(database_url, folder)
    setup = create_app({"SQLALCHEMY_DATABASE_URI": url})
    with setup.app_context():
        upgrade()
        world = factories.build_world()
        ids = SimpleNamespace(listing_b=world.draft_b.id, city=world.users.city.email,
                              enterprise_a=world.users.enterprise_a.email)
        db.session.remove()
        db.engine.dispose()
    prefix = f"test-servers-{uuid.uuid4().hex[:8]}:"
    environment = {
        "MARKET_CONFIG": "development", "DATABASE_URL": url, "SECRET_KEY": secrets.token_urlsafe(48),
        "FILE_STORAGE": "database", "RATELIMIT_STORAGE_URI": redis_url, "RATELIMIT_KEY_PREFIX": prefix + "limits",
        "CACHE_URL": redis_url, "CACHE_KEY_PREFIX": prefix, "TRUSTED_PROXIES": "1",
        "LOGIN_RATE_LIMIT": f"{ADDRESS_LIMIT} per minute", "LOGIN_ACCOUNT_RATE_LIMIT": f"{ACCOUNT_LIMIT} per minute",
        "PAGE_CACHE_SECONDS": "30", "STATISTICS_CACHE_SECONDS": "60",
    }
    with gunicorn({**environment, "UPLOAD_DIR": str(folder / "uploads-a")}, log=folder / "a.log") as first, \
            gunicorn({**environment, "UPLOAD_DIR": str(folder / "uploads-b")}, log=folder / "b.log") as second:
        yield SimpleNamespace(first=first, second=second, url=url, folder=folder, **vars(ids))
    drop()
    import redis

    client = redis.Redis.from_url(redis_url)
    keys = set(client.scan_iter(f"*{prefix}*"))
    if keys:
        client.delete(*keys)


def _postgresql_only(database_url: str) -> None:
    if not database_url.startswith("postgresql"):
        pytest.skip("two app servers share one database on PostgreSQL (TEST_DATABASE_URL=postgresql+psycopg:///…); "
                    "SQLite is one machine's file")


def test_an_address_is_limited_across_both_servers(servers):
    statuses = []
    for attempt in range(ADDRESS_LIMIT + 1):
        server = servers.first if attempt % 2 == 0 else servers.second
        visitor = Visitor(server, forwarded_for="203.0.113.10")
        statuses.append(visitor.log_in(f"guess{attempt}@example.kr", "guess")[0])
    assert statuses == [200] * ADDRESS_LIMIT + [429]
    assert Visitor(servers.second, forwarded_for="203.0.113.11").log_in("guess@example.kr", "guess")[0] == 200


def test_one_account_is_limited_from_two_addresses_across_both_servers(servers):
    statuses = []
    for attempt in range(ACCOUNT_LIMIT):
        server, address = ((servers.first, "198.51.100.1") if attempt % 2 == 0 else (servers.second, "198.51.100.2"))
        statuses.append(Visitor(server, forwarded_for=address).log_in(servers.enterprise_a, "wrong password")[0])
    assert statuses == [200] * ACCOUNT_LIMIT
    # The account is now closed for a while, even to its right password, from a third address, on either server.
    for server in (servers.first, servers.second):
        status, _, _ = Visitor(server, forwarded_for="198.51.100.3").log_in(servers.enterprise_a, factories.PASSWORD)
        assert status == 429


def test_a_file_uploaded_through_one_server_is_downloaded_through_the_other(servers, database_url):
    _postgresql_only(database_url)
    admin = Visitor(servers.first, forwarded_for="192.0.2.50")
    status, body, _ = admin.log_in(servers.city, factories.PASSWORD)
    assert status == 200 and b"/accounts/logout" in body
    status, body, _ = admin.post("/resources/new", {"category": "form", "title": "공공구매 안내서", "body": "",
                                                    "save_as": "publish"}, form_page="/resources/new",
                                 files={"attachments": ("안내서.pdf", factories.TINY_PDF)})
    assert status == 200, body[:500]
    [file_id] = re.findall(rb'href="/files/(\d+)"', body)
    status, downloaded, headers = Visitor(servers.second).get(f"/files/{file_id.decode()}")
    assert (status, downloaded, headers["Content-Type"]) == (200, factories.TINY_PDF, "application/pdf")
    for side in ("uploads-a", "uploads-b"):  # neither server kept it on its own disk
        assert not (servers.folder / side / "files").exists()


def test_both_servers_show_the_same_statistics(servers, database_url):
    _postgresql_only(database_url)
    site = {"Host": "market.example.kr"}  # behind the load balancer both servers are asked for the site's name
    status, first, _ = Visitor(servers.first).get("/statistics", headers=site)
    assert status == 200
    engine = sa.create_engine(servers.url)
    with engine.begin() as connection:  # a change after the first server computed the figures
        connection.execute(sa.text("UPDATE listing SET status = 'published' WHERE id = :id"),
                           {"id": servers.listing_b})
    engine.dispose()
    status, second, headers = Visitor(servers.second).get("/statistics", headers=site)
    assert status == 200 and headers["X-Cache"] == "HIT"  # the page the first server kept, not one of its own
    figures = re.compile(rb'<main.*</main>', re.S)
    assert figures.search(second).group(0) == figures.search(first).group(0)
