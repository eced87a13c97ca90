"""Who is told about proposed targets: the support center when an agency proposes, the agency when decided."""
from __future__ import annotations

import sqlalchemy as sa
from flask_babel import gettext as _

from market.accounts.models import Organization, OrgKind
from market.core.notifications import tell
from market.extensions import db


def proposal_submitted(proposal) -> None:
    for city in db.session.scalars(sa.select(Organization).where(Organization.kind == OrgKind.CITY)):
        tell(city, lambda: _("%(agency)s proposed its purchasing targets for %(year)d.",
                             agency=proposal.agency.name, year=proposal.year),
             "reports.proposal", agency_id=proposal.agency_id, year=proposal.year)


def proposal_decided(proposal, actor, note) -> None:
    from market.reports.states import PROPOSAL

    tell(proposal.agency, lambda: _("Your purchasing targets for %(year)d: %(state)s.", year=proposal.year,
                                    state=PROPOSAL.state(proposal.status).label),
         "reports.proposal", note=note, agency_id=proposal.agency_id, year=proposal.year)
