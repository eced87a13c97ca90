"""Stored files (market/core/storage.py) on local disk, in the database and in an S3 bucket (moto's server on
loopback, no network): every upload and download path goes through the configured storage; a rolled-back
upload leaves nothing; `flask files sweep` removes what no row refers to; downloads say their Content-Type."""
from __future__ import annotations

import io
import os
import re
from datetime import timedelta

import pytest

from market.catalog.models import ListingImage
from market.content.models import Attachment
from market.core import files, storage
from market.core.timeutil import utcnow
from market.procurement.models import ProcurementFile
from market.extensions import db
from tests import factories
from tests.content import factories as content_factories
from tests.live import free_port

BUCKET = "gunsan-market-test"


@pytest.fixture(scope="session")
def s3_endpoint():
    """moto's S3 in a thread of this process, on a free loopback port."""
    from moto.server import ThreadedMotoServer

    server = ThreadedMotoServer(ip_address="127.0.0.1", port=free_port(), verbose=False)
    server.start()
    yield f"http://127.0.0.1:{server._port}"
    server.stop()


@pytest.fixture(params=["local", "database", "s3"])
def kind(request, app, monkeypatch, tmp_path):
    """The app's storage for this test: local disk in a folder of the test's own, the database, or a bucket."""
    if request.param == "local":
        backend = storage.LocalStorage(tmp_path)
    elif request.param == "database":
        backend = storage.DatabaseStorage()
    else:
        for name, value in (("AWS_ACCESS_KEY_ID", "testing"), ("AWS_SECRET_ACCESS_KEY", "testing"),
                            ("AWS_DEFAULT_REGION", "ap-northeast-2")):
            monkeypatch.setenv(name, value)
        backend = storage.S3Storage(BUCKET, "market/", request.getfixturevalue("s3_endpoint"), "ap-northeast-2")
        try:
            backend.client.create_bucket(Bucket=BUCKET,
                                         CreateBucketConfiguration={"LocationConstraint": "ap-northeast-2"})
        except backend.client.exceptions.BucketAlreadyOwnedByYou:
            pass
    monkeypatch.setitem(app.extensions, "market.storage", backend)
    yield request.param
    for area in storage.AREAS:
        for name, _ in list(backend.listing(area)):
            backend.delete(f"{area}/{name}")
    db.session.commit()


def _names(area: str = "files") -> set[str]:
    return {name for name, _ in storage.backend().listing(area)}


# --- the storage itself ---

def test_a_saved_file_is_read_back_once_committed(kind, db):
    storage.save(db.session, "files/a.pdf", factories.TINY_PDF)
    db.session.commit()
    assert storage.read("files/a.pdf") == factories.TINY_PDF
    assert _names() == {"a.pdf"}


def test_a_rolled_back_save_leaves_nothing(kind, db):
    storage.save(db.session, "files/b.pdf", factories.TINY_PDF)
    db.session.rollback()
    assert storage.read("files/b.pdf") is None and _names() == set()


def test_a_removal_waits_for_the_commit(kind, db):
    storage.save(db.session, "files/c.pdf", factories.TINY_PDF)
    db.session.commit()
    storage.remove_after_commit(db.session, "files/c.pdf")
    db.session.rollback()
    assert storage.read("files/c.pdf") == factories.TINY_PDF  # the deletion was rolled back: the file stays
    storage.remove_after_commit(db.session, "files/c.pdf")
    db.session.commit()
    assert storage.read("files/c.pdf") is None


@pytest.mark.parametrize("key", ["../config.py", "files/../x", "files/", "other/a.pdf", "files/.hidden"])
def test_keys_outside_the_areas_are_refused(kind, key):
    with pytest.raises(ValueError):
        storage.read(key)


def test_the_sweep_removes_old_files_no_row_refers_to(kind, world):
    notice = content_factories.notice(world.users.city)
    kept = content_factories.attachment(notice)
    image = ListingImage(listing=world.listing_a, filename="1" * 32 + ".jpg", thumb_filename="1" * 32 + "_thumb.jpg",
                         width=10, height=10, position=0)
    db.session.add(image)
    for key in ("catalog/" + image.filename, "catalog/" + image.thumb_filename, "catalog/" + "2" * 32 + ".jpg",
                "files/" + "3" * 32 + ".pdf", "imports/" + "4" * 32 + ".json"):
        storage.save(db.session, key, b"data")
    db.session.commit()
    assert storage.sweep() == []  # nothing is old enough yet: a file may still be waiting for its row

    removed = storage.sweep(now=utcnow() + storage.SWEEP_GRACE + timedelta(minutes=1))
    assert sorted(removed) == ["catalog/" + "2" * 32 + ".jpg", "files/" + "3" * 32 + ".pdf"]
    assert _names() == {kept.stored_name}
    assert _names("catalog") == {image.filename, image.thumb_filename}
    assert _names("imports") == {"4" * 32 + ".json"}  # a pending import is kept for a day
    assert storage.sweep(now=utcnow() + timedelta(days=1, minutes=1)) == ["imports/" + "4" * 32 + ".json"]


