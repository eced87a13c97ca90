"""The open-data API's rules: which query parameters are accepted, and the JSON shape of each public object.

Everything here reads through the catalog's public queries (`public_enterprises`, `directory_query`,
`listings_query`, `public_listings`), so what the API shows is exactly what anonymous visitors see on the
HTML pages — never a draft listing, a pending enterprise, a person's e-mail address or phone number.
Public purchasing is public too: attainment comes from the reports' own queries (so the API and the
dashboards agree to the won); each purchase order is published in OCDS by market.api.ocds.
A page of objects costs a fixed number of queries, whatever its size.
"""
from __future__ import annotations

import math
import re
from dataclasses import dataclass
from datetime import date, datetime

import sqlalchemy as sa
from flask import url_for
from sqlalchemy.orm import selectinload

from market.accounts.models import Organization
from market.catalog import kinds
from market.catalog import services as catalog
from market.catalog.areas import AREAS
from market.catalog.models import Certification, EnterpriseProfile, Industry, Listing
from market.core.pagination import MAX_PAGE
from market.core.params import MAX_ID
from market.core.timeutil import seoul_today
from market.extensions import db
from market.reports import queries as report_queries
from market.reports import services as reports

DEFAULT_PER_PAGE = 20
INDUSTRIES_PER_PAGE = 100  # the whole taxonomy fits on the first page
MAX_PER_PAGE = 100
MAX_QUERY_LENGTH = 100
MAX_PRICE_KRW = 10**15  # far above any price, far below the database's BIGINT
ENTERPRISE_SORTS = ("name", "newest")
LISTING_SORTS = {"updated": "relevance", "price": "price", "newest": "newest"}
REDACTED_EMAIL = "[e-mail removed]"
_EMAIL = re.compile(r"[^\s@<>()\[\],;:\"']+@[^\s@<>()\[\],;:\"']+")


class ApiError(Exception):
    """An error the API answers with JSON: a status, a machine-readable code and a message."""

    def __init__(self, status: int, code: str, message: str, parameter: str | None = None):
        super().__init__(message)
        self.status, self.code, self.message, self.parameter = status, code, message, parameter

    def to_json(self) -> dict:
        body = {"error": self.code, "message": self.message}
        if self.parameter:
            body["parameter"] = self.parameter
        return body


def bad_parameter(name: str, message: str) -> ApiError:
    return ApiError(400, "bad_parameter", message, name)


def not_found(what: str, object_id: int) -> ApiError:
    return ApiError(404, "not_found", f"There is no public {what} with id {object_id}.")


# --- query parameters ---

PAGINATION = ("page", "per_page")
YEARS = (2000, 2100)  # the range the reports accept for targets
ATTAINMENT_PARAMETERS = PAGINATION + ("year", "agency", "category")
RELEASE_PARAMETERS = PAGINATION + ("year",)
ENTERPRISE_PARAMETERS = PAGINATION + ("industry", "type", "area", "q", "sort")
LISTING_PARAMETERS = PAGINATION + ("q", "industry", "type", "enterprise", "price_min", "price_max", "sort")


def check_known(args, allowed) -> None:
    """Refuse parameters the endpoint does not know and parameters given twice: a typo must not silently
    widen the result."""
    for name in args:
        if name not in allowed:
            accepted = f"This endpoint accepts: {', '.join(allowed)}." if allowed else "This endpoint takes none."
            raise bad_parameter(name, f"Unknown parameter '{name}'. {accepted}")
        if len(args.getlist(name)) > 1:
            raise bad_parameter(name, f"The parameter '{name}' is given more than once.")


def _integer(args, name: str, *, minimum: int, maximum: int | None = None, default: int | None = None):
    raw = args.get(name)
    if raw is None or raw == "":
        return default
    if not re.fullmatch(r"[0-9]+", raw.strip()):
        raise bad_parameter(name, f"'{name}' must be a whole number, not '{raw[:40]}'.")
    value = int(raw.strip())
    if value < minimum or (maximum is not None and value > maximum):
        bounds = f"between {minimum} and {maximum}" if maximum is not None else f"at least {minimum}"
        raise bad_parameter(name, f"'{name}' must be {bounds}; {value} was given.")
    return value


def _choice(args, name: str, choices, default: str | None = None) -> str | None:
    value = args.get(name)
    if value is None or value == "":
        return default
    if value not in choices:
        raise bad_parameter(name, f"Unknown {name} '{value[:40]}'. Choose one of: {', '.join(choices)}.")
    return value


