"""The industry taxonomy: seeding, reading and the support center's edits."""
from __future__ import annotations

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.orm import selectinload

from market.catalog.models import Industry
from market.catalog.permissions import can_edit_taxonomy
from market.catalog.services.indexing import reindex_industry
from market.catalog.taxonomy import INDUSTRIES
from market.core import audit
from market.core.errors import NotAllowed, ValidationFailed
from market.extensions import db


def seed_industries() -> int:
    """Create the taxonomy's industries and item groups that do not exist yet; returns how many."""
    existing = set(db.session.scalars(sa.select(Industry.code)))
    parents = [{"code": e["code"], "name_ko": e["name_ko"], "name_en": e["name_en"], "position": position}
               for position, e in enumerate(INDUSTRIES) if e["code"] not in existing]
    if parents:
        db.session.execute(sa.insert(Industry), parents)
    ids = dict(db.session.execute(sa.select(Industry.code, Industry.id).where(Industry.parent_id.is_(None))).all())
    groups = [{"code": g["code"], "name_ko": g["name_ko"], "name_en": g["name_en"], "position": position,
               "parent_id": ids[e["code"]]}
              for e in INDUSTRIES for position, g in enumerate(e["groups"]) if g["code"] not in existing]
    if groups:
        db.session.execute(sa.insert(Industry), groups)
    return len(parents) + len(groups)


def industry_tree() -> list[Industry]:
    return db.session.scalars(
        sa.select(Industry).where(Industry.parent_id.is_(None)).order_by(Industry.position)
        .options(selectinload(Industry.children))).all()


def industry_by_code(code: str | None) -> Industry | None:
    if not code:
        return None
    return db.session.scalar(sa.select(Industry).where(Industry.code == code))


def update_industry(actor, industry: Industry, *, name_ko: str, name_en: str) -> None:
    if not can_edit_taxonomy(actor):
        raise NotAllowed(_("Only the support center edits industries."))
    before = {"name_ko": industry.name_ko, "name_en": industry.name_en}
    industry.name_ko, industry.name_en = name_ko.strip(), name_en.strip()
    audit.record(actor, "industry.update", industry, before=before,
                 after={"name_ko": industry.name_ko, "name_en": industry.name_en})
    if industry.name_ko != before["name_ko"]:
        reindex_industry(industry)


def add_item_group(actor, parent: Industry, *, code: str, name_ko: str, name_en: str) -> Industry:
    if not can_edit_taxonomy(actor):
        raise NotAllowed(_("Only the support center edits industries."))
    if parent.parent_id is not None:
        raise ValidationFailed(_("Item groups belong to an industry, not to another item group."))
    if industry_by_code(code):
        raise ValidationFailed(_("This code is already used."))
    position = len(parent.children)
    group = Industry(code=code, name_ko=name_ko.strip(), name_en=name_en.strip(), parent=parent, position=position)
    db.session.add(group)
    db.session.flush()
    audit.record(actor, "industry.create", group, after={"code": code, "name_ko": group.name_ko})
    return group
