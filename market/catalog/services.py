"""Business rules of the catalog. Services flush, never commit; views commit once."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa
from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import selectinload

from market.accounts.models import Organization, OrgKind
from market.accounts.services import APPROVAL_CHECKS, city_admins
from market.catalog import kinds, search
from market.catalog.models import (Certification, EnterpriseProfile, Industry, Listing, ListingImage,
                                   enterprise_industry)
from market.catalog.states import CERTIFICATION, LISTING
from market.catalog.taxonomy import INDUSTRIES
from market.core import audit
from market.core.cache import remember
from market.core.errors import NotAllowed, ValidationFailed
from market.core.mail import queue_mail, site_url_for
from market.core.names import BilingualName
from market.core.pagination import paginate_capped
from market.core.states import transition
from market.core.timeutil import seoul_today, utcnow
from market.extensions import db

MAX_IMAGES = 8


# --- industries ---


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
    if not actor.is_city_admin:
        raise NotAllowed(_("Only the support center edits industries."))
    before = {"name_ko": industry.name_ko, "name_en": industry.name_en}
    industry.name_ko, industry.name_en = name_ko.strip(), name_en.strip()
    audit.record(actor, "industry.update", industry, before=before,
                 after={"name_ko": industry.name_ko, "name_en": industry.name_en})
    if industry.name_ko != before["name_ko"]:
        _reindex_industry(industry)


def add_item_group(actor, parent: Industry, *, code: str, name_ko: str, name_en: str) -> Industry:
    if not actor.is_city_admin:
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


# --- enterprise profiles ---

def valid_business_number(number: str) -> bool:
    """The Korean business registration number (사업자등록번호) checksum."""
    digits = [int(c) for c in number if c.isdigit()]
    if len(digits) != 10 or len(number.replace("-", "")) != 10:
        return False
    weights = (1, 3, 7, 1, 3, 7, 1, 3, 5)
    total = sum(d * w for d, w in zip(digits, weights)) + digits[8] * 5 // 10
    return (10 - total % 10) % 10 == digits[9]


def can_edit_enterprise(user, organization: Organization) -> bool:
    if not (user and user.is_authenticated) or not organization.is_enterprise:
        return False
    return user.is_city_admin or user.organization_id == organization.id


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


def enterprise_search_text(profile: EnterpriseProfile) -> str:
    organization = profile.organization
    parts = [organization.name, organization.name_en, profile.area, profile.description]
    parts += [i.name_ko for i in ([profile.main_industry] if profile.main_industry else [])]
    parts += [i.name_ko for i in profile.secondary_industries]
    return search.document_text(parts)


def reindex_enterprise(organization: Organization) -> None:
    """Refresh the search text of the enterprise and of its listings (they carry its name)."""
    profile = profile_for(organization)
    profile.search_text = enterprise_search_text(profile)
    db.session.flush()
    search.index_document(search.ENTERPRISE, organization.id, profile.search_text)
    reindex_listings(sa.select(Listing.id).where(Listing.organization_id == organization.id))


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


def _reindex_industry(industry: Industry) -> None:
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


# --- certifications ---

def valid_kinds_by_enterprise(organization_ids, day: date | None = None) -> dict[int, list[str]]:
    """For a page of enterprises, the kinds each holds validly on `day`: one query, not one per row."""
    if not organization_ids:
        return {}
    day = day or seoul_today()
    rows = db.session.execute(
        sa.select(Certification.organization_id, Certification.kind)
        .where(Certification.organization_id.in_(list(organization_ids)), Certification.valid_on(day))
        .distinct()).all()
    order = list(kinds.CERTIFICATION_KINDS)
    result: dict[int, list[str]] = {}
    for org_id, kind in rows:
        result.setdefault(org_id, []).append(kind)
    for held in result.values():
        held.sort(key=order.index)
    return result


def submit_certification(actor, organization: Organization, *, kind: str, number: str | None,
                         designated_by: str | None, valid_from: date, valid_to: date | None) -> Certification:
    if not can_edit_enterprise(actor, organization):
        raise NotAllowed(_("You may not edit this enterprise."))
    certification = Certification(organization=organization, status="pending")
    _fill_certification(certification, kind, number, designated_by, valid_from, valid_to)
    db.session.add(certification)
    db.session.flush()
    audit.record(actor, "certification.submit", certification, after=_certification_facts(certification))
    for admin in city_admins():
        queue_mail(admin.email, "catalog/certification_to_verify", admin.locale or "ko",
                   certification=certification, organization=organization,
                   kind_label=kinds.CERTIFICATION_KINDS[kind],
                   url=site_url_for("catalog.admin_certifications"))
    return certification


def _fill_certification(certification, kind, number, designated_by, valid_from, valid_to) -> None:
    if kind not in kinds.CERTIFICATION_KINDS:
        raise ValidationFailed(_("Choose a kind of certification."))
    if kind in kinds.NEEDS_NUMBER and not (number or "").strip():
        raise ValidationFailed(_("This certification needs its number."))
    if kind == kinds.PRELIMINARY:
        if designated_by not in kinds.DESIGNATIONS:
            raise ValidationFailed(_("Say who designated the preliminary social enterprise."))
        if valid_to is None:
            valid_to = _years_later(valid_from, kinds.PRELIMINARY_YEARS)
    else:
        designated_by = None
    if valid_to is not None and valid_to < valid_from:
        raise ValidationFailed(_("The end of validity comes before its start."))
    certification.kind = kind
    certification.number = (number or "").strip() or None
    certification.designated_by = designated_by
    certification.valid_from, certification.valid_to = valid_from, valid_to


def _years_later(day: date, years: int) -> date:
    from datetime import timedelta

    try:
        return day.replace(year=day.year + years) - timedelta(days=1)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def _certification_facts(certification: Certification) -> dict:
    return {"kind": certification.kind, "number": certification.number,
            "valid_from": certification.valid_from.isoformat(),
            "valid_to": certification.valid_to.isoformat() if certification.valid_to else None,
            "status": certification.status}


def update_certification(actor, certification: Certification, **values) -> None:
    """An enterprise corrects a certification; a verified one goes back to the city for verification."""
    if not can_edit_enterprise(actor, certification.organization):
        raise NotAllowed(_("You may not edit this enterprise."))
    if certification.status == "revoked":
        raise ValidationFailed(_("A revoked certification cannot be changed; add a new one."))
    before = _certification_facts(certification)
    _fill_certification(certification, values["kind"], values.get("number"), values.get("designated_by"),
                        values["valid_from"], values.get("valid_to"))
    certification.status = "pending"
    certification.verified_at = certification.verified_by_id = None
    certification.reminded_60_at = certification.reminded_14_at = None
    audit.record(actor, "certification.update", certification, before=before,
                 after=_certification_facts(certification))


def decide_certification(actor, certification: Certification, action: str, note: str | None) -> None:
    transition(CERTIFICATION, certification, action, actor, note)
    certification.status_note = (note or "").strip() or None
    if certification.status == "verified":
        certification.verified_at, certification.verified_by_id = utcnow(), actor.id


def notify_certification_decision(certification: Certification, note: str | None) -> None:
    for user in certification.organization.users:
        if user.active and user.password_hash:
            queue_mail(user.email, "catalog/certification_decision", user.locale or "ko", user=user,
                       certification=certification, kind_label=kinds.CERTIFICATION_KINDS[certification.kind],
                       state=CERTIFICATION.state(certification.status), note=note)


REMINDER_DAYS = (60, 14)


def send_expiry_reminders(today: date | None = None) -> int:
    """E-mail each enterprise 60 and 14 days before a verified certification expires; once per threshold."""
    from datetime import timedelta

    today = today or seoul_today()
    sent = 0
    for days in REMINDER_DAYS:
        column = Certification.reminded_60_at if days == 60 else Certification.reminded_14_at
        due = db.session.scalars(
            sa.select(Certification)
            .where(Certification.status == "verified", Certification.valid_to.is_not(None),
                   Certification.valid_to >= today, Certification.valid_to <= today + timedelta(days=days),
                   column.is_(None))
            .options(selectinload(Certification.organization).selectinload(Organization.users))).all()
        for certification in due:
            for user in certification.organization.users:
                if user.active and user.password_hash:
                    queue_mail(user.email, "catalog/certification_expiry", user.locale or "ko", user=user,
                               certification=certification, kind_label=kinds.CERTIFICATION_KINDS[certification.kind],
                               days_left=(certification.valid_to - today).days)
                    sent += 1
            setattr(certification, "reminded_60_at" if days == 60 else "reminded_14_at", utcnow())
            if days == 60 and (certification.valid_to - today).days <= 14:
                certification.reminded_14_at = utcnow()  # one message when both thresholds are already passed
        db.session.flush()
    return sent


# --- listings ---

def can_edit_listing(user, listing: Listing) -> bool:
    return bool(user and user.is_authenticated and user.organization_id == listing.organization_id)


def listing_search_text(listing: Listing) -> str:
    return search.document_text([listing.title, listing.organization.name,
                                 listing.industry.name_ko if listing.industry else None,
                                 listing.group.name_ko if listing.group else None, listing.service_area])


def reindex_listing(listing: Listing) -> None:
    listing.search_text = listing_search_text(listing)
    db.session.flush()
    search.index_document(search.LISTING, listing.id, listing.search_text)


LISTING_FIELDS = ("title", "description", "category", "unit", "unit_price_krw", "vat_included", "min_order",
                  "lead_time_days", "service_area")


@dataclass
class ListingData:
    title: str
    description: str
    industry: Industry
    group: Industry | None
    category: str
    unit: str
    unit_price_krw: int | None
    vat_included: bool
    min_order: int
    lead_time_days: int | None
    service_area: str | None


def check_listing_data(data: ListingData) -> None:
    """What every saved listing satisfies, whichever form it came through (the import asks before saving)."""
    if data.industry is None or data.industry.parent_id is not None:
        raise ValidationFailed(_("Choose an industry."), field="industry")
    if data.group is not None and data.group.parent_id != data.industry.id:
        raise ValidationFailed(_("The item group does not belong to the chosen industry."), field="group")
    if data.category not in kinds.LISTING_CATEGORIES:
        raise ValidationFailed(_("Choose goods, services or works."), field="category")
    if data.unit_price_krw is not None and (not isinstance(data.unit_price_krw, int) or data.unit_price_krw < 0):
        raise ValidationFailed(_("The price is a whole number of won."), field="unit_price_krw")
    if data.min_order < 1:
        raise ValidationFailed(_("The minimum order is at least 1."), field="min_order")


def _apply_listing_data(listing: Listing, data: ListingData) -> None:
    check_listing_data(data)
    for name in LISTING_FIELDS:
        value = getattr(data, name)
        setattr(listing, name, value.strip() if isinstance(value, str) else value)
    listing.industry, listing.group = data.industry, data.group


def _listing_facts(listing: Listing) -> dict:
    return {"title": listing.title, "unit_price_krw": listing.unit_price_krw, "status": listing.status,
            "category": listing.category, "industry_id": listing.industry_id}


def listing_changes(listing: Listing, data: ListingData) -> dict[str, tuple]:
    """What saving `data` would change in `listing`, field by field as (before, after), industries by code.
    Text is compared as saved (stripped), and empty text equals none: the form stores one, older imports the other."""
    def saved(value):
        return (value.strip() or None) if isinstance(value, str) else value

    changes = {name: (saved(getattr(listing, name)), saved(getattr(data, name))) for name in LISTING_FIELDS
               if saved(getattr(listing, name)) != saved(getattr(data, name))}
    for name in ("industry", "group"):
        before, after = getattr(listing, name), getattr(data, name)
        if (before and before.id) != (after and after.id):
            changes[name] = (before and before.code, after and after.code)
    return changes


def own_listings(organization: Organization) -> dict[int, Listing]:
    """Every listing of the enterprise, archived ones too, by id. All of them rather than `id IN (…)`: ids typed
    in a file may be beyond the database's integers, and a catalog is a few hundred rows at most."""
    return {listing.id: listing for listing in db.session.scalars(
        sa.select(Listing).where(Listing.organization_id == organization.id))}


