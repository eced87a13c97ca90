"""The community: enterprises' news, photos and video links, moderated by the support center."""
from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import parse_qs, urlsplit

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.orm import selectinload

from market.content.models import PUBLISHED, CommunityPost
from market.content.permissions import can_edit_post, can_moderate, can_post_to_community
from market.content.services.attachments import _attach, _check_uploads, _forget_files
from market.content.services.publication import Publication, _apply_publication, _clean_title, _facts
from market.content.states import MODERATION
from market.core import audit, files
from market.core.errors import NotAllowed, ValidationFailed
from market.core.states import transition
from market.extensions import db

MAX_PHOTOS = 6


@dataclass(frozen=True)
class PostData:
    title: str
    body: str
    video_url: str | None
    publication: Publication


VIDEO_HOSTS = {"youtube.com", "www.youtube.com", "m.youtube.com", "youtu.be", "vimeo.com", "www.vimeo.com"}
VIDEO_PLAYERS = ("https://www.youtube-nocookie.com", "https://player.vimeo.com")  # where video_embed's src points
_YOUTUBE_ID = re.compile(r"^[A-Za-z0-9_-]{11}$")


def video_embed(url: str | None) -> dict | None:
    """For a YouTube or Vimeo link: the provider and the address of its player (loaded only on a click)."""
    if not url:
        return None
    parts = urlsplit(url)
    host = (parts.hostname or "").lower()
    video_id = None
    if host == "youtu.be":
        video_id = parts.path.strip("/").split("/")[0]
    elif host.endswith("youtube.com"):
        if parts.path == "/watch":
            video_id = (parse_qs(parts.query).get("v") or [""])[0]
        elif parts.path.startswith(("/shorts/", "/embed/", "/live/")):
            video_id = parts.path.split("/")[2]
    elif host.endswith("vimeo.com"):
        number = parts.path.strip("/").split("/")[0]
        if number.isdigit():
            return {"provider": "Vimeo", "src": f"{VIDEO_PLAYERS[1]}/video/{number}?dnt=1"}
        return None
    if video_id and _YOUTUBE_ID.match(video_id):
        return {"provider": "YouTube", "src": f"{VIDEO_PLAYERS[0]}/embed/{video_id}"}
    return None


def _check_video_url(url: str | None) -> str | None:
    url = (url or "").strip()
    if not url:
        return None
    parts = urlsplit(url)
    if parts.scheme != "https" or not parts.hostname or len(url) > 300:
        raise ValidationFailed(_("Give the video's address starting with https://."))
    return url


def _fill_post(post: CommunityPost, data: PostData) -> None:
    post.title = _clean_title(data.title)
    post.body = (data.body or "").strip()
    post.video_url = _check_video_url(data.video_url)
    _apply_publication(post, data.publication)


def create_post(actor, data: PostData, photos=()) -> CommunityPost:
    if not can_post_to_community(actor):
        raise NotAllowed(_("Only approved enterprises post to the community."))
    checked = _check_uploads(photos, files.IMAGE_KINDS)
    if len(checked) > MAX_PHOTOS:
        raise ValidationFailed(_("At most %(max)d photos.", max=MAX_PHOTOS))
    post = CommunityPost(organization_id=actor.organization_id, author_id=actor.id, moderation="visible")
    _fill_post(post, data)
    db.session.add(post)
    db.session.flush()
    audit.record(actor, "community_post.create", post, after=_facts(post, "organization_id", "video_url"))
    _attach(actor, checked, community_post_id=post.id)
    return post


def update_post(actor, post: CommunityPost, data: PostData, photos=()) -> None:
    if not can_edit_post(actor, post):
        raise NotAllowed(_("Only the enterprise that wrote this post may change it."))
    checked = _check_uploads(photos, files.IMAGE_KINDS)
    if len(post.photos) + len(checked) > MAX_PHOTOS:
        raise ValidationFailed(_("At most %(max)d photos.", max=MAX_PHOTOS))
    before = _facts(post, "video_url")
    _fill_post(post, data)
    db.session.flush()
    audit.record(actor, "community_post.update", post, before=before, after=_facts(post, "video_url"))
    _attach(actor, checked, community_post_id=post.id)


def delete_post(actor, post: CommunityPost) -> None:
    if not can_edit_post(actor, post):
        raise NotAllowed(_("Only the enterprise that wrote this post may delete it."))
    audit.record(actor, "community_post.delete", post, before=_facts(post, "organization_id", "moderation"))
    _forget_files(post.photos)
    db.session.delete(post)
    db.session.flush()


def moderate_post(actor, post: CommunityPost, action: str, note: str | None) -> str:
    """Hide (a reason is required) or restore a post; the audit entry and the author's mail come along."""
    new_state = transition(MODERATION, post, action, actor, note)
    post.moderation_note = ((note or "").strip() or None) if new_state == "hidden" else None
    return new_state


def community_query(user, *, q: str | None = None, moderation: str | None = None):
    """Public posts; the support center sees every published post (hidden ones too) to moderate them."""
    stmt = sa.select(CommunityPost).options(selectinload(CommunityPost.photos))
    if can_moderate(user):
        stmt = stmt.where(CommunityPost.status == PUBLISHED)
        if moderation in MODERATION.states:
            stmt = stmt.where(CommunityPost.moderation == moderation)
    else:
        stmt = stmt.where(CommunityPost.public_clause())
    if q:
        stmt = stmt.where(sa.or_(CommunityPost.title.icontains(q, autoescape=True),
                                 CommunityPost.body.icontains(q, autoescape=True)))
    return stmt.order_by(sa.func.coalesce(CommunityPost.published_at, CommunityPost.created_at).desc(),
                         CommunityPost.id.desc())


def own_posts_query(user):
    """The posts of the user's enterprise, drafts and hidden ones included."""
    return (sa.select(CommunityPost).where(CommunityPost.organization_id == user.organization_id)
            .options(selectinload(CommunityPost.photos))
            .order_by(CommunityPost.updated_at.desc(), CommunityPost.id.desc()))


def latest_posts(limit: int = 3) -> list[CommunityPost]:
    return db.session.scalars(
        sa.select(CommunityPost).where(CommunityPost.public_clause()).options(selectinload(CommunityPost.photos))
        .order_by(CommunityPost.published_at.desc(), CommunityPost.id.desc()).limit(limit)).all()
