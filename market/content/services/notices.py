"""Notices and calls (support programmes, education), with their application periods."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.orm import selectinload

from market.content.models import NOTICE_CATEGORIES, Notice
from market.content.permissions import can_manage_portal
from market.content.services.attachments import MAX_ATTACHMENTS, _attach, _check_uploads, _forget_files
from market.content.services.publication import Publication, _apply_publication, _clean_title, _facts, _status_filter
from market.core import audit
from market.core.errors import NotAllowed, ValidationFailed
from market.core.timeutil import seoul_today
from market.extensions import db


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