def next_position(organization_id: int) -> int:
    return (db.session.scalar(sa.select(sa.func.max(Listing.position))
                              .where(Listing.organization_id == organization_id)) or 0) + 1


def create_listing(actor, organization: Organization, data: ListingData) -> Listing:
    if not (actor.is_enterprise_user and actor.organization_id == organization.id):
        raise NotAllowed(_("Only the enterprise's people edit its catalog."))
    listing = Listing(organization=organization, status="draft", position=next_position(organization.id))
    _apply_listing_data(listing, data)
    db.session.add(listing)
    db.session.flush()
    reindex_listing(listing)
    audit.record(actor, "listing.create", listing, after=_listing_facts(listing))
    return listing


def update_listing(actor, listing: Listing, data: ListingData) -> None:
    if not can_edit_listing(actor, listing):
        raise NotAllowed(_("Only the enterprise's people edit its catalog."))
    before = _listing_facts(listing)
    _apply_listing_data(listing, data)
    reindex_listing(listing)
    audit.record(actor, "listing.update", listing, before=before, after=_listing_facts(listing))


def duplicate_listing(actor, listing: Listing) -> Listing:
    if not can_edit_listing(actor, listing):
        raise NotAllowed(_("Only the enterprise's people edit its catalog."))
    copy = Listing(organization_id=listing.organization_id, status="draft",
                   position=next_position(listing.organization_id),
                   industry_id=listing.industry_id, group_id=listing.group_id,
                   **{name: getattr(listing, name) for name in LISTING_FIELDS})
    copy.title = _("Copy of %(title)s", title=listing.title)[:120]
    db.session.add(copy)
    db.session.flush()
    reindex_listing(copy)
    audit.record(actor, "listing.duplicate", copy, after={"from": listing.id})
    return copy


