"""The Atom feed of notices: well-formed XML, published notices only, text escaped."""
from __future__ import annotations

import xml.etree.ElementTree as ET
from datetime import timedelta

from market.core.timeutil import utcnow
from tests.content import factories

ATOM = "{http://www.w3.org/2005/Atom}"


def feed(client):
    response = client.get("/notices/feed.atom")
    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith("application/atom+xml")
    return ET.fromstring(response.data)


def test_the_feed_is_valid_atom_with_one_entry_per_published_notice(client, world, db):
    factories.notice(world.users.city, title="공개 공지")
    factories.notice(world.users.city, title="초안 공지", status="draft")
    factories.notice(world.users.city, title="예약 공지", published_at=utcnow() + timedelta(days=1))
    db.session.commit()
    root = feed(client)
    assert root.tag == f"{ATOM}feed"
    for required in ("id", "title", "updated"):
        assert root.find(f"{ATOM}{required}") is not None
    titles = [entry.findtext(f"{ATOM}title") for entry in root.findall(f"{ATOM}entry")]
    assert titles == ["공개 공지"]


def test_each_entry_has_an_id_a_link_and_times(client, world, db):
    notice = factories.notice(world.users.city)
    db.session.commit()
    entry = feed(client).find(f"{ATOM}entry")
    assert entry.findtext(f"{ATOM}id").endswith(f"/notices/{notice.id}")
    assert entry.find(f"{ATOM}link").get("href").endswith(f"/notices/{notice.id}")
    assert entry.findtext(f"{ATOM}updated").endswith("Z")
    assert entry.findtext(f"{ATOM}published").endswith("Z")


def test_markup_in_a_notice_stays_escaped_in_the_feed(client, world, db):
    factories.notice(world.users.city, title="<b>제목</b> & 안내", body="**굵게** <script>alert(1)</script>")
    db.session.commit()
    entry = feed(client).find(f"{ATOM}entry")
    assert entry.findtext(f"{ATOM}title") == "<b>제목</b> & 안내"
    content = entry.findtext(f"{ATOM}content")
    assert "<strong>굵게</strong>" in content and "<script" not in content


def test_an_empty_feed_is_still_valid(client):
    root = feed(client)
    assert root.findall(f"{ATOM}entry") == [] and root.findtext(f"{ATOM}updated")


def test_pages_point_feed_readers_to_the_feed(client):
    assert 'type="application/atom+xml"' in client.get("/notices").text
