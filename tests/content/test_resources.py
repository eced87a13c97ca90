"""The resources library: documents to download, counted, served safely."""
from __future__ import annotations

import io

import pytest
from flask_babel import gettext

from market.content import services
from market.content.models import Attachment, Resource
from market.core.errors import ValidationFailed
from tests.content import factories


@pytest.fixture
def published(world, db):
    resource = factories.resource(world.users.city, title="인증 신청서 서식")
    attachment = factories.attachment(resource, name="신청서 서식.pdf")
    db.session.commit()
    return resource, attachment


def test_a_download_is_counted(client, published, db):
    resource, attachment = published
    client.get(f"/files/{attachment.id}")
    client.get(f"/files/{attachment.id}")
    assert db.session.get(Attachment, attachment.id).download_count == 2
    assert db.session.get(Resource, resource.id).download_count == 2


def test_the_count_is_shown_on_the_resource_page(app, client, published):
    resource, attachment = published
    client.get(f"/files/{attachment.id}")
    with app.test_request_context():
        expected = gettext("downloaded %(count)d times", count=1)
    assert expected in client.get(f"/resources/{resource.id}").text


def test_a_download_is_an_attachment_that_browsers_may_not_sniff(client, published):
    _, attachment = published
    response = client.get(f"/files/{attachment.id}")
    assert response.headers["Content-Type"] == "application/pdf"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    disposition = response.headers["Content-Disposition"]
    assert disposition.startswith("attachment;")
    assert f'filename="file-{attachment.id}.pdf"' in disposition
    assert "filename*=UTF-8''%EC%8B%A0%EC%B2%AD%EC%84%9C%20%EC%84%9C%EC%8B%9D.pdf" in disposition
    assert "sandbox" in response.headers["Content-Security-Policy"]


def test_a_file_of_a_draft_resource_is_not_downloadable(client, world, db):
    draft = factories.resource(world.users.city, status="draft")
    attachment = factories.attachment(draft)
    db.session.commit()
    assert client.get(f"/files/{attachment.id}").status_code == 404


def test_the_support_center_may_download_the_file_of_a_draft(as_user, world, db):
    draft = factories.resource(world.users.city, status="draft")
    attachment = factories.attachment(draft)
    db.session.commit()
    assert as_user(world.users.city).get(f"/files/{attachment.id}").status_code == 200


def test_anonymous_cannot_see_a_draft_resource(client, world, db):
    draft = factories.resource(world.users.city, status="draft", title="비공개 자료")
    db.session.commit()
    assert client.get(f"/resources/{draft.id}").status_code == 404
    assert "비공개 자료" not in client.get("/resources").text


def test_a_resource_cannot_be_published_without_a_file(world):
    data = services.ResourceData(category="form", title="서식", body="", publication=services.Publication(True))
    with pytest.raises(ValidationFailed):
        services.create_resource(world.users.city, data)


def test_a_resource_can_be_kept_as_a_draft_without_a_file(world):
    data = services.ResourceData(category="form", title="서식", body="", publication=services.Publication(False))
    assert services.create_resource(world.users.city, data).status == "draft"


def test_admin_adds_a_resource_with_several_files(as_user, world, db):
    response = as_user(world.users.city).post("/resources/new", data={
        "category": "form", "title": "신청 서식 모음", "body": "", "save_as": "publish", "action": "save",
        "attachments": [(io.BytesIO(factories.PDF), "서식.pdf"), (io.BytesIO("양식".encode()), "양식.txt")]},
        content_type="multipart/form-data")
    assert response.status_code == 302
    resource = db.session.scalar(db.select(Resource))
    assert sorted(a.kind for a in resource.attachments) == ["pdf", "txt"]


def test_the_last_file_of_a_published_resource_cannot_be_removed(as_user, world, published, db):
    _, attachment = published
    response = as_user(world.users.city).post(f"/files/{attachment.id}/delete")
    assert response.status_code == 302
    assert db.session.get(Attachment, attachment.id) is not None


def test_an_enterprise_cannot_remove_a_file_of_the_library(as_user, world, published):
    _, attachment = published
    assert as_user(world.users.enterprise_a).post(f"/files/{attachment.id}/delete").status_code == 403


def test_most_downloaded_first(client, world, db):
    popular = factories.resource(world.users.city, title="인기 자료")
    factories.attachment(popular, download_count=9)
    quiet = factories.resource(world.users.city, title="조용한 자료")
    factories.attachment(quiet, download_count=1)
    db.session.commit()
    text = client.get("/resources?order=downloads").text
    assert text.index("인기 자료") < text.index("조용한 자료")


def test_resources_are_filtered_by_category(client, world, db):
    factories.attachment(factories.resource(world.users.city, title="서식 자료", category="form"))
    factories.attachment(factories.resource(world.users.city, title="보고서 자료", category="report"))
    db.session.commit()
    text = client.get("/resources?category=report").text
    assert "보고서 자료" in text and "서식 자료" not in text


def test_an_image_in_the_library_is_downloaded_and_counted(client, world, db):
    resource = factories.resource(world.users.city)
    image = factories.attachment(resource, factories.png_bytes(), "포스터.png", "png")
    db.session.commit()
    response = client.get(f"/files/{image.id}")
    assert response.headers["Content-Disposition"].startswith("attachment;")
    assert db.session.get(Attachment, image.id).download_count == 1


def test_a_head_request_is_not_counted(client, published, db):
    _, attachment = published
    client.head(f"/files/{attachment.id}")
    assert db.session.get(Attachment, attachment.id).download_count == 0
