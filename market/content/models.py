"""The portal's content: notices and calls, resources, guide pages, community posts, and their files.

Every kind of content is published the same way (`Publishable`): a draft, or published from
`published_at` on (a future `published_at` is a scheduled publication). Times are naive UTC; application
periods are calendar dates in Korea.
"""
from __future__ import annotations

from datetime import date, datetime, timedelta

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column, relationship

from market.core.states import State
from market.core.timeutil import seoul_today, utcnow
from market.extensions import db

__all__ = ["Notice", "Resource", "GuidePage", "CommunityPost", "Attachment"]

DRAFT = "draft"
PUBLISHED = "published"

PUBLICATION_STATES = {
    "draft": State("draft", _l("Draft"), "neutral"),
    "scheduled": State("scheduled", _l("Scheduled"), "info"),
    "published": State("published", _l("Published"), "success"),
}

CLOSING_SOON_DAYS = 7
APPLICATION_STATES = {
    "upcoming": State("upcoming", _l("Opens soon"), "info"),
    "open": State("open", _l("Open for applications"), "success"),
    "closing_soon": State("closing_soon", _l("Closing soon"), "warning"),
    "closed": State("closed", _l("Closed"), "neutral"),
}

NOTICE_CATEGORIES = {
    "notice": _l("Notice"),
    "programme": _l("Support programme / call"),
    "education": _l("Education"),
    "news": _l("Social economy news"),
}

RESOURCE_CATEGORIES = {
    "form": _l("Forms and templates"),
    "guide": _l("Guides and manuals"),
    "report": _l("Reports and statistics"),
    "education": _l("Education materials"),
    "other": _l("Other"),
}


