"""Who is told about proposed targets (the support center when an agency proposes, the agency when decided) and
about the verification of off-platform purchases (the agency)."""
from __future__ import annotations

import sqlalchemy as sa
from flask_babel import gettext as _

from market.accounts.models import Organization, OrgKind
from market.core.notifications import tell
from market.extensions import db
from market.reports.models import OffPlatformPurchase
from market.reports.states import OFF_PLATFORM, PROPOSAL


def proposal_submitted(proposal) -> None:
    for city in db.session.scalars(sa.select(Organization).where(Organization.kind == OrgKind.CITY)):
        tell(city, lambda: _("%(agency)s proposed its purchasing targets for %(year)d.",
                             agency=proposal.agency.name, year=proposal.year),
             "reports.proposal", agency_id=proposal.agency_id, year=proposal.year)


def proposal_decided(proposal, actor, note) -> None:
    tell(proposal.agency, lambda: _("Your purchasing targets for %(year)d: %(state)s.", year=proposal.year,
                                    state=PROPOSAL.state(proposal.status).label),
         "reports.proposal", note=note, agency_id=proposal.agency_id, year=proposal.year)


def off_platform_decided(purchase: OffPlatformPurchase, actor, note: str | None) -> None:
    state = OFF_PLATFORM.state(purchase.status)
    tell(purchase.agency, lambda: _("Your off-platform purchase from %(enterprise)s (%(date)s) is now: %(state)s",
                                    enterprise=purchase.enterprise.name, date=purchase.contract_date.isoformat(),
                                    state=state.label),
         "reports.off_platform_list", note=note)


PROPOSAL.on("approve", "return", notify=proposal_decided)
OFF_PLATFORM.on("verify", "reject", notify=off_platform_decided)
