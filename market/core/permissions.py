"""Permission helpers shared by every blueprint, and the rules every domain builds its own on.

Each domain's `permissions.py` holds its named rules, one per action (`can_view_request(user, request)`),
used by its views, services, state tables and templates alike.
"""
from __future__ import annotations

from functools import wraps
from urllib.parse import urlsplit

from flask import abort, request
from flask_login import current_user, login_required


def signed_in(user) -> bool:
    """A person who logged in (not the system, which acts as None, nor an anonymous visitor)."""
    return bool(user is not None and getattr(user, "is_authenticated", False))


def is_city_admin(user, subject=None) -> bool:
    """An administrator of the support center (the city), who decides what the domains' workflows submit to
    it. `subject` is unused: the rule is the same whatever is decided."""
    return signed_in(user) and user.is_city_admin


def is_system(user, subject=None) -> bool:
    """The system itself: a payment provider's verified event, a scheduled command."""
    return user is None


def require(allowed: bool) -> None:
    """Stop the request with 403 unless the named rule allowed it."""
    if not allowed:
        abort(403)


def city_admin_required(view):
    @wraps(view)
    @login_required
    def wrapped(*args, **kwargs):
        require(is_city_admin(current_user))
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
