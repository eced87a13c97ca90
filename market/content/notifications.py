"""Who is told of a community post's moderation: its author, by e-mail."""
from __future__ import annotations

from market.accounts.models import User
from market.content.models import CommunityPost
from market.content.states import MODERATION
from market.core.mail import queue_mail, site_url_for
from market.extensions import db


def post_moderated(post: CommunityPost, actor, note: str | None) -> None:
    author = db.session.get(User, post.author_id) if post.author_id else None
    if author is None or not author.active:
        return
    queue_mail(author.email, "content/post_moderated", author.locale or "ko", user=author, post=post,
               state=MODERATION.state(post.moderation), note=(note or "").strip() or None,
               url=site_url_for("content.community_post", post_id=post.id))


MODERATION.on("hide", "restore", notify=post_moderated)
