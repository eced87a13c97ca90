"""SQLite serving a city: people log in and post messages while others load the heaviest public pages and an
auditor downloads the whole audit log over a slow line (its rows are read while they are sent, so the download
keeps a read open for as long as it lasts: in SQLite's rollback journal every write then waits for it and fails
with "database is locked" after the busy timeout).

The app is served by a real server (werkzeug, threaded) on a SQLite file of its own, configured as `make run`
configures it (`Config.SQLITE_JOURNAL_MODE`: WAL); every request goes through a real connection."""
from __future__ import annotations

import threading
import time

import pytest
import sqlalchemy as sa
from flask_migrate import upgrade

from config import Config
from market import create_app
from market.extensions import db
from tests import factories
from tests.live import Visitor, served_in_thread

READ_PAGES = ("/", "/listings?q=청소", "/listings?q=사무실 청소", "/statistics", "/enterprises?industry=cleaning",
              "/listings?industry=cleaning&sort=price")
READERS, WRITERS, SECONDS = 4, 3, 6
AUDIT_ENTRIES = 60_000  # some 10 MB of CSV: more than loopback's socket buffers, so the download waits for its reader


def _fill_audit_log(actor_id: int, count: int) -> None:
    from market.core.models import AuditEntry
    from market.core.timeutil import utcnow

    now = utcnow()
    db.session.execute(sa.insert(AuditEntry), [
        {"at": now, "actor_id": actor_id, "action": "listing.update", "subject_type": "Listing", "subject_id": n,
         "before": {"title": f"이전 제목 {n}"}, "after": {"title": f"새 제목 {n}"}, "note": "일괄 수정"}
        for n in range(count)])


@pytest.fixture
def sqlite_city(database_url, tmp_path):
    if not database_url.startswith("sqlite"):
        pytest.skip("SQLite's write-under-load test: this run's database is PostgreSQL")
    url = f"sqlite:///{tmp_path / 'city.sqlite3'}"
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SQLITE_JOURNAL_MODE": Config.SQLITE_JOURNAL_MODE,
                      "UPLOAD_DIR": tmp_path, "STATISTICS_CACHE_SECONDS": 0, "PAGE_CACHE_SECONDS": 0,
                      "LOGIN_RATE_LIMIT": "100000 per minute", "LOGIN_ACCOUNT_RATE_LIMIT": "100000 per minute",
                      "RATELIMIT_STORAGE_URI": "memory://"})
    with app.app_context():
        upgrade()
        from market.demo.scale import generate_city

        generate_city(enterprises=200, listings=3000, seed=3)
        world = factories.build_world()
        _fill_audit_log(world.users.city.id, AUDIT_ENTRIES)
        db.session.execute(sa.text("ANALYZE"))
        db.session.commit()
        people = [(world.users.enterprise_a.email, world.request_x.id), (world.users.city.email, None)]
        db.session.remove()
    yield app, people
    with app.app_context():
        db.engine.dispose()


def test_sqlite_takes_logins_and_messages_while_heavy_pages_are_read(sqlite_city):
    app, people = sqlite_city
    with app.app_context():
        assert db.session.execute(sa.text("PRAGMA journal_mode")).scalar() == "wal"
        db.session.remove()
    (email, request_id), (auditor, _) = people
    statuses: dict[str, list[int]] = {"read": [], "login": [], "message": []}
    failures: list[str] = []
    stop = threading.Event()

    with served_in_thread(app) as base:
        def read(number: int) -> None:
            visitor = Visitor(base)
            while not stop.is_set():
                for path in READ_PAGES[number % len(READ_PAGES):] + READ_PAGES[:number % len(READ_PAGES)]:
                    status, body, _ = visitor.get(path)
                    statuses["read"].append(status)
                    if status != 200:
                        failures.append(f"GET {path}: {status}")

        def write(number: int) -> None:
            while not stop.is_set():
                visitor = Visitor(base)
                status, body, _ = visitor.log_in(email, factories.PASSWORD, csrf=False)
                statuses["login"].append(status)
                if status != 200 or b"/accounts/logout" not in body:
                    failures.append(f"login: {status}")
                    continue
                status, body, _ = visitor.post(f"/procurement/messages/request/{request_id}",
                                               {"body": f"writer {number} at {time.monotonic()}"})
                statuses["message"].append(status)
                if status != 200:
                    failures.append(f"message: {status}")

        def guarded(work, number: int) -> None:
            try:
                work(number)
            except Exception as error:  # a client that breaks is a failure of the run, not a silent thread
                failures.append(f"{work.__name__} {number}: {error!r}")

        def audit_slowly(number: int) -> None:
            visitor = Visitor(base)
            visitor.log_in(auditor, factories.PASSWORD, csrf=False)
            with visitor.opener.open(f"{base}/accounts/admin/audit.csv", timeout=120) as download:
                received = len(download.read(64 * 1024))
                stop.wait()  # the auditor's line is slow: the rest is read once the others are done
                received += len(download.read())
            if received < AUDIT_ENTRIES * 50:
                failures.append(f"the audit download stopped after {received} bytes")

        threads = [threading.Thread(target=guarded, args=(audit_slowly, 0))]
        threads += [threading.Thread(target=guarded, args=(read, n)) for n in range(READERS)]
        threads += [threading.Thread(target=guarded, args=(write, n)) for n in range(WRITERS)]
        for thread in threads:
            thread.start()
        time.sleep(SECONDS)
        written_during_download = len(statuses["message"])
        stop.set()
        for thread in threads:
            thread.join(timeout=120)

    assert not failures, f"{len(failures)} failed requests, first: {failures[:3]}"
    assert len(statuses["read"]) >= READERS, statuses
    # Writes went on while the download held its read (in a rollback journal they would all wait for its end).
    assert written_during_download >= WRITERS, statuses
    with app.app_context():
        from market.procurement.models import Message

        posted = db.session.scalar(sa.select(sa.func.count()).select_from(Message))
        db.session.remove()
    assert posted == len(statuses["message"]) > 0