def can_publish(organization: Organization, day: date | None = None) -> bool:
    """Only an approved enterprise holding a valid social-economy certification publishes."""
    if not organization.is_approved:
        return False
    held = valid_kinds_by_enterprise([organization.id], day).get(organization.id, [])
    return any(kind in kinds.SOCIAL_ECONOMY_KINDS for kind in held)


def change_listing_status(actor, listing: Listing, action: str) -> None:
    if action == "publish" and not can_publish(listing.organization):
        raise ValidationFailed(_("Listings are published once the support center has approved the enterprise "
                                 "and verified a valid social-economy certification."))
    transition(LISTING, listing, action, actor)


def move_listing(actor, listing: Listing, direction: str) -> None:
    """Swap the listing with its neighbour in the enterprise's catalog order."""
    if not can_edit_listing(actor, listing):
        raise NotAllowed(_("Only the enterprise's people edit its catalog."))
    order = Listing.position.desc() if direction == "up" else Listing.position.asc()
    compare = Listing.position < listing.position if direction == "up" else Listing.position > listing.position
    neighbour = db.session.scalar(
        sa.select(Listing).where(Listing.organization_id == listing.organization_id,
                                 Listing.status != "archived", compare).order_by(order).limit(1))
    if neighbour is not None:
        listing.position, neighbour.position = neighbour.position, listing.position


