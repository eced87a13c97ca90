"""Markdown is rendered, then sanitised on the server: hostile markup never reaches a page."""
from __future__ import annotations

import pytest

from market.content.text import plain_text, render_markdown
from tests.content import factories

HOSTILE = {
    "script tag": "<script>alert('x')</script>",
    "event handler": '<p onclick="alert(1)">click</p><img src=x onerror="alert(1)">',
    "javascript link": "[click](javascript:alert(1))",
    "javascript link in mixed case": '<a href="JaVaScRiPt:alert(1)">click</a>',
    "data URL": '<a href="data:text/html;base64,PHNjcmlwdD4=">click</a>',
    "svg with script": '<svg onload="alert(1)"><script>alert(1)</script></svg>',
    "iframe": '<iframe src="https://evil.example/"></iframe>',
    "style": "<style>body{display:none}</style>",
    "object": '<object data="x.swf"></object>',
}


@pytest.mark.parametrize("name", HOSTILE)
def test_hostile_markup_is_neutralised(name):
    html = str(render_markdown(HOSTILE[name])).lower()
    for marker in ("<script", "onclick", "onerror", "onload", "javascript:", "data:", "<svg", "<iframe", "<style",
                   "<object", "alert("):
        assert marker not in html, f"{name}: {marker} survived in {html!r}"


def test_markdown_is_rendered_to_html():
    html = str(render_markdown("**굵게** 와 [링크](https://example.kr)\n\n- 하나\n- 둘"))
    assert "<strong>굵게</strong>" in html
    assert '<a href="https://example.kr" rel="noopener noreferrer nofollow ugc">링크</a>' in html
    assert "<li>하나</li>" in html


def test_headings_move_below_the_page_title():
    html = str(render_markdown("# 제목\n\n## 소제목"))
    assert "<h1>" not in html
    assert "<h2>제목</h2>" in html and "<h3>소제목</h3>" in html


def test_images_from_elsewhere_are_not_embedded():
    assert "<img" not in str(render_markdown("![추적](https://tracker.example/pixel.png)"))


def test_plain_text_drops_markup_and_keeps_the_words():
    assert plain_text("## 안내\n\n**중요** <b>공지</b> &amp; 일정") == "안내 중요 공지 & 일정"


def test_plain_text_is_shortened_with_an_ellipsis():
    assert plain_text("가" * 50, limit=10) == "가" * 9 + "…"


def test_a_notice_page_never_contains_the_script_its_author_typed(client, world, db):
    notice = factories.notice(world.users.city, body="안내 <script>alert('x')</script> [a](javascript:alert(1))")
    db.session.commit()
    response = client.get(f"/notices/{notice.id}")
    assert response.status_code == 200
    assert b"alert(" not in response.data
    assert b"javascript:" not in response.data