class Publishable:
    """A draft, or published from `published_at` on (in the future: scheduled)."""

    status: Mapped[str] = mapped_column(sa.String(16), default=DRAFT)
    published_at: Mapped[datetime | None] = mapped_column(index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    def is_public(self, now: datetime | None = None) -> bool:
        return self.status == PUBLISHED and self.published_at is not None and self.published_at <= (now or utcnow())

    @property
    def publication_code(self) -> str:
        if self.status != PUBLISHED:
            return "draft"
        return "published" if self.is_public() else "scheduled"

    @property
    def publication(self) -> State:
        return PUBLICATION_STATES[self.publication_code]

    @property
    def feed_updated(self) -> datetime:
        """When readers should consider it last changed: never before its publication."""
        return max(self.updated_at, self.published_at or self.updated_at)

    @classmethod
    def public_clause(cls, now: datetime | None = None):
        return sa.and_(cls.status == PUBLISHED, cls.published_at.is_not(None), cls.published_at <= (now or utcnow()))


def _status_check():
    return sa.CheckConstraint("status IN ('draft', 'published')", name="status")


class Notice(Publishable, db.Model):
    """A notice, a support programme or call for applications, an education notice, or news."""

    __tablename__ = "notice"
    __table_args__ = (
        _status_check(),
        sa.CheckConstraint("category IN ('notice', 'programme', 'education', 'news')", name="category"),
        sa.CheckConstraint("apply_ends_on IS NULL OR apply_starts_on IS NULL OR apply_ends_on >= apply_starts_on",
                           name="apply_period"),
        sa.Index("ix_notice_category_status", "category", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    category: Mapped[str] = mapped_column(sa.String(16), default="notice")
    title: Mapped[str] = mapped_column(sa.String(200))
    body: Mapped[str] = mapped_column(sa.Text, default="")
    pinned: Mapped[bool] = mapped_column(default=False)
    apply_starts_on: Mapped[date | None]
    apply_ends_on: Mapped[date | None]
    author_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id", ondelete="SET NULL"), index=True)

    author = relationship("User")
    attachments: Mapped[list[Attachment]] = relationship(
        back_populates="notice", cascade="all, delete-orphan", order_by="Attachment.id")

    @property
    def category_label(self):
        return NOTICE_CATEGORIES.get(self.category, self.category)

    @property
    def has_application_period(self) -> bool:
        return self.apply_ends_on is not None

    def application_code(self, today: date | None = None) -> str | None:
        if self.apply_ends_on is None:
            return None
        today = today or seoul_today()
        if self.apply_starts_on and today < self.apply_starts_on:
            return "upcoming"
        if today > self.apply_ends_on:
            return "closed"
        if self.apply_ends_on - today <= timedelta(days=CLOSING_SOON_DAYS):
            return "closing_soon"
        return "open"

    @property
    def application(self) -> State | None:
        code = self.application_code()
        return APPLICATION_STATES[code] if code else None

    @property
    def days_left(self) -> int | None:
        if self.apply_ends_on is None:
            return None
        return (self.apply_ends_on - seoul_today()).days

    def __repr__(self) -> str:
        return f"<Notice {self.id} {self.category} {self.title!r}>"


class Resource(Publishable, db.Model):
    """A document in the resources library (자료실): one or more files with a description."""

    __tablename__ = "resource"
    __table_args__ = (
        _status_check(),
        sa.CheckConstraint("category IN ('form', 'guide', 'report', 'education', 'other')", name="category"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    category: Mapped[str] = mapped_column(sa.String(16), default="other")
    title: Mapped[str] = mapped_column(sa.String(200))
    body: Mapped[str] = mapped_column(sa.Text, default="")
    author_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id", ondelete="SET NULL"), index=True)

    author = relationship("User")
    attachments: Mapped[list[Attachment]] = relationship(
        back_populates="resource", cascade="all, delete-orphan", order_by="Attachment.id")

    @property
    def category_label(self):
        return RESOURCE_CATEGORIES.get(self.category, self.category)

    @property
    def download_count(self) -> int:
        return sum(a.download_count for a in self.attachments)


class GuidePage(Publishable, db.Model):
    """An editable page: the certification and designation procedures, Gunsan's social economy, …"""

    __tablename__ = "guide_page"
    __table_args__ = (_status_check(),)

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(sa.String(80), unique=True)
    title: Mapped[str] = mapped_column(sa.String(200))
    summary: Mapped[str | None] = mapped_column(sa.String(300))
    body: Mapped[str] = mapped_column(sa.Text, default="")
    position: Mapped[int] = mapped_column(default=0)
    updated_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id", ondelete="SET NULL"), index=True)

    updated_by = relationship("User")


class CommunityPost(Publishable, db.Model):
    """News, photos or a video link shared by an enterprise; the support center may hide it."""

    __tablename__ = "community_post"
    __table_args__ = (
        _status_check(),
        sa.CheckConstraint("moderation IN ('visible', 'hidden')", name="moderation"),
        sa.Index("ix_community_post_public", "status", "moderation", "published_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    organization_id: Mapped[int] = mapped_column(sa.ForeignKey("organization.id", ondelete="CASCADE"), index=True)
    author_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id", ondelete="SET NULL"), index=True)
    title: Mapped[str] = mapped_column(sa.String(200))
    body: Mapped[str] = mapped_column(sa.Text, default="")
    video_url: Mapped[str | None] = mapped_column(sa.String(300))
    moderation: Mapped[str] = mapped_column(sa.String(16), default="visible")
    moderation_note: Mapped[str | None] = mapped_column(sa.Text)

    organization = relationship("Organization", lazy="joined")
    author = relationship("User")
    photos: Mapped[list[Attachment]] = relationship(
        back_populates="community_post", cascade="all, delete-orphan", order_by="Attachment.id")

    @property
    def is_hidden(self) -> bool:
        return self.moderation == "hidden"

    def is_public(self, now: datetime | None = None) -> bool:
        return not self.is_hidden and super().is_public(now)

    @classmethod
    def public_clause(cls, now: datetime | None = None):
        return sa.and_(super().public_clause(now), cls.moderation == "visible")


class Attachment(db.Model):
    """A stored file belonging to exactly one notice, resource or community post."""

    __tablename__ = "attachment"
    __table_args__ = (
        sa.CheckConstraint(
            "(CASE WHEN notice_id IS NULL THEN 0 ELSE 1 END) + (CASE WHEN resource_id IS NULL THEN 0 ELSE 1 END)"
            " + (CASE WHEN community_post_id IS NULL THEN 0 ELSE 1 END) = 1", name="one_owner"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    notice_id: Mapped[int | None] = mapped_column(sa.ForeignKey("notice.id", ondelete="CASCADE"), index=True)
    resource_id: Mapped[int | None] = mapped_column(sa.ForeignKey("resource.id", ondelete="CASCADE"), index=True)
    community_post_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("community_post.id", ondelete="CASCADE"), index=True)
    stored_name: Mapped[str] = mapped_column(sa.String(64), unique=True, info={"storage": "files"})
    original_name: Mapped[str] = mapped_column(sa.String(200))
    kind: Mapped[str] = mapped_column(sa.String(8))
    size_bytes: Mapped[int]
    download_count: Mapped[int] = mapped_column(default=0)
    uploaded_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id", ondelete="SET NULL"), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    notice: Mapped[Notice | None] = relationship(back_populates="attachments")
    resource: Mapped[Resource | None] = relationship(back_populates="attachments")
    community_post: Mapped[CommunityPost | None] = relationship(back_populates="photos")

    @property
    def owner(self):
        return self.notice or self.resource or self.community_post

    @property
    def is_image(self) -> bool:
        return self.kind in ("png", "jpeg")

    @property
    def label(self) -> str:
        return self.kind.upper()

    def __repr__(self) -> str:
        return f"<Attachment {self.id} {self.kind} {self.original_name!r}>"
