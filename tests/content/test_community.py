"""The community: enterprises share news, photos and video links; the support center moderates."""
from __future__ import annotations

import io

import pytest

from market.content import services
from market.content.models import CommunityPost
from market.core.audit import history
from market.core.errors import InvalidTransition, NotAllowed, ValidationFailed
from tests.content import factories


def post_form(**overrides) -> dict:
    data = {"title": "나눔 행사 소식", "body": "어르신께 도시락을 전했습니다.", "video_url": "", "save_as": "publish",
            "publish_at": "", "action": "save"}
    data.update(overrides)
    return data


def hide(as_user, world, post, reason: str) -> None:
    assert as_user(world.users.city).post(f"/community/{post.id}/hide", data={"note": reason}).status_code == 302


@pytest.fixture
def a_post(world, db):
    post = factories.post(world.users.enterprise_a, title="A의 소식")
    photo = factories.attachment(post, factories.png_bytes(), "사진.png", "png")
    db.session.commit()
    return post, photo


def test_an_enterprise_posts_news_with_a_photo(as_user, world, db):
    response = as_user(world.users.enterprise_a).post("/community/new", data=post_form(
        photos=[(io.BytesIO(factories.png_bytes()), "행사.png")]), content_type="multipart/form-data")
    assert response.status_code == 302
    post = db.session.scalar(db.select(CommunityPost))
    assert post.organization_id == world.enterprise_a.id and post.is_public()
    assert [photo.kind for photo in post.photos] == ["png"]


def test_a_photo_is_shown_inline_and_not_counted_as_a_download(client, a_post, db):
    _, photo = a_post
    response = client.get(f"/files/{photo.id}")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "image/png"
    assert response.headers["Content-Disposition"].startswith("inline;")
    assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_a_document_is_refused_as_a_photo(as_user, world, db):
    response = as_user(world.users.enterprise_a).post("/community/new", data=post_form(
        photos=[(io.BytesIO(factories.PDF), "행사.pdf")]), content_type="multipart/form-data")
    assert response.status_code == 400
    assert db.session.scalar(db.select(db.func.count()).select_from(CommunityPost)) == 0


def test_an_agency_cannot_post_to_the_community(as_user, world):
    assert as_user(world.users.agency_x).post("/community/new", data=post_form()).status_code == 403


def test_an_enterprise_awaiting_approval_cannot_post(world, db):
    world.enterprise_b.status = "pending"
    data = services.PostData(title="소식", body="", video_url=None, publication=services.Publication(True))
    with pytest.raises(NotAllowed):
        services.create_post(world.users.enterprise_b, data)


def test_an_enterprise_cannot_edit_another_enterprises_post(as_user, world, a_post):
    post, _ = a_post
    client = as_user(world.users.enterprise_b)
    assert client.get(f"/community/{post.id}/edit").status_code == 403
    assert client.post(f"/community/{post.id}/edit", data=post_form(title="가로챈 제목")).status_code == 403


def test_the_service_refuses_an_edit_by_another_enterprise(world, a_post):
    post, _ = a_post
    data = services.PostData(title="가로챈 제목", body="", video_url=None, publication=services.Publication(True))
    with pytest.raises(NotAllowed):
        services.update_post(world.users.enterprise_b, post, data)


def test_an_enterprise_cannot_delete_another_enterprises_photo(as_user, world, a_post):
    _, photo = a_post
    assert as_user(world.users.enterprise_b).post(f"/files/{photo.id}/delete").status_code == 403


def test_the_city_cannot_edit_an_enterprises_post(as_user, world, a_post):
    post, _ = a_post
    assert as_user(world.users.city).get(f"/community/{post.id}/edit").status_code == 403


def test_a_colleague_of_the_author_may_edit_the_post(as_user, world, a_post, db):
    from tests import factories as base

    colleague = base.user(world.enterprise_a, "member")
    db.session.commit()
    post, _ = a_post
    response = as_user(colleague).post(f"/community/{post.id}/edit", data=post_form(title="고친 소식"))
    assert response.status_code == 302
    assert db.session.get(CommunityPost, post.id).title == "고친 소식"


def test_admin_hides_a_post_with_a_reason_and_an_audit_entry(as_user, world, a_post, db, outbox):
    post, _ = a_post
    response = as_user(world.users.city).post(f"/community/{post.id}/hide", data={"note": "광고성 게시물"})
    assert response.status_code == 302
    post = db.session.get(CommunityPost, post.id)
    assert post.is_hidden and post.moderation_note == "광고성 게시물"
    entry = history(post)[-1]
    assert entry.action == "community_post.hide" and entry.note == "광고성 게시물"
    assert entry.actor_id == world.users.city.id
    assert outbox(world.users.enterprise_a.email)[-1].body.count("광고성 게시물") == 1


