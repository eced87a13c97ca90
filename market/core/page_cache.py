"""Public pages kept for visitors without a session, for PAGE_CACHE_SECONDS (default 30), in the shared cache.

A view marked `@public_page` (the home page, the directory, listings, listing and enterprise pages, the
statistics, the portal's pages) is answered from the cache to a visitor who sends neither a session nor a
remember cookie. Anyone else (logged in, or with a flash or a language choice in their session) gets the
page computed for them. Only a plain 200 is kept: never a response that sets a cookie, says it is private or
no-store, is streamed, or was rendered for a logged-in user or with something in the session (a flash).

So a change shows to anonymous visitors within PAGE_CACHE_SECONDS plus the time to compute the page; people
who are logged in always see the current page. A stale copy is served only while one request (in the whole
site, see `market.core.cache`) computes the page again. `clear()` forgets every kept page at once (the jobs do
when a scheduled publication falls due). `X-Cache` says HIT, STALE or MISS.
"""
from __future__ import annotations

import hashlib
import zlib

from flask import Flask, Response, current_app, g, request, request_finished, session
from flask_login import current_user

from market.core import cache

_KEPT_HEADERS = ("Content-Type", "Last-Modified")


def public_page(view):
    """Mark a view whose page is the same for every visitor without a session (and so may be kept)."""
    view.public_page = True
    return view


def init_app(app: Flask) -> None:
    app.before_request_funcs.setdefault(None, []).insert(0, _serve_kept)  # first: a kept page needs nothing else
    request_finished.connect(_keep, app)
    app.teardown_request(_release)


def clear() -> None:
    cache.bump("pages")


def _seconds() -> float:
    return float(current_app.config.get("PAGE_CACHE_SECONDS") or 0)


def _anonymous_request() -> bool:
    config = current_app.config
    return (request.method in ("GET", "HEAD")
            and config["SESSION_COOKIE_NAME"] not in request.cookies
            and config.get("REMEMBER_COOKIE_NAME", "remember_token") not in request.cookies
            and "Authorization" not in request.headers)


def _key() -> str:
    address = f"{request.scheme}://{request.host}{request.full_path}"
    digest = hashlib.sha256(address.encode("utf-8", "surrogateescape")).hexdigest()[:32]
    return f"page:{cache.generation('pages')}:{digest}"


def _serve_kept():
    if _seconds() <= 0 or not cache.enabled() or not _anonymous_request():
        return None
    view = current_app.view_functions.get(request.endpoint)
    if not getattr(view, "public_page", False):
        return None
    key = _key()
    kept, token = cache.fetch_or_claim(key)
    if token is None:
        return _response(kept, "HIT" if kept.fresh else "STALE")
    g.page_cache = (key, token)  # this request computes the page; _keep stores it
    return None


def _response(kept: cache.Kept, state: str) -> Response:
    status, headers, body = kept.value
    response = Response(zlib.decompress(body), status=status, headers=headers)
    response.headers["X-Cache"] = state
    response.headers["Age"] = str(max(0, int(cache.now() - kept.computed_at)))
    response.vary.add("Cookie")
    return response


def _keepable(response: Response) -> bool:
    return (response.status_code == 200 and not response.is_streamed and not response.direct_passthrough
            and "Set-Cookie" not in response.headers and not response.cache_control.private
            and not response.cache_control.no_store and not session and not current_user.is_authenticated)


def _keep(sender: Flask, response: Response, **extra) -> None:
    """After the response is final (cookies included): keep it if it is the same for every anonymous visitor."""
    pending = g.pop("page_cache", None)
    if pending is None:
        return
    key, token = pending
    try:
        if _keepable(response):
            headers = [(name, response.headers[name]) for name in _KEPT_HEADERS if name in response.headers]
            cache.put(key, (response.status_code, headers, zlib.compress(response.get_data(), 6)), _seconds())
            response.headers["X-Cache"] = "MISS"
    finally:
        cache.unlock(key, token)


def _release(error: BaseException | None = None) -> None:
    """A request that failed before its page was kept gives its lock back (the next request computes)."""
    pending = g.pop("page_cache", None)
    if pending is not None:
        cache.unlock(*pending)