def add_listing_image(actor, listing: Listing, stream) -> ListingImage:
    from market.core.images import store_image

    if not can_edit_listing(actor, listing):
        raise NotAllowed(_("Only the enterprise's people edit its catalog."))
    if len(listing.images) >= MAX_IMAGES:
        raise ValidationFailed(_("A listing has at most %(max)d images.", max=MAX_IMAGES))
    stored = store_image(stream)
    image = ListingImage(listing=listing, filename=stored.filename, thumb_filename=stored.thumb_filename,
                         width=stored.width, height=stored.height, position=len(listing.images))
    db.session.add(image)
    db.session.flush()
    audit.record(actor, "listing.add_image", listing, after={"image": stored.filename})
    return image


def remove_listing_image(actor, image: ListingImage) -> None:
    from market.core.images import delete_image

    if not can_edit_listing(actor, image.listing):
        raise NotAllowed(_("Only the enterprise's people edit its catalog."))
    audit.record(actor, "listing.remove_image", image.listing, before={"image": image.filename})
    db.session.delete(image)
    db.session.flush()
    delete_image(image.filename, image.thumb_filename)


def set_logo(actor, organization: Organization, stream) -> None:
    from market.core.images import delete_image, store_image

    if not can_edit_enterprise(actor, organization):
        raise NotAllowed(_("You may not edit this enterprise."))
    profile = profile_for(organization)
    stored = store_image(stream)
    old = profile.logo_filename
    profile.logo_filename = stored.thumb_filename
    audit.record(actor, "enterprise.logo", organization, before={"logo": old}, after={"logo": stored.thumb_filename})
    delete_image(stored.filename)  # a logo is shown small: the thumbnail is enough
    if old:
        delete_image(old)


def certifications_query(status: str, organization_id: int | None = None):
    stmt = sa.select(Certification).where(Certification.status == status)
    if organization_id:
        stmt = stmt.where(Certification.organization_id == organization_id)
    return stmt.order_by(Certification.created_at, Certification.id).options(selectinload(Certification.organization))


# --- public queries ---

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
