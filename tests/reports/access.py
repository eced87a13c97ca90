"""Access rules of the reports: the city sees every agency; an agency sees only its own; only an agency's manager
(none in the world: its people are buyers) reports for it; an order's certificate is for the order's parties."""
from tests.access import Rule, city_only, everyone

AGENCY_X = everyone(403, anonymous=302, agency_x=200, city=200)
NOBODY_HERE = everyone(403, anonymous=302)  # the world's agency people are buyers, not managers


def _agency_x(w):
    return {"agency_id": w.agency_x.id}


def _proposal(w):
    from market.extensions import db
    from market.reports.models import TargetProposal

    proposal = TargetProposal(agency_id=w.agency_x.id, year=2026, status="proposed",
                              targets={"social_economy": {"basis": "amount", "amount_krw": 1_000_000}})
    db.session.add(proposal)
    db.session.commit()
    return {"proposal_id": proposal.id, "action": "approve"}


RULES = {
    ("reports.index", "GET"): Rule(everyone(403, anonymous=302, agency_x=302, agency_y=302, city=200)),
    ("reports.city_print", "GET"): Rule(city_only()),
    ("reports.agency", "GET"): Rule(AGENCY_X, args=_agency_x),
    ("reports.agency_print", "GET"): Rule(AGENCY_X, args=_agency_x),
    ("reports.orders", "GET"): Rule(AGENCY_X, args=_agency_x),
    ("reports.shortfall", "POST"): Rule(NOBODY_HERE, args=_agency_x),
    ("reports.totals", "GET"): Rule(city_only(), args=_agency_x),
    ("reports.totals", "POST"): Rule(city_only(302), args=_agency_x),
    ("reports.targets", "GET"): Rule(city_only(), args=_agency_x),
    ("reports.targets", "POST"): Rule(city_only(302), args=_agency_x),
    ("reports.proposal", "GET"): Rule(AGENCY_X, args=_agency_x),
    ("reports.proposal", "POST"): Rule(NOBODY_HERE, args=_agency_x),
    ("reports.decide_proposal", "POST"): Rule(city_only(302), args=_proposal),
    ("reports.certificate", "GET"): Rule(AGENCY_X, args=_agency_x),
    ("reports.order_certificate", "GET"): Rule(everyone(404, anonymous=302, agency_x=200, enterprise_a=200, city=200),
                                               args=lambda w: {"order_id": w.order_x.id}),
    ("reports.export", "GET"): Rule(city_only(), args=lambda w: {"fmt": "csv"}),
}