def _query_text(args) -> str | None:
    q = (args.get("q") or "").strip()
    if len(q) > MAX_QUERY_LENGTH:
        raise bad_parameter("q", f"'q' is at most {MAX_QUERY_LENGTH} characters long.")
    return q or None


def _industry(args) -> Industry | None:
    code = args.get("industry")
    if not code:
        return None
    industry = catalog.industry_by_code(code)
    if industry is None:
        raise bad_parameter("industry", f"Unknown industry code '{code[:40]}'. See /api/v1/industries.")
    return industry


@dataclass
class Pagination:
    page: int
    per_page: int


def pagination(args, default_per_page: int = DEFAULT_PER_PAGE) -> Pagination:
    return Pagination(page=_integer(args, "page", minimum=1, maximum=MAX_PAGE, default=1),
                      per_page=_integer(args, "per_page", minimum=1, maximum=MAX_PER_PAGE, default=default_per_page))


def _year(args) -> int:
    return _integer(args, "year", minimum=YEARS[0], maximum=YEARS[1], default=reports.current_year())


def _with_year(args, year: int) -> dict:
    # Links name the year even when it was left to default: a link must not change meaning on 1 January.
    return {**args.to_dict(), "year": str(year)}


def enterprise_filters(args) -> dict:
    check_known(args, ENTERPRISE_PARAMETERS)
    return {"industry": _industry(args), "kind": _choice(args, "type", list(kinds.CERTIFICATION_KINDS)),
            "area": _choice(args, "area", AREAS), "q": _query_text(args),
            "sort": _choice(args, "sort", ENTERPRISE_SORTS, "name")}


def listing_filters(args) -> dict:
    check_known(args, LISTING_PARAMETERS)
    price_min = _integer(args, "price_min", minimum=0, maximum=MAX_PRICE_KRW)
    price_max = _integer(args, "price_max", minimum=0, maximum=MAX_PRICE_KRW)
    if price_min is not None and price_max is not None and price_min > price_max:
        raise bad_parameter("price_max", "'price_max' must not be below 'price_min'.")
    return {"q": _query_text(args), "industry": _industry(args),
            "category": _choice(args, "type", list(kinds.LISTING_CATEGORIES)),
            "organization_id": _integer(args, "enterprise", minimum=1, maximum=MAX_ID),
            "price_min": price_min, "price_max": price_max,
            "sort": LISTING_SORTS[_choice(args, "sort", list(LISTING_SORTS), "updated")]}


# --- the envelope ---

def envelope(items: list, total: int, paging: Pagination, endpoint: str, args) -> dict:
    """The page of data, its position, and links to the neighbouring pages (the same filters kept)."""
    pages = math.ceil(total / paging.per_page) if total else 0

    def link(page: int | None):
        if page is None:
            return None
        params = {k: v for k, v in args.items() if k != "page"}
        return url_for(endpoint, **params, page=page, _external=True)

    return {
        "data": items,
        "page": paging.page,
        "per_page": paging.per_page,
        "total": total,
        "pages": pages,
        "links": {
            "self": link(paging.page),
            "first": link(1),
            "last": link(max(pages, 1)),
            "next": link(paging.page + 1 if paging.page < pages else None),
            "prev": link(min(paging.page - 1, max(pages, 1)) if paging.page > 1 else None),
        },
    }


def _page_of(stmt, paging: Pagination):
    page = db.paginate(stmt, page=paging.page, per_page=paging.per_page, error_out=False, max_per_page=MAX_PER_PAGE)
    return page.items, page.total or 0


# --- shapes ---

def _datetime(value: datetime | None) -> str | None:
    """Stored naive UTC -> ISO 8601 with its offset."""
    return value.replace(microsecond=0).isoformat() + "Z" if value else None


def _date(value: date | None) -> str | None:
    return value.isoformat() if value else None


def public_text(text: str | None) -> str | None:
    """Free text written by an enterprise, with anything shaped like an e-mail address taken out."""
    return _EMAIL.sub(REDACTED_EMAIL, text) if text else text


def industry_ref(industry: Industry | None) -> dict | None:
    if industry is None:
        return None
    return {"code": industry.code, "name_ko": industry.name_ko, "name_en": industry.name_en}


