"""Access rules of the open-data API: the same public answer for every role. A draft listing is hidden from
everyone, its owner and the city included: the API shows only what is published."""
from tests.access import Rule, everyone

RULES = {
    ("api.industries", "GET"): Rule(everyone(200)),
    ("api.enterprises", "GET"): Rule(everyone(200)),
    ("api.enterprise", "GET"): Rule(everyone(200), args=lambda w: {"org_id": w.enterprise_a.id}),
    ("api.listings", "GET"): Rule(everyone(200)),
    ("api.listing", "GET"): Rule(everyone(404), args=lambda w: {"listing_id": w.draft_b.id}),
    ("api.stats", "GET"): Rule(everyone(200)),
    ("api.attainment", "GET"): Rule(everyone(200)),
    ("api.ocds_releases", "GET"): Rule(everyone(200)),
    ("api.openapi_document", "GET"): Rule(everyone(200)),
}
