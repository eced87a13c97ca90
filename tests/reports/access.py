"""Access rules of the reports: the city sees every agency; an agency sees only its own."""
from tests.access import Rule, city_only, everyone

AGENCY_X = everyone(403, anonymous=302, agency_x=200, city=200)

RULES = {
    ("reports.index", "GET"): Rule(everyone(403, anonymous=302, agency_x=302, agency_y=302, city=200)),
    ("reports.agency", "GET"): Rule(AGENCY_X, args=lambda w: {"agency_id": w.agency_x.id}),
    ("reports.orders", "GET"): Rule(AGENCY_X, args=lambda w: {"agency_id": w.agency_x.id}),
    ("reports.targets", "GET"): Rule(city_only(), args=lambda w: {"agency_id": w.agency_x.id}),
    ("reports.targets", "POST"): Rule(city_only(302), args=lambda w: {"agency_id": w.agency_x.id}),
    ("reports.export", "GET"): Rule(city_only(), args=lambda w: {"fmt": "csv"}),
}
