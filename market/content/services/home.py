"""What the home page shows of the portal."""
from __future__ import annotations

from market.content.services.community import latest_posts
from market.content.services.notices import latest_notices, open_calls
from market.content.services.pages import pages_query
from market.content.services.resources import latest_resources
from market.extensions import db


def portal_summary() -> dict:
    """What the home page shows of the portal (the catalog's part is added by the catalog)."""
    return {
        "notices": latest_notices(5),
        "calls": open_calls(4),
        "resources": latest_resources(3),
        "posts": latest_posts(3),
        "guides": db.session.scalars(pages_query(None).limit(6)).all(),
    }
