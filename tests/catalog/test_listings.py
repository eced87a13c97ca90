"""An enterprise keeps its own catalog: create, edit, publish, duplicate, archive, reorder, images."""
from __future__ import annotations

import io
import re

import pytest
from PIL import Image

from market.catalog.models import Listing
from market.core.models import AuditEntry
from market.extensions import db

NEW = {"title": "행사용 다과 세트", "category": "goods", "industry": "cafe", "group": "", "unit": "세트",
       "unit_price_krw": "12000", "vat_included": "y", "min_order": "10", "lead_time_days": "3",
       "service_area": "군산시 전역", "description": "지역 농산물로 만든 다과입니다."}


def _count() -> int:
    return db.session.scalar(db.select(db.func.count()).select_from(Listing))


def test_enterprise_creates_a_draft_listing(as_user, world):
    response = as_user(world.users.enterprise_a).post("/catalog/listings/new", data=NEW)
    assert response.status_code == 302
    listing = db.session.scalar(db.select(Listing).where(Listing.title == "행사용 다과 세트"))
    assert listing.status == "draft" and listing.unit_price_krw == 12000 and listing.organization_id == world.enterprise_a.id
    assert db.session.scalar(db.select(AuditEntry).where(AuditEntry.action == "listing.create"))


def test_price_or_price_on_request_is_required(as_user, world):
    before = _count()
    response = as_user(world.users.enterprise_a).post("/catalog/listings/new", data=dict(NEW, unit_price_krw=""))
    assert response.status_code == 400 and _count() == before
    assert "행사용 다과 세트" in response.get_data(as_text=True), "the typed title is kept"
    ok = as_user(world.users.enterprise_a).post("/catalog/listings/new",
                                                data=dict(NEW, unit_price_krw="", price_on_request="y"))
    assert ok.status_code == 302


@pytest.mark.parametrize("price", ["-5", "12.5", "1e3", "99999999999999"])
def test_prices_are_whole_non_negative_won(as_user, world, price):
    before = _count()
    response = as_user(world.users.enterprise_a).post("/catalog/listings/new", data=dict(NEW, unit_price_krw=price))
    assert response.status_code == 400 and _count() == before


def test_item_group_must_belong_to_the_industry(as_user, world):
    response = as_user(world.users.enterprise_a).post("/catalog/listings/new",
                                                      data=dict(NEW, group="cleaning-office"))
    assert response.status_code == 400


def _english(client):
    client.post("/language/en")
    return client


def _errors_of(html: str, field: str) -> str:
    """The error list shown under one field of the form ('' when it has none)."""
    found = re.search(rf'<ul class="errors" id="{field}-error">(.*?)</ul>', html, re.S)
    return found.group(1) if found else ""


def test_an_item_group_of_another_industry_is_reported_under_the_item_group(as_user, world):
    client = _english(as_user(world.users.enterprise_a))
    html = client.post("/catalog/listings/new", data=dict(NEW, group="cleaning-office")).get_data(as_text=True)
    assert "does not belong to the chosen industry" in _errors_of(html, "group")
    assert _errors_of(html, "industry") == ""


@pytest.mark.parametrize("value", ["0", "-1", "1000001"])
def test_a_minimum_order_out_of_range_says_the_allowed_range(as_user, world, value):
    client = _english(as_user(world.users.enterprise_a))
    response = client.post("/catalog/listings/new", data=dict(NEW, min_order=value))
    errors = _errors_of(response.get_data(as_text=True), "min_order")
    assert response.status_code == 400
    assert "between 1 and 1000000" in errors and "required" not in errors


def test_a_price_typed_with_price_on_request_ticked_is_refused_not_dropped(as_user, world):
    before = _count()
    client = _english(as_user(world.users.enterprise_a))
    response = client.post("/catalog/listings/new", data=dict(NEW, unit_price_krw="12000", price_on_request="y"))
    assert response.status_code == 400 and _count() == before
    assert "not both" in _errors_of(response.get_data(as_text=True), "unit_price_krw")


def test_over_long_title_is_refused(as_user, world):
    response = as_user(world.users.enterprise_a).post("/catalog/listings/new", data=dict(NEW, title="가" * 121))
    assert response.status_code == 400


def test_enterprise_cannot_edit_another_enterprises_listing(as_user, world):
    response = as_user(world.users.enterprise_a).post(f"/catalog/listings/{world.draft_b.id}/edit",
                                                      data=dict(NEW, title="가로채기"))
    assert response.status_code == 404
    assert db.session.get(Listing, world.draft_b.id).title == "친환경 도시락"


def test_publishing_needs_a_valid_verified_certification(as_user, world):
    client = as_user(world.users.enterprise_b)
    client.post(f"/catalog/listings/{world.draft_b.id}/publish")
    assert db.session.get(Listing, world.draft_b.id).status == "draft", "B's designation is still pending"
    world.cert_b.status = "verified"
    db.session.commit()
    client.post(f"/catalog/listings/{world.draft_b.id}/publish")
    assert db.session.get(Listing, world.draft_b.id).status == "published"


