"""The library of resources, with download counts."""
from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.orm import selectinload

from market.content.models import RESOURCE_CATEGORIES, Attachment, Resource
from market.content.permissions import can_manage_portal
from market.content.services.attachments import MAX_ATTACHMENTS, _attach, _check_uploads, _forget_files
from market.content.services.publication import Publication, _apply_publication, _clean_title, _facts, _status_filter
from market.core import audit, files
from market.core.errors import NotAllowed, ValidationFailed
from market.extensions import db


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
