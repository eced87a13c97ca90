"""Notices, support programmes and calls: written by the support center, published now or later."""
from __future__ import annotations

import io
from datetime import date, datetime, timedelta

import pytest

from market.content import services
from market.core import files
from market.content.models import Attachment, Notice
from market.core.audit import history
from market.core.errors import NotAllowed, ValidationFailed
from market.core.timeutil import seoul_today, utcnow
from tests.content import factories


def notice_form(**overrides) -> dict:
    data = {"category": "programme", "title": "2027년 판로지원 사업 모집", "body": "## 안내\n\n신청하세요.",
            "save_as": "publish", "publish_at": "", "apply_starts_on": "", "apply_ends_on": "", "action": "save"}
    data.update(overrides)
    return data


def test_admin_publishes_a_notice_with_an_attachment(as_user, world, db):
    client = as_user(world.users.city)
    response = client.post("/notices/new", data=notice_form(attachments=[(io.BytesIO(factories.PDF), "공고문.pdf")]),
                           content_type="multipart/form-data")
    assert response.status_code == 302
    notice = db.session.scalar(db.select(Notice))
    assert notice.is_public() and notice.title == "2027년 판로지원 사업 모집"
    [attachment] = notice.attachments
    assert attachment.original_name == "공고문.pdf" and attachment.kind == "pdf"
    assert files.read(attachment.stored_name) == factories.PDF
    assert [entry.action for entry in history(notice)] == ["notice.create"]


def test_the_published_notice_and_its_file_are_public(as_user, client, world, db):
    as_user(world.users.city).post("/notices/new", data=notice_form(
        attachments=[(io.BytesIO(factories.PDF), "공고문.pdf")]), content_type="multipart/form-data")
    notice = db.session.scalar(db.select(Notice))
    page = client.get(f"/notices/{notice.id}")
    assert page.status_code == 200 and "공고문.pdf" in page.text
    download = client.get(f"/files/{notice.attachments[0].id}")
    assert download.status_code == 200 and download.data == factories.PDF


def test_a_refused_attachment_saves_nothing(as_user, world, db):
    client = as_user(world.users.city)
    response = client.post("/notices/new", data=notice_form(attachments=[(io.BytesIO(b"<svg onload=x>"), "x.svg")]),
                           content_type="multipart/form-data")
    assert response.status_code == 400
    assert 'class="alert alert-danger"' in response.text
    assert db.session.scalar(db.select(db.func.count()).select_from(Notice)) == 0
    assert db.session.scalar(db.select(db.func.count()).select_from(Attachment)) == 0


def test_an_invalid_form_keeps_what_was_typed(as_user, world):
    response = as_user(world.users.city).post("/notices/new", data=notice_form(title="", body="내가 쓴 본문"))
    assert response.status_code == 400
    assert "내가 쓴 본문" in response.text


def test_a_period_that_ends_before_it_starts_is_refused(as_user, world):
    response = as_user(world.users.city).post("/notices/new", data=notice_form(
        apply_starts_on="2026-12-10", apply_ends_on="2026-12-01"))
    assert response.status_code == 400
    assert 'id="apply_ends_on-error"' in response.text


def test_preview_shows_the_sanitised_text_and_saves_nothing(as_user, world, db):
    response = as_user(world.users.city).post("/notices/new", data=notice_form(
        action="preview", body="**미리보기** <script>alert(1)</script>"))
    assert response.status_code == 200
    assert "<strong>미리보기</strong>" in response.text and "<script>alert(1)" not in response.text
    assert db.session.scalar(db.select(db.func.count()).select_from(Notice)) == 0


def test_enterprise_cannot_post_notices(as_user, world):
    response = as_user(world.users.enterprise_a).post("/notices/new", data=notice_form())
    assert response.status_code == 403


def test_the_service_refuses_notices_from_an_enterprise(world):
    data = services.NoticeData(category="notice", title="공지", body="", publication=services.Publication(True))
    with pytest.raises(NotAllowed):
        services.create_notice(world.users.enterprise_a, data)


def test_anonymous_cannot_see_a_draft(client, world, db):
    draft = factories.notice(world.users.city, status="draft")
    db.session.commit()
    assert client.get(f"/notices/{draft.id}").status_code == 404


def test_anonymous_cannot_see_a_notice_scheduled_for_later(client, world, db):
    scheduled = factories.notice(world.users.city, published_at=utcnow() + timedelta(days=1))
    db.session.commit()
    assert client.get(f"/notices/{scheduled.id}").status_code == 404
    assert scheduled.title not in client.get("/notices").text


def test_a_scheduled_notice_appears_once_its_time_has_come(client, world, db):
    notice = factories.notice(world.users.city, published_at=utcnow() + timedelta(days=1))
    db.session.commit()
    notice.published_at = utcnow() - timedelta(minutes=1)  # time passes
    db.session.commit()
    assert client.get(f"/notices/{notice.id}").status_code == 200


def test_the_file_of_a_draft_is_not_downloadable(client, world, db):
    draft = factories.notice(world.users.city, status="draft")
    attachment = factories.attachment(draft)
    db.session.commit()
    assert client.get(f"/files/{attachment.id}").status_code == 404


def test_admin_sees_drafts_and_scheduled_notices_in_the_list(as_user, world, db):
    factories.notice(world.users.city, title="초안 공지", status="draft")
    factories.notice(world.users.city, title="예약 공지", published_at=utcnow() + timedelta(days=2))
    db.session.commit()
    text = as_user(world.users.city).get("/notices").text
    assert "초안 공지" in text and "예약 공지" in text


