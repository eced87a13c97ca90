"""Markdown in, safe HTML out: every body written on the portal passes through `render_markdown`.

Markdown is converted, then sanitised by an allow-list (nh3): no script, no event handlers, no style, no
frames, no images from elsewhere, links only to http(s), mailto and tel. Headings move one level down so
that a body never competes with the page's own <h1>.
"""
from __future__ import annotations

import html
import re
from functools import lru_cache

import markdown as _markdown
import nh3
from markupsafe import Markup

ALLOWED_TAGS = {
    "p", "br", "hr", "h2", "h3", "h4", "h5", "h6", "strong", "em", "b", "i", "u", "s", "del", "ins", "mark",
    "blockquote", "code", "pre", "ul", "ol", "li", "dl", "dt", "dd", "a", "table", "thead", "tbody", "tr",
    "th", "td", "caption", "sub", "sup", "abbr",
}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "abbr": {"title"}, "ol": {"start"}, "th": {"scope"}}
URL_SCHEMES = {"http", "https", "mailto", "tel"}
LINK_REL = "noopener noreferrer nofollow ugc"
_HEADING = re.compile(r"<(/?)h([1-5])(?=[\s>])")


def _shift_headings(fragment: str) -> str:
    return _HEADING.sub(lambda m: f"<{m.group(1)}h{int(m.group(2)) + 1}", fragment)


def sanitize_html(fragment: str) -> str:
    return nh3.clean(fragment, tags=ALLOWED_TAGS, attributes=ALLOWED_ATTRIBUTES, url_schemes=URL_SCHEMES,
                     link_rel=LINK_REL, strip_comments=True)


@lru_cache(maxsize=256)
def _render(text: str) -> str:
    converted = _markdown.markdown(text, extensions=["tables", "fenced_code", "sane_lists", "nl2br"],
                                   output_format="html")
    return sanitize_html(_shift_headings(converted))


def render_markdown(text: str | None) -> Markup:
    """Sanitised HTML for a Markdown text (safe to place in a page as it is)."""
    if not text:
        return Markup("")
    return Markup(_render(text))


def plain_text(text: str | None, limit: int | None = 160) -> str:
    """The words of a Markdown text without markup, for lists, feeds and meta descriptions."""
    if not text:
        return ""
    words = html.unescape(nh3.clean(_render(text), tags=set()))
    words = " ".join(words.split())
    if limit and len(words) > limit:
        words = words[: limit - 1].rstrip() + "…"
    return words