def industry_json(industry: Industry) -> dict:
    return {**industry_ref(industry), "groups": [industry_ref(group) for group in industry.children]}


def certification_json(certification: Certification, today: date) -> dict:
    return {"kind": certification.kind, "number": certification.number,
            "valid_from": _date(certification.valid_from), "valid_to": _date(certification.valid_to),
            "valid_today": certification.is_valid_on(today)}


def enterprise_json(organization: Organization, *, types: list[str], certifications: list[Certification],
                    listing_count: int, today: date) -> dict:
    profile: EnterpriseProfile | None = organization.profile
    industries = []
    if profile is not None:
        industries = ([profile.main_industry] if profile.main_industry else []) + [
            i for i in profile.secondary_industries if i is not profile.main_industry]
    return {
        "id": organization.id,
        "name": organization.name,
        "name_en": organization.name_en,
        "business_number": profile.business_number if profile else None,
        "area": profile.area if profile else None,
        "address": organization.address,
        "phone": organization.phone,  # the organisation's public number, never a person's
        "website": profile.website if profile else None,
        "description": public_text(profile.description) if profile else None,
        "founded_year": profile.founded_year if profile else None,
        "employees": profile.employees if profile else None,
        "vulnerable_share_percent": profile.vulnerable_share_percent if profile else None,
        "main_industry": industry_ref(profile.main_industry if profile else None),
        "industries": [industry_ref(i) for i in industries],
        "types": types,
        "certifications": [certification_json(c, today) for c in certifications],
        "listing_count": listing_count,
        "logo_url": (url_for("catalog.media", filename=profile.logo_filename, _external=True)
                     if profile and profile.logo_filename else None),
        "url": url_for("catalog.enterprise_detail", org_id=organization.id, _external=True),
        "listings_url": url_for("api.listings", enterprise=organization.id, _external=True),
        "updated_at": _datetime(profile.updated_at if profile else None),
    }


def listing_json(listing: Listing) -> dict:
    return {
        "id": listing.id,
        "title": listing.title,
        "description": public_text(listing.description) or "",
        "category": listing.category,
        "industry": industry_ref(listing.industry),
        "group": industry_ref(listing.group),
        "unit": listing.unit,
        "unit_price_krw": listing.unit_price_krw,
        "vat_included": listing.vat_included,
        "min_order": listing.min_order,
        "lead_time_days": listing.lead_time_days,
        "service_area": listing.service_area,
        "enterprise": {"id": listing.organization.id, "name": listing.organization.name,
                       "url": url_for("api.enterprise", org_id=listing.organization.id, _external=True)},
        "images": [{"url": url_for("catalog.media", filename=image.filename, _external=True),
                    "thumbnail_url": url_for("catalog.media", filename=image.thumb_filename, _external=True),
                    "width": image.width, "height": image.height} for image in listing.images],
        "url": url_for("catalog.listing_detail", listing_id=listing.id, _external=True),
        "created_at": _datetime(listing.created_at),
        "updated_at": _datetime(listing.updated_at),
    }


# --- per page, in a fixed number of queries ---

def _with_enterprise_details(stmt):
    return stmt.options(selectinload(Organization.profile).selectinload(EnterpriseProfile.main_industry),
                        selectinload(Organization.profile).selectinload(EnterpriseProfile.secondary_industries))


def verified_certifications_by_enterprise(organization_ids) -> dict[int, list[Certification]]:
    """The verified certifications of a page of enterprises, newest first (pending and rejected ones are the
    enterprise's business with the support center, not public)."""
    if not organization_ids:
        return {}
    found = db.session.scalars(
        sa.select(Certification)
        .where(Certification.organization_id.in_(list(organization_ids)), Certification.status == "verified")
        .order_by(Certification.valid_from.desc(), Certification.id.desc())).all()
    result: dict[int, list[Certification]] = {}
    for certification in found:
        result.setdefault(certification.organization_id, []).append(certification)
    return result


def listing_counts(organization_ids) -> dict[int, int]:
    """How many public listings each enterprise of a page has: one grouped query."""
    if not organization_ids:
        return {}
    published = catalog.public_listings().where(Listing.organization_id.in_(list(organization_ids))).subquery()
    return dict(db.session.execute(
        sa.select(published.c.organization_id, sa.func.count()).group_by(published.c.organization_id)).all())


