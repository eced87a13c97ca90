"""Who may do what with purchasing targets, totals and off-platform purchases: one named rule per action, used
by the views, the services, the state tables (proposals, off-platform verification) and the templates alike."""
from __future__ import annotations

from market.accounts.models import Organization
from market.core.permissions import is_city_admin, signed_in
from market.reports.models import OffPlatformPurchase, TargetProposal

# An agency changes or deletes its own record only while the support center has not verified it.
EDITABLE = ("recorded", "rejected")


def can_view_agency(user, agency: Organization) -> bool:
    return signed_in(user) and (user.is_city_admin or user.organization_id == agency.id)


def can_report_for(user, agency: Organization) -> bool:
    """The agency's manager answers for its figures (totals, proposed targets, shortfall reasons)."""
    return signed_in(user) and user.is_manager and user.organization_id == agency.id


def can_enter_totals(user, agency: Organization) -> bool:
    return is_city_admin(user) or can_report_for(user, agency)


def can_set_targets(user) -> bool:
    return is_city_admin(user)


def can_decide_proposal(user, proposal: TargetProposal | None = None) -> bool:
    """The support center approves an agency's proposed targets or returns them."""
    return is_city_admin(user)


def can_set_counting_point(user) -> bool:
    return is_city_admin(user)


def can_record_off_platform(user) -> bool:
    return signed_in(user) and user.is_agency_user


def is_recording_agency(user, purchase: OffPlatformPurchase) -> bool:
    """A person of the agency that recorded the purchase (it corrects a rejected one and sends it again)."""
    return can_record_off_platform(user) and user.organization_id == purchase.agency_id


def can_view_off_platform(user, purchase: OffPlatformPurchase) -> bool:
    """The agency that recorded it and the support center; nobody else learns it exists."""
    return is_city_admin(user) or is_recording_agency(user, purchase)


def can_change_off_platform(user, purchase: OffPlatformPurchase) -> bool:
    return is_recording_agency(user, purchase) and purchase.status in EDITABLE


def can_verify_off_platform(user, purchase: OffPlatformPurchase | None = None) -> bool:
    return is_city_admin(user)