def test_flask_files_sweep_lists_and_removes(kind, app, db):
    storage.save(db.session, "files/" + "5" * 32 + ".pdf", b"orphan")
    db.session.commit()
    runner = app.test_cli_runner()
    assert "0 files removed." in runner.invoke(args=["files", "sweep"]).output  # younger than an hour
    backend = storage.backend()
    if kind == "local":
        path = backend.path("files/" + "5" * 32 + ".pdf")
        os.utime(path, (path.stat().st_mtime - 7200,) * 2)
    elif kind == "database":
        from market.core.models import StoredFile

        db.session.get(StoredFile, "files/" + "5" * 32 + ".pdf").created_at = utcnow() - timedelta(hours=2)
        db.session.commit()
    else:
        pytest.skip("a bucket's objects cannot be aged; the sweep's rule is tested above with a later `now`")
    dry = runner.invoke(args=["files", "sweep", "--dry-run"]).output
    assert "files/" + "5" * 32 + ".pdf" in dry and "1 files would be removed." in dry
    assert "1 files removed." in runner.invoke(args=["files", "sweep"]).output
    assert _names() == set()


# --- every upload and download path ---

def test_a_portal_file_is_uploaded_and_downloaded_through_the_storage(kind, world, as_user, client):
    response = as_user(world.users.city).post("/resources/new", content_type="multipart/form-data", data={
        "category": "form", "title": "사회적기업 인증 신청서", "body": "", "save_as": "publish",
        "attachments": (io.BytesIO(factories.TINY_PDF), "신청서.pdf")})
    assert response.status_code == 302
    attachment = db.session.scalar(db.select(Attachment))
    assert _names() == {attachment.stored_name}
    download = client.get(f"/files/{attachment.id}")
    assert download.status_code == 200 and download.data == factories.TINY_PDF
    assert download.content_type == "application/pdf"


def test_a_listing_image_is_stored_and_served_through_the_storage(kind, world, as_user, client):
    response = as_user(world.users.enterprise_a).post(
        f"/catalog/listings/{world.listing_a.id}/images", content_type="multipart/form-data",
        data={"image": (io.BytesIO(content_factories.png_bytes((40, 30))), "photo.png")})
    assert response.status_code == 302
    image = db.session.scalar(db.select(ListingImage).where(ListingImage.listing_id == world.listing_a.id))
    assert _names("catalog") == {image.filename, image.thumb_filename}
    served = client.get(f"/media/{image.thumb_filename}")
    assert served.status_code == 200 and served.content_type == "image/jpeg" and served.data[:3] == b"\xff\xd8\xff"
    assert client.get(f"/media/{'9' * 32}.jpg").status_code == 404

    assert as_user(world.users.enterprise_a).post(f"/catalog/images/{image.id}/delete").status_code == 302
    assert _names("catalog") == set()


def test_a_logo_replaces_the_previous_one_in_the_storage(kind, world, as_user):
    client = as_user(world.users.enterprise_a)
    for color in ((10, 20, 30), (200, 100, 0)):
        client.post("/catalog/profile/logo", content_type="multipart/form-data",
                    data={"image": (io.BytesIO(content_factories.png_bytes((40, 30), color)), "logo.png")})
    db.session.refresh(world.enterprise_a.profile)
    assert _names("catalog") == {world.enterprise_a.profile.logo_filename}


def test_an_order_message_attachment_goes_through_the_storage(kind, world, as_user):
    response = as_user(world.users.enterprise_a).post(
        f"/procurement/messages/order/{world.order_x.id}", content_type="multipart/form-data",
        data={"body": "견적서를 보냅니다", "attachments": (io.BytesIO(factories.TINY_PDF), "견적서.pdf")})
    assert response.status_code == 302
    document = db.session.scalar(db.select(ProcurementFile))
    assert _names() == {document.stored_name}
    download = as_user(world.users.agency_x).get(f"/procurement/files/{document.id}")
    assert download.status_code == 200 and download.data == factories.TINY_PDF


def test_off_platform_evidence_goes_through_the_storage(kind, world, as_user):
    purchase = factories.off_platform_purchase(world.agency_x, world.enterprise_a, world.users.agency_x)
    db.session.commit()
    assert _names() == {purchase.evidence_stored_name}
    download = as_user(world.users.agency_x).get(f"/reports/off-platform/{purchase.id}/evidence")
    assert download.status_code == 200 and download.data == factories.TINY_PDF


def test_a_catalog_import_waits_in_the_storage_between_preview_and_confirmation(kind, world, as_user):
    client = as_user(world.users.enterprise_a)
    csv = ("id,title,industry,category,unit,unit_price_krw,vat_included,min_order,lead_time_days,service_area,"
           "description\n,계단 청소 용역,cleaning,services,회,90000,yes,1,3,군산시 전역,\n").encode("utf-8")
    preview = client.post("/catalog/import", content_type="multipart/form-data",
                          data={"file": (io.BytesIO(csv), "listings.csv")})
    assert preview.status_code == 200, preview.get_data(as_text=True)[:500]
    token = re.search(r'name="token" value="([0-9a-f]{32})"', preview.get_data(as_text=True)).group(1)
    assert _names("imports") == {f"{token}.json"}
    assert client.post("/catalog/import/confirm", data={"token": token}).status_code == 302
    assert _names("imports") == set()


# --- Content-Type ---

@pytest.mark.parametrize(("text", "expected"), [
    ("구매 안내\n".encode(), "text/plain; charset=utf-8"),
    ("구매 안내\n".encode("cp949"), "text/plain; charset=euc-kr"),
])
def test_a_text_download_says_its_charset_once(kind, world, client, text, expected):
    notice = content_factories.notice(world.users.city)
    attachment = content_factories.attachment(notice, text, "안내.txt", "txt")
    db.session.commit()
    response = client.get(f"/files/{attachment.id}")
    assert response.status_code == 200 and response.data == text
    assert response.headers["Content-Type"] == expected
