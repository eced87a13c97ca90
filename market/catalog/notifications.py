"""Who is told of a certification's verification: the enterprise's people, by e-mail."""
from __future__ import annotations

from market.catalog import kinds
from market.catalog.models import Certification
from market.catalog.states import CERTIFICATION
from market.core.mail import queue_mail
from market.core.notifications import people_to_tell


def certification_decided(certification: Certification, actor, note: str | None) -> None:
    for user in people_to_tell(certification.organization):
        queue_mail(user.email, "catalog/certification_decision", user.locale or "ko", user=user,
                   certification=certification, kind_label=kinds.CERTIFICATION_KINDS[certification.kind],
                   state=CERTIFICATION.state(certification.status), note=note)


CERTIFICATION.on("verify", "reject", "revoke", notify=certification_decided)
