"""Who is told of an organisation's approval workflow: its people, by e-mail."""
from __future__ import annotations

from market.accounts.models import Organization
from market.accounts.states import ORGANIZATION
from market.core.mail import queue_mail
from market.core.notifications import people_to_tell


def organization_decided(organization: Organization, actor, note: str | None) -> None:
    for user in people_to_tell(organization):
        queue_mail(user.email, "accounts/organization_decision", user.locale or "ko", user=user,
                   organization=organization, state=ORGANIZATION.state(organization.status), note=note)


ORGANIZATION.on("approve", "reject", "suspend", "reinstate", notify=organization_decided)
