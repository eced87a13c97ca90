"""An enterprise's listings: editing, publication, order, images and logo."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa
from flask_babel import gettext as _

from market.accounts.models import Organization
from market.catalog import kinds
from market.catalog.models import Industry, Listing, ListingImage
from market.catalog.permissions import can_add_listing, can_edit_enterprise, can_edit_listing
from market.catalog.services.certifications import valid_kinds_by_enterprise
from market.catalog.services.enterprises import profile_for
from market.catalog.services.indexing import reindex_listing
from market.catalog.states import LISTING
from market.core import audit
from market.core.errors import NotAllowed, ValidationFailed
from market.core.states import transition
from market.extensions import db

MAX_IMAGES = 8


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
    if not can_add_listing(actor, organization):
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
