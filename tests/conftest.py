"""Fixtures shared by every test: one app and one migrated database per session, emptied after each test.

TEST_DATABASE_URL selects the database (PostgreSQL in CI: postgresql+psycopg:///test); the default is a
SQLite file in a temporary folder. Tables are emptied after each test rather than rolled back, so that
tests with several connections (the live server of the browser tests, concurrency tests) see real commits.
"""
from __future__ import annotations

import contextvars
import logging
import os
import sys
from contextlib import contextmanager

import pytest
import sqlalchemy as sa
from flask.testing import FlaskClient
from flask_migrate import upgrade

os.environ["MARKET_CONFIG"] = "testing"

from market import create_app  # noqa: E402
from market.extensions import cache  # noqa: E402
from market.extensions import db as _db  # noqa: E402
from market.extensions import limiter  # noqa: E402
from tests import factories  # noqa: E402


def _database_url(tmp_path_factory) -> str:
    url = os.environ.get("TEST_DATABASE_URL")
    if url:
        return url
    return f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.sqlite3'}"


def _reset_database(url: str) -> None:
    if url.startswith("postgresql"):
        engine = sa.create_engine(url)
        with engine.begin() as connection:
            connection.execute(sa.text("DROP SCHEMA public CASCADE"))
            connection.execute(sa.text("CREATE SCHEMA public"))
        engine.dispose()


class IsolatedClient(FlaskClient):
    """Each request runs in a context of its own, as in production: its own app context, `g` and database
    session, not the test's. Afterwards the test's session forgets what it had loaded, so it reads fresh."""

    def open(self, *args, **kwargs):
        # Buffered: a streamed body is read inside the request's context, as a server reads it.
        kwargs.setdefault("buffered", True)
        response = contextvars.Context().run(super().open, *args, **kwargs)
        from flask import has_app_context

        if has_app_context():
            _db.session.expire_all()
        return response


def _fast_sqlite(dbapi_connection, connection_record) -> None:
    # A throwaway test database needs no durability: no fsync, journal kept in memory.
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA synchronous=OFF")
    cursor.execute("PRAGMA journal_mode=MEMORY")
    cursor.close()


def _fast_postgresql(dbapi_connection, connection_record) -> None:
    # Commits need not wait for the disk on a throwaway test database (data stays consistent).
    with dbapi_connection.cursor() as cursor:
        cursor.execute("SET synchronous_commit TO OFF")
    dbapi_connection.commit()


@pytest.fixture(scope="session")
def database_url(tmp_path_factory) -> str:
    return _database_url(tmp_path_factory)


@pytest.fixture(scope="session")
def app(database_url, tmp_path_factory):
    _reset_database(database_url)
    app = create_app({"SQLALCHEMY_DATABASE_URI": database_url,
                      "UPLOAD_DIR": tmp_path_factory.mktemp("uploads"),
                      "SITE_URL": "http://testserver.local"})
    app.test_client_class = IsolatedClient
    # Unexpected errors are logged with their traceback; show them in a failing test's output.
    app.logger.addHandler(logging.StreamHandler(sys.stderr))
    with app.app_context():
        if database_url.startswith("sqlite"):
            sa.event.listen(_db.engine, "connect", _fast_sqlite)
        else:
            sa.event.listen(_db.engine, "connect", _fast_postgresql)
        upgrade()
        seed_taxonomy()
    return app


@pytest.fixture(autouse=True)
def db(request, app):
    """The database, emptied after the test (and the rate limiter reset). A test marked `keeps_tables` leaves
    the emptying to the fixture that shares its data between tests (the access matrix's world)."""
    with app.app_context():
        yield _db
        _db.session.remove()
        if not request.node.get_closest_marker("keeps_tables"):
            empty_all_tables()
        cache.clear()
    limiter.reset()


# The industry taxonomy is seeded once per session and kept between tests, unless a test changed it.
TAXONOMY = "industry"
_seeded_taxonomy: list = []


def _taxonomy_rows(connection) -> list:
    table = _db.metadata.tables[TAXONOMY]
    return connection.execute(table.select().order_by(table.c.id)).all()


def seed_taxonomy() -> None:
    from market.catalog.services import seed_industries

    seed_industries()
    _db.session.commit()
    with _db.engine.connect() as connection:
        _seeded_taxonomy[:] = _taxonomy_rows(connection)


