"""Who may do what in the catalog: one named rule per action, used by the views, the services, the state
tables (certification verification, listing publication) and the templates alike."""
from __future__ import annotations

from market.accounts.models import Organization
from market.catalog.models import Certification, Listing
from market.core.permissions import is_city_admin, signed_in


def _of_the_enterprise(user, organization_id: int) -> bool:
    return signed_in(user) and user.is_enterprise_user and user.organization_id == organization_id


def can_edit_taxonomy(user) -> bool:
    """The industries and their item groups are the support center's."""
    return is_city_admin(user)


def can_view_enterprise(user, organization: Organization) -> bool:
    """An approved enterprise's page is public; before approval only its own people and the city see it."""
    if not organization.is_enterprise:
        return False
    return organization.is_approved or (signed_in(user) and (
        user.organization_id == organization.id or user.is_city_admin))


def can_edit_enterprise(user, organization: Organization) -> bool:
    """The enterprise's own people, and the support center, keep its profile."""
    if not signed_in(user) or not organization.is_enterprise:
        return False
    return user.is_city_admin or user.organization_id == organization.id


def can_verify_certification(user, certification: Certification | None = None) -> bool:
    """The support center verifies, rejects and revokes certifications."""
    return is_city_admin(user)


def can_edit_certification(user, certification: Certification) -> bool:
    """The enterprise's own people correct a certification and submit it again (the city only decides)."""
    return _of_the_enterprise(user, certification.organization_id)


def can_add_listing(user, organization: Organization) -> bool:
    return _of_the_enterprise(user, organization.id)


def can_edit_listing(user, listing: Listing) -> bool:
    """The enterprise's own people edit, publish, unpublish, archive and restore its listings."""
    return _of_the_enterprise(user, listing.organization_id)


def can_view_listing(user, listing: Listing) -> bool:
    """A published listing of an approved enterprise is public; any other only for its enterprise and the city."""
    if listing.status == "published" and listing.organization.is_approved:
        return True
    return can_edit_listing(user, listing) or is_city_admin(user)
