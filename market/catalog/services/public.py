"""What anyone may read: the directory, listing search, an enterprise's catalog, statistics, highlights."""
from __future__ import annotations

from datetime import date

import sqlalchemy as sa
from flask import current_app
from sqlalchemy.orm import selectinload

from market.accounts.models import Organization, OrgKind
from market.catalog import kinds, search
from market.catalog.models import Certification, EnterpriseProfile, Industry, Listing, enterprise_industry
from market.catalog.services.certifications import valid_kinds_by_enterprise
from market.core.cache import remember
from market.core.names import BilingualName
from market.core.pagination import paginate_capped
from market.core.timeutil import seoul_today
from market.extensions import db


def public_enterprises():
    """Enterprises the public may see: approved ones."""
    return (sa.select(Organization)
            .where(Organization.kind == OrgKind.ENTERPRISE, Organization.status == "approved"))


def directory_query(*, industry: Industry | None = None, kind: str | None = None, area: str | None = None,
                    q: str | None = None, sort: str = "name"):
    stmt = public_enterprises().join(EnterpriseProfile, EnterpriseProfile.organization_id == Organization.id,
                                     isouter=True)
    if industry is not None:
        secondary = sa.select(enterprise_industry.c.organization_id).where(
            enterprise_industry.c.industry_id == industry.id)
        stmt = stmt.where(sa.or_(EnterpriseProfile.main_industry_id == industry.id,
                                 Organization.id.in_(secondary)))
    if kind in kinds.CERTIFICATION_KINDS:
        holders = sa.select(Certification.organization_id).where(
            Certification.kind == kind, Certification.valid_on(seoul_today()))
        stmt = stmt.where(Organization.id.in_(holders))
    if area:
        stmt = stmt.where(EnterpriseProfile.area == area)
    stmt = search.matching(stmt, Organization.id, EnterpriseProfile.search_text, search.ENTERPRISE, q)
    order = {"newest": (Organization.created_at.desc(), Organization.id.desc())}.get(
        sort, (Organization.name, Organization.id))
    return stmt.order_by(*order).options(selectinload(Organization.profile).selectinload(EnterpriseProfile.main_industry))


def enterprises_matching(q: str, limit: int = 6) -> list[Organization]:
    """A glimpse, beside a listing search, of enterprises the words also find (the directory lists them all).

    The first `limit` registered, shown by name: PostgreSQL reads the bigrams' postings in that order and stops
    after `limit` rows, where choosing the first by name sorts every match (도시락 on the bench: 0.1 vs 6 ms)."""
    stmt = public_enterprises().join(EnterpriseProfile, EnterpriseProfile.organization_id == Organization.id)
    stmt = search.matching(stmt, Organization.id, EnterpriseProfile.search_text, search.ENTERPRISE, q)
    return sorted(db.session.scalars(stmt.order_by(Organization.id).limit(limit)), key=lambda org: org.name)


def public_listings():
    # EXISTS rather than a join: with the listing as the only table, SQLite walks a listing index in display
    # order (a join lets it start from the enterprises and sort every row).
    return sa.select(Listing).where(Listing.status == "published",
                                    Listing.organization.has(Organization.status == "approved"))


def listings_query(*, q: str | None = None, industry: Industry | None = None, category: str | None = None,
                   organization_id: int | None = None, price_min: int | None = None, price_max: int | None = None,
                   sort: str = "relevance"):
    stmt = public_listings()
    if industry is not None:
        column = Listing.group_id if industry.parent_id else Listing.industry_id
        stmt = stmt.where(column == industry.id)
    if category in kinds.LISTING_CATEGORIES:
        stmt = stmt.where(Listing.category == category)
    if organization_id:
        stmt = stmt.where(Listing.organization_id == organization_id)
    if price_min is not None:
        stmt = stmt.where(Listing.unit_price_krw >= price_min)
    if price_max is not None:
        stmt = stmt.where(Listing.unit_price_krw <= price_max)
    stmt = search.matching(stmt, Listing.id, Listing.search_text, search.LISTING, q)
    order = {
        "price": (Listing.unit_price_krw.asc().nulls_last(), Listing.id),
        "newest": (Listing.created_at.desc(), Listing.id.desc()),
    }.get(sort, (Listing.updated_at.desc(), Listing.id.desc()))
    return stmt.order_by(*order).options(
        selectinload(Listing.organization), selectinload(Listing.industry), selectinload(Listing.images))


