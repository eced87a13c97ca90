"""Keeping the search index current: the text enterprises and listings are found by."""
from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from market.catalog import search
from market.catalog.models import EnterpriseProfile, Industry, Listing, enterprise_industry
from market.extensions import db


def enterprise_search_text(profile: EnterpriseProfile) -> str:
    organization = profile.organization
    parts = [organization.name, organization.name_en, profile.area, profile.description]
    parts += [i.name_ko for i in ([profile.main_industry] if profile.main_industry else [])]
    parts += [i.name_ko for i in profile.secondary_industries]
    return search.document_text(parts)


REINDEX_BATCH = 500


def reindex_listings(ids_stmt) -> None:
    """Refresh the search text of the listings whose ids `ids_stmt` selects, a batch at a time: renaming an
    industry touches thousands of them at city scale."""
    ids = db.session.scalars(ids_stmt).all()
    for start in range(0, len(ids), REINDEX_BATCH):
        listings = db.session.scalars(
            sa.select(Listing).where(Listing.id.in_(ids[start:start + REINDEX_BATCH]))
            .options(selectinload(Listing.organization), selectinload(Listing.industry),
                     selectinload(Listing.group))).all()
        for listing in listings:
            listing.search_text = listing_search_text(listing)
        db.session.flush()
        search.index_documents(search.LISTING, {listing.id: listing.search_text for listing in listings})


def reindex_industry(industry: Industry) -> None:
    """Listings and enterprises are found by their industries' Korean names: a renamed industry is searched by
    its new name, and no longer by the old one."""
    reindex_listings(sa.select(Listing.id).where(sa.or_(Listing.industry_id == industry.id,
                                                        Listing.group_id == industry.id)))
    holders = db.session.scalars(
        sa.select(EnterpriseProfile).where(sa.or_(
            EnterpriseProfile.main_industry_id == industry.id,
            EnterpriseProfile.organization_id.in_(sa.select(enterprise_industry.c.organization_id)
                                                  .where(enterprise_industry.c.industry_id == industry.id))))
        .options(selectinload(EnterpriseProfile.organization), selectinload(EnterpriseProfile.main_industry),
                 selectinload(EnterpriseProfile.secondary_industries))).all()
    for profile in holders:
        profile.search_text = enterprise_search_text(profile)
    db.session.flush()
    search.index_documents(search.ENTERPRISE, {p.organization_id: p.search_text for p in holders})


def listing_search_text(listing: Listing) -> str:
    return search.document_text([listing.title, listing.organization.name,
                                 listing.industry.name_ko if listing.industry else None,
                                 listing.group.name_ko if listing.group else None, listing.service_area])


def reindex_listing(listing: Listing) -> None:
    listing.search_text = listing_search_text(listing)
    db.session.flush()
    search.index_document(search.LISTING, listing.id, listing.search_text)
