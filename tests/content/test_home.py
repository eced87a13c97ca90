"""The home page leads each audience into the portal: open calls, notices, resources, community."""
from __future__ import annotations

from datetime import timedelta

from market.core.timeutil import seoul_today
from tests.content import factories


def test_the_home_page_lists_open_calls_and_latest_notices(client, world, db):
    today = seoul_today()
    factories.notice(world.users.city, category="programme", title="열린 공모 사업",
                     apply_starts_on=today - timedelta(days=1), apply_ends_on=today + timedelta(days=5))
    factories.notice(world.users.city, title="센터 소식")
    db.session.commit()
    text = client.get("/").text
    assert text.index("열린 공모 사업") < text.index('id="latest-notices"')
    assert "센터 소식" in text


def test_the_home_page_hides_drafts_and_closed_calls_from_the_open_calls(client, world, db):
    today = seoul_today()
    factories.notice(world.users.city, title="초안 공고", status="draft")
    factories.notice(world.users.city, category="programme", title="마감 공고",
                     apply_ends_on=today - timedelta(days=1))
    db.session.commit()
    text = client.get("/").text
    calls = text[text.index('id="open-calls"'):text.index('id="latest-notices"')]
    assert "초안 공고" not in text and "마감 공고" not in calls


def test_the_home_page_shows_recent_community_posts_but_not_hidden_ones(client, world, db):
    factories.post(world.users.enterprise_a, title="보이는 소식")
    factories.post(world.users.enterprise_a, title="숨긴 소식", moderation="hidden")
    db.session.commit()
    text = client.get("/").text
    assert "보이는 소식" in text and "숨긴 소식" not in text


def test_the_home_page_works_with_no_content_at_all(client):
    assert client.get("/").status_code == 200


def test_the_home_page_needs_few_queries(client, world, db, count_queries):
    for n in range(5):
        factories.attachment(factories.resource(world.users.city, title=f"자료 {n}"))
        factories.notice(world.users.city, title=f"공지 {n}")
    db.session.commit()
    with count_queries() as counter:
        client.get("/")
    assert counter.count <= 12, counter.statements
