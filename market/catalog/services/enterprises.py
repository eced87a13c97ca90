"""Enterprise profiles: what an enterprise says of itself, and what it still lacks before approval."""
from __future__ import annotations

import sqlalchemy as sa
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from market.accounts.models import Organization
from market.accounts.services import APPROVAL_CHECKS
from market.catalog import kinds, search
from market.catalog.models import EnterpriseProfile, Industry, Listing
from market.catalog.permissions import can_edit_enterprise
from market.catalog.services.indexing import enterprise_search_text, reindex_listings
from market.core import audit
from market.core.errors import NotAllowed, ValidationFailed
from market.extensions import db


def valid_business_number(number: str) -> bool:
    """The Korean business registration number (사업자등록번호) checksum."""
    digits = [int(c) for c in number if c.isdigit()]
    if len(digits) != 10 or len(number.replace("-", "")) != 10:
        return False
    weights = (1, 3, 7, 1, 3, 7, 1, 3, 5)
    total = sum(d * w for d, w in zip(digits, weights)) + digits[8] * 5 // 10
    return (10 - total % 10) % 10 == digits[9]


def profile_for(organization: Organization) -> EnterpriseProfile:
    profile = organization.profile
    if profile is None:
        profile = EnterpriseProfile(organization=organization)
        db.session.add(profile)
    return profile


PROFILE_FIELDS = ("business_number", "representative", "area", "email", "website", "description",
                  "employees", "vulnerable_employees", "founded_year")


def update_enterprise(actor, organization: Organization, *, name: str, name_en: str | None, phone: str | None,
                      address: str | None, main_industry: Industry | None, secondary: list[Industry],
                      **fields) -> EnterpriseProfile:
    if not can_edit_enterprise(actor, organization):
        raise NotAllowed(_("You may not edit this enterprise."))
    profile = profile_for(organization)
    number = (fields.get("business_number") or "").replace("-", "").strip() or None
    if number:
        if not valid_business_number(number):
            raise ValidationFailed(_("This business registration number is not valid."))
        taken = db.session.scalar(sa.select(EnterpriseProfile.organization_id).where(
            EnterpriseProfile.business_number == number, EnterpriseProfile.organization_id != organization.id))
        if taken:
            raise ValidationFailed(_("This business registration number is already registered."))
    employees, vulnerable = fields.get("employees"), fields.get("vulnerable_employees")
    if employees is not None and vulnerable is not None and vulnerable > employees:
        raise ValidationFailed(_("Vulnerable-group employees cannot outnumber all employees."))
    before = {"name": organization.name, **{f: getattr(profile, f) for f in PROFILE_FIELDS}}
    organization.name = name.strip()
    organization.name_en = (name_en or "").strip() or None
    organization.phone = (phone or "").strip() or None
    organization.address = (address or "").strip() or None
    for field_name in PROFILE_FIELDS:
        value = number if field_name == "business_number" else fields.get(field_name)
        setattr(profile, field_name, value.strip() or None if isinstance(value, str) else value)
    profile.main_industry = main_industry
    profile.secondary_industries = [i for i in secondary if i is not main_industry]
    db.session.flush()
    reindex_enterprise(organization)
    audit.record(actor, "enterprise.update", organization, before=before,
                 after={"name": organization.name, **{f: getattr(profile, f) for f in PROFILE_FIELDS}})
    return profile


# What the city needs to judge an enterprise, and buyers to find it: missing, the city is warned before approving.
PROFILE_NEEDS = {
    "business_number": _l("Business registration number"),
    "representative": _l("Representative"),
    "main_industry": _l("Main industry"),
    "area": _l("Area"),
    "description": _l("Description"),
    "certification": _l("Social-economy certification"),
}

# A certification still counts as given while the city has not refused or revoked it.
_GIVEN = ("pending", "verified")


def profile_gaps(organization: Organization) -> dict:
    """What the enterprise has not given yet ({code: label}, in PROFILE_NEEDS' order); nothing for others."""
    if not organization.is_enterprise:
        return {}
    profile = organization.profile
    missing = {field for field in ("business_number", "representative", "area", "description")
               if not getattr(profile, field, None)}
    if profile is None or profile.main_industry_id is None:
        missing.add("main_industry")
    if not any(c.kind in kinds.SOCIAL_ECONOMY_KINDS and c.status in _GIVEN for c in organization.certifications):
        missing.add("certification")
    return {code: label for code, label in PROFILE_NEEDS.items() if code in missing}


APPROVAL_CHECKS.append(profile_gaps)


def listing_counts(organization: Organization) -> dict[str, int]:
    """The enterprise's listings by status, in one query."""
    return dict(db.session.execute(
        sa.select(Listing.status, sa.func.count()).where(Listing.organization_id == organization.id)
        .group_by(Listing.status)).all())


def reindex_enterprise(organization: Organization) -> None:
    """Refresh the search text of the enterprise and of its listings (they carry its name)."""
    profile = profile_for(organization)
    profile.search_text = enterprise_search_text(profile)
    db.session.flush()
    search.index_document(search.ENTERPRISE, organization.id, profile.search_text)
    reindex_listings(sa.select(Listing.id).where(Listing.organization_id == organization.id))
