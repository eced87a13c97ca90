"""The backup of docs/deploy.md, tried: `pg_dump` of a database with data, `pg_restore` into an empty one, and
the site served from the restored copy. PostgreSQL only (a SQLite site is backed up with sqlite3's .backup)."""
from __future__ import annotations

import os
import shutil
import subprocess
import uuid

import pytest
import sqlalchemy as sa
from flask_migrate import upgrade

from market import create_app
from market.extensions import db
from tests import factories


@pytest.fixture
def databases(database_url):
    """Two new databases (the site's and the one restored into), dropped afterwards; their libpq URLs."""
    if not database_url.startswith("postgresql"):
        pytest.skip("pg_dump and pg_restore back up PostgreSQL; this run's database is SQLite")
    if not (shutil.which("pg_dump") and shutil.which("pg_restore")):
        if os.environ.get("CI"):
            raise RuntimeError("CI needs pg_dump and pg_restore (postgresql-client)")
        pytest.skip("pg_dump / pg_restore not installed (apt-get install postgresql-client)")
    names = [f"backup_{uuid.uuid4().hex[:8]}_{role}" for role in ("site", "restored")]
    admin = sa.create_engine(database_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        for name in names:
            connection.execute(sa.text(f'CREATE DATABASE "{name}"'))
    url = sa.make_url(database_url)
    yield [url.set(database=name) for name in names]
    with admin.connect() as connection:
        for name in names:
            connection.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def _libpq(url: sa.URL) -> str:
    return url.set(drivername="postgresql").render_as_string(hide_password=False)


def test_a_dump_restored_into_an_empty_database_serves_the_site(databases, tmp_path):
    site, restored = databases
    app = create_app({"SQLALCHEMY_DATABASE_URI": site.render_as_string(hide_password=False),
                      "FILE_STORAGE": "database"})
    with app.app_context():
        upgrade()
        world = factories.build_world()
        purchase = factories.off_platform_purchase(world.agency_x, world.enterprise_a, world.users.agency_x)
        db.session.commit()
        enterprise_id, name, listing_id = world.enterprise_a.id, world.enterprise_a.name, world.listing_a.id
        evidence = purchase.evidence_stored_name
        db.session.remove()
        db.engine.dispose()

    dump = tmp_path / "market.dump"
    subprocess.run(["pg_dump", "--format=custom", "--no-owner", f"--file={dump}", f"--dbname={_libpq(site)}"],
                   check=True, capture_output=True, timeout=120)
    subprocess.run(["pg_restore", "--no-owner", "--exit-on-error", f"--dbname={_libpq(restored)}", str(dump)],
                   check=True, capture_output=True, timeout=120)

    served = create_app({"SQLALCHEMY_DATABASE_URI": restored.render_as_string(hide_password=False),
                         "FILE_STORAGE": "database"})
    client = served.test_client()
    page = client.get(f"/enterprises/{enterprise_id}")
    assert page.status_code == 200 and name in page.get_data(as_text=True)
    assert "사무실 청소 용역" in client.get(f"/listings/{listing_id}").get_data(as_text=True)
    assert client.get("/healthz").get_json()["status"] == "ok"
    with served.app_context():
        from market.core import files
        from market.reports.models import OffPlatformPurchase

        assert files.read(evidence) == factories.TINY_PDF  # the files came along (FILE_STORAGE=database)
        assert db.session.scalar(sa.select(sa.func.count()).select_from(OffPlatformPurchase)) == 1
        head = db.session.scalar(sa.text("SELECT version_num FROM alembic_version"))
        from alembic.script import ScriptDirectory

        assert head == ScriptDirectory.from_config(served.extensions["migrate"].migrate.get_config()).get_current_head()
        db.session.remove()
        db.engine.dispose()