def test_hiding_needs_a_reason(as_user, world, a_post, db):
    post, _ = a_post
    response = as_user(world.users.city).post(f"/community/{post.id}/hide", data={"note": ""})
    assert response.status_code == 400
    assert not db.session.get(CommunityPost, post.id).is_hidden


def test_an_enterprise_cannot_hide_a_post(as_user, world, a_post):
    post, _ = a_post
    assert as_user(world.users.enterprise_b).post(f"/community/{post.id}/hide", data={"note": "x"}).status_code == 403


def test_anonymous_cannot_see_a_hidden_post_or_its_photos(as_user, client, world, a_post):
    post, photo = a_post
    hide(as_user, world, post, "부적절한 내용")
    assert client.get(f"/community/{post.id}").status_code == 404
    assert client.get(f"/files/{photo.id}").status_code == 404
    assert "A의 소식" not in client.get("/community").text


def test_the_author_still_sees_the_hidden_post_with_the_reason(as_user, world, a_post):
    post, _ = a_post
    hide(as_user, world, post, "부적절한 내용")
    response = as_user(world.users.enterprise_a).get(f"/community/{post.id}")
    assert response.status_code == 200 and "부적절한 내용" in response.text


def test_another_enterprise_cannot_see_a_hidden_post(as_user, world, a_post):
    post, _ = a_post
    hide(as_user, world, post, "부적절한 내용")
    assert as_user(world.users.enterprise_b).get(f"/community/{post.id}").status_code == 404


def test_admin_restores_a_hidden_post(as_user, client, world, a_post, db):
    post, _ = a_post
    hide(as_user, world, post, "확인 필요")
    assert as_user(world.users.city).post(f"/community/{post.id}/restore").status_code == 302
    assert client.get(f"/community/{post.id}").status_code == 200
    assert history(db.session.get(CommunityPost, post.id))[-1].action == "community_post.restore"


def test_restoring_a_visible_post_is_refused(world, a_post):
    post, _ = a_post
    with pytest.raises(InvalidTransition):
        services.moderate_post(world.users.city, post, "restore", None)


def test_anonymous_cannot_see_a_draft_post(client, world, db):
    draft = factories.post(world.users.enterprise_a, status="draft")
    db.session.commit()
    assert client.get(f"/community/{draft.id}").status_code == 404


def test_an_enterprise_sees_its_own_drafts_in_its_posts(as_user, world, db):
    factories.post(world.users.enterprise_a, status="draft", title="우리 초안")
    factories.post(world.users.enterprise_b, status="draft", title="남의 초안")
    db.session.commit()
    text = as_user(world.users.enterprise_a).get("/community/mine").text
    assert "우리 초안" in text and "남의 초안" not in text


def test_a_video_is_not_loaded_before_the_visitor_asks(client, world, db):
    post = factories.post(world.users.enterprise_a, video_url="https://www.youtube.com/watch?v=abcdefghijk")
    db.session.commit()
    text = client.get(f"/community/{post.id}").text
    assert "<iframe" not in text
    assert 'data-embed-src="https://www.youtube-nocookie.com/embed/abcdefghijk"' in text


@pytest.mark.parametrize(("url", "src"), [
    ("https://youtu.be/abcdefghijk", "https://www.youtube-nocookie.com/embed/abcdefghijk"),
    ("https://www.youtube.com/shorts/abcdefghijk", "https://www.youtube-nocookie.com/embed/abcdefghijk"),
    ("https://vimeo.com/123456", "https://player.vimeo.com/video/123456?dnt=1"),
    ("https://www.youtube.com/watch?v=bad\"id", None),
    ("https://evil.example/watch?v=abcdefghijk", None),
])
def test_only_known_video_sites_get_a_player(url, src):
    embed = services.video_embed(url)
    assert (embed["src"] if embed else None) == src


@pytest.mark.parametrize("url", ["javascript:alert(1)", "http://youtu.be/abcdefghijk", "ftp://x"])
def test_a_video_link_must_be_https(world, url):
    data = services.PostData(title="영상", body="", video_url=url, publication=services.Publication(True))
    with pytest.raises(ValidationFailed):
        services.create_post(world.users.enterprise_a, data)


def test_deleting_a_post_is_for_its_enterprise(as_user, world, a_post, db):
    post, _ = a_post
    post_id = post.id
    assert as_user(world.users.enterprise_b).post(f"/community/{post_id}/delete").status_code == 403
    assert as_user(world.users.enterprise_a).post(f"/community/{post_id}/delete").status_code == 302
    assert db.session.get(CommunityPost, post_id) is None
