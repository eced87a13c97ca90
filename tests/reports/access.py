"""Access rules of the reports: the city sees every agency; an agency sees only its own, and only its own
off-platform purchases (another agency and the enterprises never learn they exist); only an agency's manager
(none in the world: its people are buyers) reports for it; an order's certificate is for the order's parties."""
from market.extensions import db
from tests import factories
from tests.access import Rule, agencies_only, city_only, everyone

AGENCY_X = everyone(403, anonymous=302, agency_x=200, city=200)
NOBODY_HERE = everyone(403, anonymous=302)  # the world's agency people are buyers, not managers
# An off-platform purchase of agency X: X and the city see it; to everybody else it does not exist.
X_AND_CITY = everyone(404, anonymous=302, agency_x=200, city=200)


def _agency_x(w):
    return {"agency_id": w.agency_x.id}


def _proposal(w):
    from market.reports.models import TargetProposal

    proposal = TargetProposal(agency_id=w.agency_x.id, year=2026, status="proposed",
                              targets={"social_economy": {"basis": "amount", "amount_krw": 1_000_000}})
    db.session.add(proposal)
    db.session.commit()
    return {"proposal_id": proposal.id, "action": "approve"}


def _purchase_of_x(world) -> dict:
    if not hasattr(world, "purchase_x"):
        world.purchase_x = factories.off_platform_purchase(world.agency_x, world.enterprise_a, world.users.agency_x)
        db.session.commit()
    return {"purchase_id": world.purchase_x.id}


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
    ("reports.purchases", "GET"): Rule(city_only()),
    ("reports.agency_submission", "GET"): Rule(AGENCY_X, args=_agency_x),
    ("reports.city_submission", "GET"): Rule(city_only(), args=lambda w: {"fmt": "xlsx"}),
    ("reports.export", "GET"): Rule(city_only(), args=lambda w: {"fmt": "csv"}),
    ("reports.counting", "GET"): Rule(city_only()),
    ("reports.counting", "POST"): Rule(city_only(400)),
    ("reports.off_platform_list", "GET"): Rule(agencies_only()),
    ("reports.off_platform_new", "GET"): Rule(agencies_only()),
    ("reports.off_platform_new", "POST"): Rule(agencies_only(400)),
    ("reports.off_platform_edit", "GET"): Rule(dict(X_AND_CITY, city=403), args=_purchase_of_x),
    ("reports.off_platform_edit", "POST"): Rule(dict(X_AND_CITY, agency_x=400, city=403), args=_purchase_of_x),
    ("reports.off_platform_delete", "POST"): Rule(dict(X_AND_CITY, agency_x=302, city=403), args=_purchase_of_x),
    ("reports.off_platform_evidence", "GET"): Rule(X_AND_CITY, args=_purchase_of_x),
    ("reports.off_platform_review", "GET"): Rule(city_only()),
    ("reports.off_platform_decide", "POST"): Rule(city_only(302),
                                                   args=lambda w: {**_purchase_of_x(w), "action": "verify"}),
}