def test_the_edit_page_publishes_through_the_catalogs_route_and_says_when_it_cannot_yet(as_user, world):
    client = _english(as_user(world.users.enterprise_b))
    html = client.get(f"/catalog/listings/{world.draft_b.id}/edit").get_data(as_text=True)
    assert f'action="/catalog/listings/{world.draft_b.id}/publish"' in html
    assert "Listings are published once the support center" in html, "B's designation is still pending"
    world.cert_b.status = "verified"
    db.session.commit()
    client.post(f"/catalog/listings/{world.draft_b.id}/publish",
                headers={"Referer": f"http://localhost/catalog/listings/{world.draft_b.id}/edit"})
    html = client.get(f"/catalog/listings/{world.draft_b.id}/edit").get_data(as_text=True)
    assert f'action="/catalog/listings/{world.draft_b.id}/unpublish"' in html
    assert "Listings are published once the support center" not in html


def test_pending_enterprise_cannot_publish(as_user, world):
    world.enterprise_a.status = "pending"
    world.listing_a.status = "draft"
    db.session.commit()
    as_user(world.users.enterprise_a).post(f"/catalog/listings/{world.listing_a.id}/publish")
    assert db.session.get(Listing, world.listing_a.id).status == "draft"


def test_archive_and_restore(as_user, world):
    client = as_user(world.users.enterprise_a)
    client.post(f"/catalog/listings/{world.listing_a.id}/archive")
    assert db.session.get(Listing, world.listing_a.id).status == "archived"
    assert f"/listings/{world.listing_a.id}" not in client.get("/listings").get_data(as_text=True)
    client.post(f"/catalog/listings/{world.listing_a.id}/restore")
    assert db.session.get(Listing, world.listing_a.id).status == "draft"


def test_duplicate_makes_a_draft_copy(as_user, world):
    response = as_user(world.users.enterprise_a).post(f"/catalog/listings/{world.listing_a.id}/duplicate")
    assert response.status_code == 302
    copies = db.session.scalars(db.select(Listing).where(Listing.organization_id == world.enterprise_a.id,
                                                         Listing.id != world.listing_a.id)).all()
    assert len(copies) == 1 and copies[0].status == "draft" and "사무실 청소 용역" in copies[0].title


def test_reorder_swaps_neighbours(as_user, world):
    from tests import factories

    second = factories.listing(world.enterprise_a, "계단 청소")
    db.session.commit()
    as_user(world.users.enterprise_a).post(f"/catalog/listings/{second.id}/move/up")
    first, then = db.session.get(Listing, world.listing_a.id), db.session.get(Listing, second.id)
    assert then.position < first.position


def _png(size=(50, 40)) -> io.BytesIO:
    buffer = io.BytesIO()
    Image.new("RGB", size, (10, 120, 80)).save(buffer, "PNG")
    buffer.seek(0)
    return buffer


def test_image_upload_is_re_encoded_and_served(as_user, world):
    client = as_user(world.users.enterprise_a)
    response = client.post(f"/catalog/listings/{world.listing_a.id}/images",
                           data={"image": (_png(), "photo.png")}, content_type="multipart/form-data")
    assert response.status_code == 302
    listing = db.session.get(Listing, world.listing_a.id)
    (image,) = listing.images
    assert image.filename.endswith(".jpg") and "photo" not in image.filename
    served = client.get(f"/media/{image.thumb_filename}")
    assert served.status_code == 200 and served.headers["Content-Type"] == "image/jpeg"
    assert served.headers["X-Content-Type-Options"] == "nosniff"


def test_a_script_renamed_jpg_is_refused_and_nothing_is_saved(as_user, world):
    client = as_user(world.users.enterprise_a)
    client.post("/language/en")
    response = client.post(f"/catalog/listings/{world.listing_a.id}/images", follow_redirects=True,
                           data={"image": (io.BytesIO(b"<script>alert(1)</script>"), "cat.jpg")},
                           content_type="multipart/form-data")
    assert "not an image we accept" in response.get_data(as_text=True)
    assert db.session.get(Listing, world.listing_a.id).images == []


def test_at_most_eight_images(as_user, world):
    client = as_user(world.users.enterprise_a)
    for _ in range(9):
        client.post(f"/catalog/listings/{world.listing_a.id}/images", data={"image": (_png(), "p.png")},
                    content_type="multipart/form-data")
    assert len(db.session.get(Listing, world.listing_a.id).images) == 8


def test_media_route_refuses_path_tricks(client):
    assert client.get("/media/..%2Fconfig.py").status_code == 404
    assert client.get("/media/notes.txt").status_code == 404


def test_removing_an_image_deletes_it(as_user, world):
    client = as_user(world.users.enterprise_a)
    client.post(f"/catalog/listings/{world.listing_a.id}/images", data={"image": (_png(), "p.png")},
                content_type="multipart/form-data")
    image = db.session.get(Listing, world.listing_a.id).images[0]
    name = image.thumb_filename
    client.post(f"/catalog/images/{image.id}/delete")
    assert db.session.get(Listing, world.listing_a.id).images == []
    assert client.get(f"/media/{name}").status_code == 404


def test_a_suspended_enterprise_reads_on_its_catalog_that_it_is_suspended_and_why(as_user, world):
    from market.accounts.services import decide_organization

    decide_organization(world.users.city, world.enterprise_a, "suspend", "납품 서류 위조 조사 중")
    db.session.commit()
    client = as_user(world.users.enterprise_a)
    client.post("/language/en")
    html = client.get("/catalog/listings").get_data(as_text=True)
    assert "This enterprise is suspended." in html and "납품 서류 위조 조사 중" in html
    assert "once the support center has approved the enterprise" not in html
