"""Permission helpers shared by every blueprint."""
from __future__ import annotations

from functools import wraps
from urllib.parse import urlsplit

from flask import abort, request
from flask_login import current_user, login_required


def require(allowed: bool) -> None:
    """Stop the request with 403 unless the named rule allowed it."""
    if not allowed:
        abort(403)


def city_admin_required(view):
    @wraps(view)
    @login_required
    def wrapped(*args, **kwargs):
        require(current_user.is_city_admin)
        return view(*args, **kwargs)

    return wrapped


def safe_next(default: str) -> str:
    """The `next` parameter, if it points inside this site; otherwise `default` (no open redirects)."""
    target = request.values.get("next") or ""
    parts = urlsplit(target)
    if target.startswith("/") and not target.startswith("//") and not parts.scheme and not parts.netloc \
            and "\\" not in target:
        return target
    return default


def safe_referrer(default: str) -> str:
    """The page the request came from, if it is on this site; otherwise `default` (no open redirects)."""
    referrer = request.referrer
    return referrer if referrer and referrer.startswith(request.host_url) else default