def enterprises_json(organizations: list[Organization]) -> list[dict]:
    ids = [o.id for o in organizations]
    today = seoul_today()
    held = catalog.valid_kinds_by_enterprise(ids, today)
    certifications = verified_certifications_by_enterprise(ids)
    counts = listing_counts(ids)
    return [enterprise_json(o, types=held.get(o.id, []), certifications=certifications.get(o.id, []),
                            listing_count=counts.get(o.id, 0), today=today) for o in organizations]


# --- the endpoints' data ---

def industries_page(args) -> dict:
    check_known(args, PAGINATION)
    paging = pagination(args, INDUSTRIES_PER_PAGE)
    tree = catalog.industry_tree()
    start = (paging.page - 1) * paging.per_page
    items = [industry_json(i) for i in tree[start:start + paging.per_page]]
    return envelope(items, len(tree), paging, "api.industries", args)


def enterprises_page(args) -> dict:
    filters = enterprise_filters(args)
    paging = pagination(args)
    organizations, total = _page_of(_with_enterprise_details(catalog.directory_query(**filters)), paging)
    return envelope(enterprises_json(organizations), total, paging, "api.enterprises", args)


def enterprise_detail(org_id: int, args) -> dict:
    check_known(args, ())
    if org_id > MAX_ID:  # no such row; SQLite cannot even bind the number
        raise not_found("enterprise", org_id)
    organization = db.session.scalar(_with_enterprise_details(catalog.public_enterprises().where(
        Organization.id == org_id)))
    if organization is None:
        raise not_found("enterprise", org_id)
    return enterprises_json([organization])[0]


def _with_listing_details(stmt):
    return stmt.options(selectinload(Listing.group))


def listings_page(args) -> dict:
    filters = listing_filters(args)
    paging = pagination(args)
    listings, total = _page_of(_with_listing_details(catalog.listings_query(**filters)), paging)
    return envelope([listing_json(listing) for listing in listings], total, paging, "api.listings", args)


def listing_detail(listing_id: int, args) -> dict:
    check_known(args, ())
    if listing_id > MAX_ID:
        raise not_found("listing", listing_id)
    listing = db.session.scalar(_with_listing_details(catalog.listings_query().where(Listing.id == listing_id)))
    if listing is None:
        raise not_found("listing", listing_id)
    return listing_json(listing)


def statistics(args) -> dict:
    check_known(args, ())
    today = seoul_today()
    stats = catalog.statistics(today)
    return {
        "date": today.isoformat(),
        "enterprises": stats["enterprises"],
        "listings": stats["listings"],
        "by_type": [{"type": kind, "enterprises": count} for kind, count in stats["by_kind"]],
        "by_main_industry": [{"industry": industry_ref(industry), "enterprises": count}
                             for industry, count in stats["by_industry"]],
        "listings_by_category": {category: stats["listings_by_category"].get(category, 0)
                             for category in kinds.LISTING_CATEGORIES},
    }


# --- purchasing attainment ---

def attainment_json(row: reports.Attainment, year: int) -> dict:
    return {"year": year, "agency": {"id": row.agency.id, "name": row.agency.name}, "category": row.category,
            "target_krw": row.target_krw, "actual_krw": row.actual_krw, "percent": row.percent}


def attainment_page(args) -> dict:
    """Every approved agency's attainment in every category, as the reports count it (agencies by name,
    categories in the reports' order), in a fixed number of queries whatever the number of agencies."""
    check_known(args, ATTAINMENT_PARAMETERS)
    year = _year(args)
    agency_id = _integer(args, "agency", minimum=1, maximum=MAX_ID)
    category = _choice(args, "category", report_queries.CATEGORIES)
    paging = pagination(args)
    agencies = [a for a in reports.agencies() if agency_id in (None, a.id)]
    if agency_id is not None and not agencies:
        raise bad_parameter("agency", f"There is no public agency with id {agency_id}.")
    goals, done = reports.targets(year, agency_id), report_queries.actuals(year, agency_id)
    rows = [reports.Attainment(agency, wanted, goals.get((agency.id, wanted)), done.get((agency.id, wanted), 0))
            for agency in agencies for wanted in report_queries.CATEGORIES if category in (None, wanted)]
    start = (paging.page - 1) * paging.per_page
    items = [attainment_json(row, year) for row in rows[start:start + paging.per_page]]
    return envelope(items, len(rows), paging, "api.attainment", _with_year(args, year))