def listings_page(*, per_page: int, q: str | None = None, sort: str = "relevance", **filters):
    """A page of public listings with their capped count (`paginate_capped`), read the cheaper of two ways.

    A search is counted through the index of its bigrams, the rarest first. When it has more matches than the
    count's cap, the page walks the display order (recently updated first; an index per filter) testing each row,
    and stops when the page is full: at that density it reads a few hundred rows. With fewer matches, or another
    order, the matches found through the bigrams are sorted. Both return the same rows in the same order."""
    stmt = listings_query(sort=sort, **filters)
    exact = search.contains_words(Listing.search_text, q)
    if exact is None:
        return paginate_capped(stmt, per_page)
    search.serial_plans()
    driven = search.matching(stmt, Listing.id, Listing.search_text, search.LISTING, q,
                             grams=search.grams_by_rarity(search.LISTING, q))
    walk = stmt.where(exact) if sort == "relevance" else None
    return paginate_capped(driven, per_page, when_capped=walk)


def archived_listings(organization: Organization):
    return (sa.select(Listing).where(Listing.organization_id == organization.id, Listing.status == "archived")
            .order_by(Listing.updated_at.desc()).options(selectinload(Listing.images), selectinload(Listing.industry)))


def enterprise_catalog(organization: Organization, *, include_unpublished: bool = False):
    stmt = sa.select(Listing).where(Listing.organization_id == organization.id)
    stmt = stmt.where(Listing.status != "archived") if include_unpublished else stmt.where(
        Listing.status == "published")
    return stmt.order_by(Listing.position, Listing.id).options(selectinload(Listing.images),
                                                                selectinload(Listing.industry))


def statistics(day: date | None = None) -> dict:
    """The city's enterprises at a glance, aggregated in SQL.

    Kept for STATISTICS_CACHE_SECONDS (0: not kept) in the shared cache (`market.core.cache`): counting every
    listing of the city costs tens of milliseconds on each home and statistics page, while figures a minute old
    are as good to a visitor; every process and server then shows the same figures."""
    day = day or seoul_today()
    return remember(f"catalog.statistics:{day.isoformat()}", current_app.config["STATISTICS_CACHE_SECONDS"],
                    lambda: _statistics(day))


def _statistics(day: date) -> dict:
    approved = Organization.status == "approved"
    total = db.session.scalar(sa.select(sa.func.count()).select_from(public_enterprises().subquery()))
    by_kind = dict(db.session.execute(
        sa.select(Certification.kind, sa.func.count(sa.distinct(Certification.organization_id)))
        .join(Organization, Organization.id == Certification.organization_id)
        .where(approved, Certification.valid_on(day)).group_by(Certification.kind)).all())
    by_industry = db.session.execute(
        sa.select(Industry.code, Industry.name_ko, Industry.name_en, sa.func.count(EnterpriseProfile.organization_id))
        .join(EnterpriseProfile, EnterpriseProfile.main_industry_id == Industry.id)
        .join(Organization, Organization.id == EnterpriseProfile.organization_id)
        .where(approved).group_by(Industry.id).order_by(sa.func.count(EnterpriseProfile.organization_id).desc(),
                                                        Industry.position)).all()
    listings_by_category = dict(db.session.execute(
        sa.select(Listing.category, sa.func.count())  # not count(id): PostgreSQL can then read the index alone
        .join(Organization, Organization.id == Listing.organization_id)
        .where(Listing.status == "published", approved).group_by(Listing.category)).all())
    return {
        "enterprises": total,
        "by_kind": [(kind, by_kind.get(kind, 0)) for kind in kinds.CERTIFICATION_KINDS],
        "by_industry": [(BilingualName(code, name_ko, name_en), count)
                        for code, name_ko, name_en, count in by_industry],
        "listings": sum(listings_by_category.values()),
        "listings_by_category": listings_by_category,
    }


def highlights(listings: int = 8, enterprises: int = 6) -> dict:
    """What the home page shows of the catalog: the newest listings with pictures, enterprises, the totals."""
    newest = db.session.scalars(
        public_listings().where(Listing.images.any()).order_by(Listing.created_at.desc(), Listing.id.desc())
        .limit(listings).options(selectinload(Listing.organization), selectinload(Listing.industry),
                                 selectinload(Listing.images))).all()
    featured = db.session.scalars(
        public_enterprises().where(Organization.profile.has(EnterpriseProfile.description.is_not(None)))
        .order_by(sa.func.random()).limit(enterprises)
        .options(selectinload(Organization.profile).selectinload(EnterpriseProfile.main_industry))).all()
    return {"listings": newest, "enterprises": featured,
            "held": valid_kinds_by_enterprise([org.id for org in featured]), "stats": statistics()}
