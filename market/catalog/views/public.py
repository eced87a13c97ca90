"""The public pages: the directory, an enterprise's page, listings and their search, statistics, images."""
from __future__ import annotations

from flask import abort, current_app, render_template, request
from flask_login import current_user

from market.accounts.models import Organization
from market.catalog import forms, kinds, services
from market.catalog.areas import AREAS
from market.catalog.models import Listing
from market.catalog.permissions import can_view_enterprise, can_view_listing
from market.catalog.states import CERTIFICATION, LISTING
from market.catalog.views.common import bp
from market.core import storage
from market.core.images import is_stored_name
from market.core.images import key_of as image_key
from market.core.page_cache import public_page
from market.core.pagination import page_number, paginate_capped
from market.core.params import int_arg
from market.core.timeutil import seoul_today
from market.extensions import db


@bp.route("/enterprises")
@public_page
def directory():
    industry = services.industry_by_code(request.args.get("industry"))
    kind = request.args.get("type") if request.args.get("type") in kinds.CERTIFICATION_KINDS else None
    area = request.args.get("area") if request.args.get("area") in AREAS else None
    q = (request.args.get("q") or "").strip()[:100]
    sort = request.args.get("sort") if request.args.get("sort") in ("name", "newest") else "name"
    page = paginate_capped(services.directory_query(industry=industry, kind=kind, area=area, q=q, sort=sort),
                           per_page=current_app.config["PAGE_SIZE"])
    held = services.valid_kinds_by_enterprise([org.id for org in page.items])
    return render_template("catalog/directory.html", page=page, held=held, tree=services.industry_tree(),
                           industry=industry, kind=kind, area=area, q=q, sort=sort, areas=AREAS,
                           kinds=kinds.CERTIFICATION_KINDS)


@bp.route("/enterprises/<int:org_id>")
@public_page
def enterprise_detail(org_id: int):
    organization = db.get_or_404(Organization, org_id)
    if not can_view_enterprise(current_user, organization):
        abort(404)
    listings = db.session.scalars(services.enterprise_catalog(organization)).all()
    return render_template("catalog/enterprise.html", organization=organization, profile=organization.profile,
                           certifications=organization.certifications, listings=listings,
                           today=seoul_today(), cert_states=CERTIFICATION.states,
                           kinds=kinds.CERTIFICATION_KINDS)


@bp.route("/listings")
@public_page
def listings():
    industry = services.industry_by_code(request.args.get("industry"))
    category = request.args.get("category") if request.args.get("category") in kinds.LISTING_CATEGORIES else None
    q = (request.args.get("q") or "").strip()[:100]
    price_min = int_arg("price_min", 0, forms.MAX_PRICE_KRW)
    price_max = int_arg("price_max", 0, forms.MAX_PRICE_KRW)
    sort = request.args.get("sort") if request.args.get("sort") in ("relevance", "price", "newest") else "relevance"
    page = services.listings_page(per_page=current_app.config["PAGE_SIZE"], q=q, industry=industry,
                                  category=category, price_min=price_min, price_max=price_max, sort=sort)
    enterprises = None
    if q and page_number() == 1:
        enterprises = services.enterprises_matching(q)
    return render_template("catalog/listings.html", page=page, tree=services.industry_tree(), industry=industry,
                           category=category, q=q, price_min=price_min, price_max=price_max, sort=sort,
                           categories=kinds.LISTING_CATEGORIES, enterprises=enterprises, max_price=forms.MAX_PRICE_KRW)


@bp.route("/listings/<int:listing_id>")
@public_page
def listing_detail(listing_id: int):
    listing = db.get_or_404(Listing, listing_id)
    if not can_view_listing(current_user, listing):
        abort(404)
    public = listing.status == "published" and listing.organization.is_approved
    return render_template("catalog/listing.html", listing=listing, state=LISTING.state(listing.status),
                           categories=kinds.LISTING_CATEGORIES, public=public)


@bp.route("/statistics")
@public_page
def statistics():
    return render_template("catalog/statistics.html", stats=services.statistics(), kinds=kinds.CERTIFICATION_KINDS,
                           categories=kinds.LISTING_CATEGORIES)


@bp.route("/media/<filename>")
def media(filename: str):
    if not is_stored_name(filename):
        abort(404)
    response = storage.send(image_key(filename), mimetype="image/jpeg", max_age=7 * 24 * 3600)
    if response is None:
        abort(404)
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Content-Security-Policy"] = "default-src 'none'"
    return response
