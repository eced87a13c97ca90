"""Who may do what with organisations and their people: one named rule per action, used by the views, the
services, the approval workflow's table and the templates alike."""
from __future__ import annotations

from market.accounts.models import Organization, OrgKind, Role
from market.core.permissions import is_city_admin, signed_in


def can_review_organizations(user, organization: Organization | None = None) -> bool:
    """The support center approves, rejects, suspends and reinstates organisations and creates agencies."""
    return is_city_admin(user)


def can_manage_members(user, organization: Organization) -> bool:
    if not signed_in(user):
        return False
    if user.is_city_admin:
        return organization.kind != OrgKind.CITY or user.organization_id == organization.id
    return user.organization_id == organization.id and user.role == Role.MANAGER