def test_scheduling_stores_the_korea_time_as_utc(as_user, world, db):
    as_user(world.users.city).post("/notices/new", data=notice_form(publish_at="2030-01-01T09:00"))
    notice = db.session.scalar(db.select(Notice))
    assert notice.published_at == datetime(2030, 1, 1, 0, 0)
    assert notice.publication_code == "scheduled"


def test_a_draft_has_no_publication_time(as_user, world, db):
    as_user(world.users.city).post("/notices/new", data=notice_form(save_as="draft", publish_at="2030-01-01T09:00"))
    notice = db.session.scalar(db.select(Notice))
    assert notice.status == "draft" and notice.published_at is None


def test_editing_a_published_notice_keeps_its_publication_time(world, db):
    notice = factories.notice(world.users.city)
    first = notice.published_at
    services.update_notice(world.users.city, notice, services.NoticeData(
        category="notice", title="고친 제목", body="", publication=services.Publication(True)))
    assert notice.published_at == first and notice.title == "고친 제목"


def test_editing_writes_an_audit_entry_with_before_and_after(world, db):
    notice = factories.notice(world.users.city, title="처음 제목")
    services.update_notice(world.users.city, notice, services.NoticeData(
        category="notice", title="고친 제목", body="", publication=services.Publication(True)))
    entry = history(notice)[-1]
    assert entry.action == "notice.update"
    assert entry.before["title"] == "처음 제목" and entry.after["title"] == "고친 제목"


def test_deleting_a_notice_removes_its_files_after_the_commit(as_user, world, db):
    notice = factories.notice(world.users.city)
    attachment = factories.attachment(notice)
    stored_name, notice_id = attachment.stored_name, notice.id
    db.session.commit()
    response = as_user(world.users.city).post(f"/notices/{notice_id}/delete")
    assert response.status_code == 302
    assert files.read(stored_name) is None
    assert db.session.get(Notice, notice_id) is None


def test_a_rolled_back_upload_leaves_no_file(world, db):
    notice = factories.notice(world.users.city)
    [attachment] = services._attach(world.users.city, [files.Upload(factories.PDF, "pdf", "a.pdf")],
                                    notice_id=notice.id)
    stored_name = attachment.stored_name
    assert files.read(stored_name) == factories.PDF
    db.session.rollback()
    assert files.read(stored_name) is None


TODAY = date(2026, 11, 28)
APPLICATION_TABLE = [
    # (starts, ends) relative to today -> state
    ((None, None), None),
    ((3, 20), "upcoming"),
    ((-10, 20), "open"),
    ((None, 8), "open"),
    ((-10, 7), "closing_soon"),
    ((-10, 0), "closing_soon"),
    ((-30, -1), "closed"),
]


@pytest.mark.parametrize(("period", "expected"), APPLICATION_TABLE)
def test_application_state_follows_the_period(period, expected):
    starts, ends = period
    notice = Notice(apply_starts_on=TODAY + timedelta(days=starts) if starts is not None else None,
                    apply_ends_on=TODAY + timedelta(days=ends) if ends is not None else None)
    assert notice.application_code(TODAY) == expected


def test_open_calls_filter_lists_only_calls_open_today(client, world, db):
    today = seoul_today()
    factories.notice(world.users.city, category="programme", title="열린 공모",
                     apply_starts_on=today - timedelta(days=3), apply_ends_on=today + timedelta(days=10))
    factories.notice(world.users.city, category="programme", title="마감된 공모",
                     apply_starts_on=today - timedelta(days=30), apply_ends_on=today - timedelta(days=1))
    factories.notice(world.users.city, category="programme", title="곧 열릴 공모",
                     apply_starts_on=today + timedelta(days=5), apply_ends_on=today + timedelta(days=20))
    db.session.commit()
    text = client.get("/notices?category=programme&period=open").text
    assert "열린 공모" in text and "마감된 공모" not in text and "곧 열릴 공모" not in text


def test_search_finds_words_in_the_title_and_the_text(client, world, db):
    factories.notice(world.users.city, title="교육 안내", body="공공조달 실무")
    factories.notice(world.users.city, title="휴무 안내", body="연말")
    db.session.commit()
    text = client.get("/notices?q=조달").text
    assert "교육 안내" in text and "휴무 안내" not in text


def test_search_treats_percent_signs_literally(client, world, db):
    factories.notice(world.users.city, title="할인 안내")
    db.session.commit()
    assert "할인 안내" not in client.get("/notices?q=%25").text


def test_pinned_notices_come_first(client, world, db):
    factories.notice(world.users.city, title="고정 공지", pinned=True, published_at=utcnow() - timedelta(days=9))
    factories.notice(world.users.city, title="새 공지")
    db.session.commit()
    text = client.get("/notices").text
    assert text.index("고정 공지") < text.index("새 공지")


def test_the_list_is_paginated(client, world, db, app):
    for n in range(app.config["PAGE_SIZE"] + 3):
        factories.notice(world.users.city, title=f"페이지 공지 {n:02d}", published_at=utcnow() - timedelta(minutes=n + 1))
    db.session.commit()
    first, second = client.get("/notices").text, client.get("/notices?page=2").text
    assert "페이지 공지 00" in first and "페이지 공지 22" not in first
    assert "페이지 공지 22" in second and 'rel="prev"' in second


def test_an_empty_list_says_so(client, world):
    assert 'class="empty"' in client.get("/notices").text


def test_the_last_day_is_required_when_the_first_is_given():
    with pytest.raises(ValidationFailed):
        services._check_notice(services.NoticeData(category="programme", title="t", body="",
                                                   publication=services.Publication(False),
                                                   apply_starts_on=date(2026, 12, 1)))
