"""Guide pages: certification and designation procedures, edited in place."""
from __future__ import annotations

import re
from dataclasses import dataclass

import sqlalchemy as sa
from flask_babel import gettext as _

from market.content.models import GuidePage
from market.content.permissions import can_manage_portal
from market.content.services.publication import Publication, _apply_publication, _clean_title, _facts
from market.core import audit
from market.core.errors import NotAllowed, ValidationFailed
from market.extensions import db

RESERVED_SLUGS = {"new", "edit", "delete"}
SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


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
