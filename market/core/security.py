"""What every response owes to the visitor's safety, whatever the page.

Headers (`register`): a Content-Security-Policy that runs only the site's own scripts and styles (no inline
script or handler: the pages use static/js), lets no site frame ours (clickjacking on the award and payment
pages), and lets the browser go nowhere else except what a domain declares it needs with `allow`: the video
players' frames (content), the payment provider's pages that a form's answer redirects to (payments). Then
nosniff, the referrer kept to the site, HSTS in production (HSTS_SECONDS), and `Cache-Control: no-store` on what
a signed-in person is shown, so that a shared computer's cache and back button keep none of it.

`steady_answer`: forms that must not reveal which e-mail addresses have an account (sign-up, password reset,
invitation) answer a POST in the same time whichever way it went: no sooner than STEADY_ANSWER_SECONDS after
it arrived. The paths also do alike work (sign-up hashes the password in both), so the floor is rarely reached
unevenly; on its own, a difference of a database write or an e-mail rendered would show in the timing.
"""
from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from functools import wraps

from flask import Flask, current_app, request
from flask.wrappers import Response
from flask_login import current_user

_POLICY = {
    "default-src": ("'self'",),
    "script-src": ("'self'",),
    "style-src": ("'self'",),
    "img-src": ("'self'",),
    "font-src": ("'self'",),
    "connect-src": ("'self'",),
    "frame-src": ("'none'",),
    "form-action": ("'self'",),
    "frame-ancestors": ("'none'",),
    "base-uri": ("'none'",),
    "object-src": ("'none'",),
}
Sources = Callable[[], Iterable[str]]


def register(app: Flask) -> None:
    app.extensions["content_security_policy"] = {directive: [] for directive in _POLICY}
    app.after_request(_add_headers)


def allow(app: Flask, directive: str, sources: Sources) -> None:
    """Let the policy's `directive` also name what `sources()` returns (called for each response, so that it
    may read the configuration)."""
    app.extensions["content_security_policy"][directive].append(sources)


def content_security_policy() -> str:
    allowed = current_app.extensions["content_security_policy"]
    parts = []
    for directive, own in _POLICY.items():
        extra = [source for sources in allowed[directive] for source in sources()]
        values = [value for value in own if not (extra and value == "'none'")] + extra
        parts.append(" ".join([directive, *dict.fromkeys(values)]))
    return "; ".join(parts)


def _add_headers(response: Response) -> Response:
    headers = response.headers
    headers.setdefault("Content-Security-Policy", content_security_policy())  # a download keeps its own sandbox
    headers.setdefault("X-Frame-Options", "DENY")  # frame-ancestors for browsers that predate it
    headers.setdefault("X-Content-Type-Options", "nosniff")
    headers.setdefault("Referrer-Policy", "same-origin")
    if max_age := current_app.config.get("HSTS_SECONDS"):
        headers.setdefault("Strict-Transport-Security", f"max-age={max_age}; includeSubDomains")
    if request.endpoint != "static" and current_user.is_authenticated:
        headers["Cache-Control"] = "no-store"
        headers.add("Vary", "Cookie")
    return response


def steady_answer(view):
    @wraps(view)
    def answer(*args, **kwargs):
        started = time.monotonic()
        try:
            return view(*args, **kwargs)
        finally:
            if request.method == "POST":
                rest = current_app.config["STEADY_ANSWER_SECONDS"] - (time.monotonic() - started)
                if rest > 0:
                    time.sleep(rest)

    return answer