def empty_all_tables() -> None:
    with _db.engine.begin() as connection:
        keep_taxonomy = _taxonomy_rows(connection) == _seeded_taxonomy
        tables = [table for table in reversed(_db.metadata.sorted_tables)
                  if not (keep_taxonomy and table.name == TAXONOMY)]
        if connection.dialect.name == "postgresql":
            # One round trip for every table: a test on PostgreSQL otherwise waits on dozens of them.
            quote = connection.dialect.identifier_preparer.quote
            connection.exec_driver_sql("; ".join(f"DELETE FROM {quote(table.name)}" for table in tables))
        else:
            for table in tables:
                connection.execute(table.delete())
    if not keep_taxonomy:
        seed_taxonomy()


def fingerprint() -> dict[str, object]:
    """What every table holds, in a form two calls can compare: {table: digest of its rows}. One round trip on
    PostgreSQL; on SQLite, in-process reads of each table."""
    tables = _db.metadata.sorted_tables
    with _db.engine.connect() as connection:
        if connection.dialect.name == "postgresql":
            quote = connection.dialect.identifier_preparer.quote
            union = " UNION ALL ".join(
                f"SELECT '{table.name}', count(*), md5(coalesce(string_agg(md5(x::text), '' ORDER BY md5(x::text)), ''))"
                f" FROM {quote(table.name)} x" for table in tables)
            return {name: (count, digest) for name, count, digest in connection.exec_driver_sql(union)}
        return {table.name: sorted(map(repr, connection.execute(table.select()))) for table in tables}


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def world(db):
    """Two enterprises, two agencies and the city, with one person in each role of the access matrix."""
    return factories.build_world()


def login(client, user):
    with client.session_transaction() as session:
        session["_user_id"] = user.get_id()
        session["_fresh"] = True
    return client


@pytest.fixture
def as_user(app):
    """as_user(user) -> a test client logged in as that user."""
    def make(user):
        return login(app.test_client(), user)

    return make


@pytest.fixture
def count_queries(app):
    """with count_queries() as counter: ...; counter.count is the number of SQL statements run."""
    @contextmanager
    def counting():
        class Counter:
            count = 0
            statements: list[str] = []

        counter = Counter()
        counter.statements = []

        def before(conn, cursor, statement, parameters, context, executemany):
            counter.count += 1
            counter.statements.append(statement)

        sa.event.listen(_db.engine, "before_cursor_execute", before)
        try:
            yield counter
        finally:
            sa.event.remove(_db.engine, "before_cursor_execute", before)

    return counting


@pytest.fixture
def outbox(db):
    """The messages queued in the outbox, newest last."""
    from market.core.models import OutboxMessage

    def read(recipient: str | None = None):
        stmt = _db.select(OutboxMessage).order_by(OutboxMessage.id)
        if recipient:
            stmt = stmt.where(OutboxMessage.recipient == recipient)
        return _db.session.scalars(stmt).all()

    return read


@pytest.fixture(scope="session")
def redis_url() -> str:
    """A Redis database for the tests that share state between processes (TEST_REDIS_URL; default db 11 of the
    local server). Without a reachable Redis those tests are skipped, except in CI (`.ci/run` starts one)."""
    url = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/11")
    import redis

    try:
        redis.Redis.from_url(url, socket_connect_timeout=2).ping()
    except redis.exceptions.RedisError as error:
        if os.environ.get("CI"):
            raise RuntimeError(f"CI needs Redis at {url}: {error}") from error
        pytest.skip(f"no Redis at {url} ({error}): start one (redis-server) to run the shared-state tests")
    return url


@pytest.fixture
def redis_prefix(redis_url):
    """A key prefix of this test's own in that Redis database, whose keys are deleted afterwards."""
    import uuid

    import redis

    prefix = f"test-{uuid.uuid4().hex[:12]}:"
    yield prefix
    client = redis.Redis.from_url(redis_url)
    keys = list(client.scan_iter(f"{prefix}*"))  # Flask-Limiter puts its own prefix after ours
    keys += list(client.scan_iter(f"*{prefix}*"))
    if keys:
        client.delete(*set(keys))
