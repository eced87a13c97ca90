"""The catalog blueprint and what its pages share: labels, the panels and figures other pages show, and what
the audit log says of the catalog's records."""
from __future__ import annotations

import sqlalchemy as sa
from flask import Blueprint, url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from market.accounts.models import Organization
from market.catalog import kinds, services
from market.catalog.models import Certification, Industry, Listing
from market.catalog.states import CERTIFICATION, LISTING
from market.core import audit
from market.core.permissions import require
from market.core.timeutil import seoul_today

bp = Blueprint("catalog", __name__)

# Histories and the audit log show the catalog's codes by their labels.
audit.label_values("certification", "kind", kinds.CERTIFICATION_KINDS)
audit.label_values("listing", "category", kinds.LISTING_CATEGORIES)
audit.label_values("organization", "incomplete", services.PROFILE_NEEDS)
audit.label_fields({"incomplete": _l("Approved without")})
# What the audit log says of the catalog's records, and where their pages are: a certification is judged on
# its enterprise's page, an item group under its industry.
audit.describe_subject(
    Certification, _l("Certification"), keys=(Certification.organization_id,), machine=CERTIFICATION,
    name=sa.select(Organization.name).where(Organization.id == Certification.organization_id).scalar_subquery(),
    url=lambda org_id: url_for("accounts.organization_detail", org_id=org_id, _anchor="enterprise-review"),
    actions=("certification.submit", "certification.update"))
audit.describe_subject(
    Industry, _l("Industry"), name=Industry.name_ko, keys=(sa.func.coalesce(Industry.parent_id, Industry.id),),
    url=lambda industry_id: url_for("catalog.admin_industries", _anchor=f"industry-{industry_id}"),
    actions=("industry.update", "industry.create"))
audit.describe_subject(Listing, _l("Listing"), name=Listing.title, machine=LISTING,
                       url=lambda listing_id: url_for("catalog.listing_detail", listing_id=listing_id))


@bp.app_context_processor
def catalog_labels() -> dict:
    """Labels of certification kinds and listing types, for any template."""
    return {"cert_kinds": kinds.CERTIFICATION_KINDS, "listing_categories": kinds.LISTING_CATEGORIES}


@bp.app_context_processor
def organization_panels() -> dict:
    """Panels the city's page of an organisation shows before its decision (accounts does not know the catalog)."""
    return {"organization_panels": ["catalog/admin/_enterprise_review.html"]}


@bp.app_template_global()
def enterprise_review(organization: Organization) -> dict:
    """What the city reads to judge an enterprise: its profile, certifications, listings and what is missing."""
    return {"profile": organization.profile, "certifications": organization.certifications,
            "listings": services.listing_counts(organization), "gaps": services.profile_gaps(organization),
            "states": CERTIFICATION.states, "designations": kinds.DESIGNATIONS, "today": seoul_today()}


@bp.app_template_global()
def catalog_highlights() -> dict:
    """For the home page (which belongs to no domain): featured listings and enterprises, the totals."""
    return services.highlights()


def _enterprise_user():
    """The enterprise of the logged-in enterprise person (403 for anyone else)."""
    require(current_user.is_enterprise_user)
    return current_user.organization
