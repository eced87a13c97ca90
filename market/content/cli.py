"""The portal's job: scheduled publication, on time on every kept page."""
from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa

from market.content.models import CommunityPost, GuidePage, Notice, Resource
from market.core import jobs, page_cache
from market.core.timeutil import utcnow
from market.extensions import db


@jobs.register("content.publish_scheduled", every=timedelta(minutes=1),
               description="Show the items whose publication time came on every kept public page at once.")
def publish_scheduled(since) -> str:
    """An item scheduled for 09:00 is public from 09:00 (its pages ask the time); the public pages kept for
    visitors without a session would show it only once their copies expire, so they are forgotten as soon as
    an item's publication time has passed since the last run."""
    now = utcnow()
    since = since or now - timedelta(minutes=1)
    due = sum(db.session.scalar(sa.select(sa.func.count()).select_from(model)
                                .where(model.public_clause(now), model.published_at > since))
              for model in (Notice, Resource, GuidePage, CommunityPost))
    if due:
        page_cache.clear()
    return f"{due} items published since the last run"
