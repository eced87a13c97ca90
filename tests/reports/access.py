"""Access rules of the reports: the city sees every agency; an agency sees only its own, and only its own
off-platform purchases (another agency and the enterprises never learn they exist)."""
from market.extensions import db
from tests import factories
from tests.access import Rule, agencies_only, city_only, everyone

AGENCY_X = everyone(403, anonymous=302, agency_x=200, city=200)
# An off-platform purchase of agency X: X and the city see it; to everybody else it does not exist.
X_AND_CITY = everyone(404, anonymous=302, agency_x=200, city=200)


def _purchase_of_x(world) -> dict:
    if not hasattr(world, "purchase_x"):
        world.purchase_x = factories.off_platform_purchase(world.agency_x, world.enterprise_a, world.users.agency_x)
        db.session.commit()
    return {"purchase_id": world.purchase_x.id}


RULES = {
    ("reports.index", "GET"): Rule(everyone(403, anonymous=302, agency_x=302, agency_y=302, city=200)),
    ("reports.agency", "GET"): Rule(AGENCY_X, args=lambda w: {"agency_id": w.agency_x.id}),
    ("reports.orders", "GET"): Rule(AGENCY_X, args=lambda w: {"agency_id": w.agency_x.id}),
    ("reports.purchases", "GET"): Rule(city_only()),
    ("reports.targets", "GET"): Rule(city_only(), args=lambda w: {"agency_id": w.agency_x.id}),
    ("reports.targets", "POST"): Rule(city_only(302), args=lambda w: {"agency_id": w.agency_x.id}),
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
