"""Business rules of the portal. Services flush, never commit; views commit once.

The rules of who may see and change what are the named functions at the top (`can_*`): the views, these
services and the access-matrix test all use them.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime
from urllib.parse import parse_qs, urlsplit

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.orm import selectinload

from market.core import files
from market.content.models import (DRAFT, NOTICE_CATEGORIES, PUBLISHED, RESOURCE_CATEGORIES, Attachment,
                                   CommunityPost, GuidePage, Notice, Resource)
from market.content.permissions import (can_change_attachment, can_edit_post, can_manage_portal, can_moderate,
                                       can_post_to_community)
from market.content.states import MODERATION
from market.core import audit
from market.core.errors import NotAllowed, ValidationFailed
from market.core.states import transition
from market.core.timeutil import SEOUL, seoul_today, utcnow
from market.extensions import db

MAX_ATTACHMENTS = 10
MAX_PHOTOS = 6
RESERVED_SLUGS = {"new", "edit", "delete"}
SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


# --- publication: drafts and scheduled publication ---

@dataclass(frozen=True)
class Publication:
    publish: bool
    publish_at: datetime | None = None  # Korea time, naive, as typed in the form


def to_utc(local: datetime) -> datetime:
    return local.replace(tzinfo=SEOUL).astimezone(UTC).replace(tzinfo=None)


def to_seoul(utc_value: datetime | None) -> datetime | None:
    if utc_value is None:
        return None
    return utc_value.replace(tzinfo=UTC).astimezone(SEOUL).replace(tzinfo=None, second=0, microsecond=0)


def _apply_publication(item, publication: Publication) -> None:
    if not publication.publish:
        item.status = DRAFT
        item.published_at = None
        return
    if publication.publish_at is not None:
        item.published_at = to_utc(publication.publish_at)
    elif not item.is_public():
        item.published_at = utcnow()
    item.status = PUBLISHED


def _iso(value):
    return value.isoformat() if isinstance(value, (date, datetime)) else value


def _facts(item, *names) -> dict:
    return {name: _iso(getattr(item, name)) for name in ("title", "status", "published_at", *names)}


def _clean_title(title: str) -> str:
    title = " ".join((title or "").split())
    if not title:
        raise ValidationFailed(_("Please give a title."))
    if len(title) > 200:
        raise ValidationFailed(_("The title is longer than %(max)d characters.", max=200))
    return title


# --- files ---

def _check_uploads(storages, allowed=files.DOCUMENT_KINDS) -> list[files.Upload]:
    return [files.read_upload(storage, allowed) for storage in storages or () if storage and storage.filename]


def _attach(actor, uploads: list[files.Upload], **owner) -> list[Attachment]:
    added = []
    for upload in uploads:
        stored_name = files.new_stored_name(upload.kind)
        attachment = Attachment(stored_name=stored_name, original_name=upload.original_name, kind=upload.kind,
                                size_bytes=upload.size, uploaded_by_id=getattr(actor, "id", None), **owner)
        files.write(db.session, upload, stored_name)
        db.session.add(attachment)
        added.append(attachment)
    if added:
        db.session.flush()
        for attachment in added:
            audit.record(actor, "attachment.upload", attachment,
                         after={"name": attachment.original_name, "kind": attachment.kind,
                                "size_bytes": attachment.size_bytes, **{k: v for k, v in owner.items()}})
    return added


def _forget_files(attachments) -> None:
    for attachment in attachments:
        files.remove_after_commit(db.session, attachment.stored_name)


def remove_attachment(actor, attachment: Attachment) -> None:
    if not can_change_attachment(actor, attachment):
        raise NotAllowed(_("You may not remove this file."))
    owner = attachment.owner
    if isinstance(owner, Resource) and owner.status == PUBLISHED and len(owner.attachments) <= 1:
        raise ValidationFailed(_("A published resource needs at least one file. Upload another file first, "
                                 "or save the resource as a draft."))
    audit.record(actor, "attachment.remove", attachment,
                 before={"name": attachment.original_name, "kind": attachment.kind})
    files.remove_after_commit(db.session, attachment.stored_name)
    db.session.delete(attachment)
    db.session.flush()


def record_download(attachment: Attachment) -> None:
    db.session.execute(sa.update(Attachment).where(Attachment.id == attachment.id)
                       .values(download_count=Attachment.download_count + 1))


# --- notices and calls ---

@dataclass(frozen=True)
class NoticeData:
    category: str
    title: str
    body: str
    publication: Publication
    pinned: bool = False
    apply_starts_on: date | None = None
    apply_ends_on: date | None = None


def _check_notice(data: NoticeData) -> None:
    if data.category not in NOTICE_CATEGORIES:
        raise ValidationFailed(_("Choose a category."))
    if data.apply_starts_on and not data.apply_ends_on:
        raise ValidationFailed(_("Give the last day of the application period."))
    if data.apply_starts_on and data.apply_ends_on and data.apply_ends_on < data.apply_starts_on:
        raise ValidationFailed(_("The application period ends before it starts."))


def _fill_notice(notice: Notice, data: NoticeData) -> None:
    notice.category = data.category
    notice.title = _clean_title(data.title)
    notice.body = (data.body or "").strip()
    notice.pinned = bool(data.pinned)
    notice.apply_starts_on = data.apply_starts_on
    notice.apply_ends_on = data.apply_ends_on
    _apply_publication(notice, data.publication)


NOTICE_FACTS = ("category", "pinned", "apply_starts_on", "apply_ends_on")


def create_notice(actor, data: NoticeData, uploads=()) -> Notice:
    if not can_manage_portal(actor):
        raise NotAllowed(_("Only the support center publishes notices."))
    _check_notice(data)
    checked = _check_uploads(uploads)
    if len(checked) > MAX_ATTACHMENTS:
        raise ValidationFailed(_("At most %(max)d files.", max=MAX_ATTACHMENTS))
    notice = Notice(author_id=actor.id)
    _fill_notice(notice, data)
    db.session.add(notice)
    db.session.flush()
    audit.record(actor, "notice.create", notice, after=_facts(notice, *NOTICE_FACTS))
    _attach(actor, checked, notice_id=notice.id)
    return notice


def update_notice(actor, notice: Notice, data: NoticeData, uploads=()) -> None:
    if not can_manage_portal(actor):
        raise NotAllowed(_("Only the support center edits notices."))
    _check_notice(data)
    checked = _check_uploads(uploads)
    if len(notice.attachments) + len(checked) > MAX_ATTACHMENTS:
        raise ValidationFailed(_("At most %(max)d files.", max=MAX_ATTACHMENTS))
    before = _facts(notice, *NOTICE_FACTS)
    _fill_notice(notice, data)
    db.session.flush()
    audit.record(actor, "notice.update", notice, before=before, after=_facts(notice, *NOTICE_FACTS))
    _attach(actor, checked, notice_id=notice.id)


def delete_notice(actor, notice: Notice) -> None:
    if not can_manage_portal(actor):
        raise NotAllowed(_("Only the support center deletes notices."))
    audit.record(actor, "notice.delete", notice, before=_facts(notice, *NOTICE_FACTS))
    _forget_files(notice.attachments)
    db.session.delete(notice)
    db.session.flush()


PERIODS = ("open", "upcoming", "closed")


def notices_query(user, *, category: str | None = None, q: str | None = None, period: str | None = None,
                  status: str | None = None):
    """Notices the user may see, pinned first, newest first; the support center also sees drafts."""
    stmt = sa.select(Notice).options(selectinload(Notice.attachments))
    if can_manage_portal(user):
        stmt = _status_filter(stmt, Notice, status)
    else:
        stmt = stmt.where(Notice.public_clause())
    if category in NOTICE_CATEGORIES:
        stmt = stmt.where(Notice.category == category)
    if q:
        stmt = stmt.where(sa.or_(Notice.title.icontains(q, autoescape=True), Notice.body.icontains(q, autoescape=True)))
    if period in PERIODS:
        today = seoul_today()
        if period == "open":
            stmt = stmt.where(Notice.apply_ends_on >= today,
                              sa.or_(Notice.apply_starts_on.is_(None), Notice.apply_starts_on <= today))
        elif period == "upcoming":
            stmt = stmt.where(Notice.apply_starts_on > today)
        else:
            stmt = stmt.where(Notice.apply_ends_on < today)
    return stmt.order_by(Notice.pinned.desc(), sa.func.coalesce(Notice.published_at, Notice.created_at).desc(),
                         Notice.id.desc())


def _status_filter(stmt, model, status: str | None):
    now = utcnow()
    if status == "draft":
        return stmt.where(model.status == DRAFT)
    if status == "scheduled":
        return stmt.where(model.status == PUBLISHED, model.published_at > now)
    if status == "published":
        return stmt.where(model.public_clause(now))
    return stmt


def open_calls(limit: int = 4) -> list[Notice]:
    """Calls whose application period has not ended, the soonest deadline first."""
    today = seoul_today()
    return db.session.scalars(
        sa.select(Notice).where(Notice.public_clause(), Notice.apply_ends_on >= today)
        .order_by(Notice.apply_ends_on, Notice.id).limit(limit)).all()


def latest_notices(limit: int = 5) -> list[Notice]:
    return db.session.scalars(
        sa.select(Notice).where(Notice.public_clause())
        .order_by(Notice.pinned.desc(), Notice.published_at.desc(), Notice.id.desc()).limit(limit)).all()


def feed_notices(limit: int = 30) -> list[Notice]:
    return db.session.scalars(
        sa.select(Notice).where(Notice.public_clause())
        .order_by(Notice.published_at.desc(), Notice.id.desc()).limit(limit)).all()


# --- resources ---

@dataclass(frozen=True)
class ResourceData:
    category: str
    title: str
    body: str
    publication: Publication


def create_resource(actor, data: ResourceData, uploads=()) -> Resource:
    if not can_manage_portal(actor):
        raise NotAllowed(_("Only the support center adds resources."))
    checked = _check_resource(data, uploads, existing=0)
    resource = Resource(author_id=actor.id)
    _fill_resource(resource, data)
    db.session.add(resource)
    db.session.flush()
    audit.record(actor, "resource.create", resource, after=_facts(resource, "category"))
    _attach(actor, checked, resource_id=resource.id)
    return resource


def update_resource(actor, resource: Resource, data: ResourceData, uploads=()) -> None:
    if not can_manage_portal(actor):
        raise NotAllowed(_("Only the support center edits resources."))
    checked = _check_resource(data, uploads, existing=len(resource.attachments))
    before = _facts(resource, "category")
    _fill_resource(resource, data)
    db.session.flush()
    audit.record(actor, "resource.update", resource, before=before, after=_facts(resource, "category"))
    _attach(actor, checked, resource_id=resource.id)


def _check_resource(data: ResourceData, uploads, existing: int) -> list[files.Upload]:
    if data.category not in RESOURCE_CATEGORIES:
        raise ValidationFailed(_("Choose a category."))
    checked = _check_uploads(uploads)
    if existing + len(checked) > MAX_ATTACHMENTS:
        raise ValidationFailed(_("At most %(max)d files.", max=MAX_ATTACHMENTS))
    if data.publication.publish and existing + len(checked) == 0:
        raise ValidationFailed(_("Add at least one file before publishing a resource."))
    return checked


def _fill_resource(resource: Resource, data: ResourceData) -> None:
    resource.category = data.category
    resource.title = _clean_title(data.title)
    resource.body = (data.body or "").strip()
    _apply_publication(resource, data.publication)


def delete_resource(actor, resource: Resource) -> None:
    if not can_manage_portal(actor):
        raise NotAllowed(_("Only the support center deletes resources."))
    audit.record(actor, "resource.delete", resource, before=_facts(resource, "category"))
    _forget_files(resource.attachments)
    db.session.delete(resource)
    db.session.flush()


def resources_query(user, *, category: str | None = None, q: str | None = None, status: str | None = None,
                    order: str | None = None):
    stmt = sa.select(Resource).options(selectinload(Resource.attachments))
    if can_manage_portal(user):
        stmt = _status_filter(stmt, Resource, status)
    else:
        stmt = stmt.where(Resource.public_clause())
    if category in RESOURCE_CATEGORIES:
        stmt = stmt.where(Resource.category == category)
    if q:
        stmt = stmt.where(sa.or_(Resource.title.icontains(q, autoescape=True),
                                 Resource.body.icontains(q, autoescape=True)))
    if order == "downloads":
        downloads = (sa.select(sa.func.coalesce(sa.func.sum(Attachment.download_count), 0))
                     .where(Attachment.resource_id == Resource.id).scalar_subquery())
        return stmt.order_by(downloads.desc(), Resource.id.desc())
    return stmt.order_by(sa.func.coalesce(Resource.published_at, Resource.created_at).desc(), Resource.id.desc())


def latest_resources(limit: int = 3) -> list[Resource]:
    return db.session.scalars(
        sa.select(Resource).where(Resource.public_clause()).options(selectinload(Resource.attachments))
        .order_by(Resource.published_at.desc(), Resource.id.desc()).limit(limit)).all()


# --- guide pages ---

@dataclass(frozen=True)
class PageData:
    slug: str
    title: str
    summary: str | None
    body: str
    position: int
    publication: Publication


def _check_page(data: PageData, page: GuidePage | None) -> None:
    slug = (data.slug or "").strip().lower()
    if not SLUG.match(slug) or slug in RESERVED_SLUGS or len(slug) > 80:
        raise ValidationFailed(_("Use lowercase letters, digits and hyphens for the address, e.g. social-enterprise."))
    taken = db.session.scalar(sa.select(GuidePage.id).where(GuidePage.slug == slug))
    if taken is not None and (page is None or taken != page.id):
        raise ValidationFailed(_("Another page already uses this address."))


def _fill_page(actor, page: GuidePage, data: PageData) -> None:
    page.slug = data.slug.strip().lower()
    page.title = _clean_title(data.title)
    page.summary = (data.summary or "").strip() or None
    page.body = (data.body or "").strip()
    page.position = data.position or 0
    page.updated_by_id = actor.id
    _apply_publication(page, data.publication)


def create_page(actor, data: PageData) -> GuidePage:
    if not can_manage_portal(actor):
        raise NotAllowed(_("Only the support center writes guide pages."))
    _check_page(data, None)
    page = GuidePage()
    _fill_page(actor, page, data)
    db.session.add(page)
    db.session.flush()
    audit.record(actor, "guide_page.create", page, after=_facts(page, "slug"))
    return page


def update_page(actor, page: GuidePage, data: PageData) -> None:
    if not can_manage_portal(actor):
        raise NotAllowed(_("Only the support center writes guide pages."))
    _check_page(data, page)
    before = _facts(page, "slug")
    _fill_page(actor, page, data)
    db.session.flush()
    audit.record(actor, "guide_page.update", page, before=before, after=_facts(page, "slug"))


def delete_page(actor, page: GuidePage) -> None:
    if not can_manage_portal(actor):
        raise NotAllowed(_("Only the support center deletes guide pages."))
    audit.record(actor, "guide_page.delete", page, before=_facts(page, "slug"))
    db.session.delete(page)
    db.session.flush()


def pages_query(user):
    stmt = sa.select(GuidePage)
    if not can_manage_portal(user):
        stmt = stmt.where(GuidePage.public_clause())
    return stmt.order_by(GuidePage.position, GuidePage.title, GuidePage.id)


def page_by_slug(slug: str) -> GuidePage | None:
    return db.session.scalar(sa.select(GuidePage).where(GuidePage.slug == slug))


# --- community ---

@dataclass(frozen=True)
class PostData:
    title: str
    body: str
    video_url: str | None
    publication: Publication


VIDEO_HOSTS = {"youtube.com", "www.youtube.com", "m.youtube.com", "youtu.be", "vimeo.com", "www.vimeo.com"}
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
            return {"provider": "Vimeo", "src": f"https://player.vimeo.com/video/{number}?dnt=1"}
        return None
    if video_id and _YOUTUBE_ID.match(video_id):
        return {"provider": "YouTube", "src": f"https://www.youtube-nocookie.com/embed/{video_id}"}
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


# --- the home page ---

def portal_summary() -> dict:
    """What the home page shows of the portal (the catalog's part is added by the catalog)."""
    return {
        "notices": latest_notices(5),
        "calls": open_calls(4),
        "resources": latest_resources(3),
        "posts": latest_posts(3),
        "guides": db.session.scalars(pages_query(None).limit(6)).all(),
    }
