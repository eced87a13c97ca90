"""Access rules of the catalog routes. Enterprise A owns `listing_a` (published); B owns `draft_b` (a draft)."""
from tests.access import Rule, city_only, enterprises_only, everyone

A_ONLY = everyone(404, anonymous=302, enterprise_a=200)
B_ONLY = everyone(404, anonymous=302, enterprise_b=200)


def _a_listing(w):
    return {"listing_id": w.listing_a.id}


def _b_listing(w):
    return {"listing_id": w.draft_b.id}


RULES = {
    ("catalog.directory", "GET"): Rule(everyone(200)),
    ("catalog.enterprise_detail", "GET"): Rule(everyone(200), args=lambda w: {"org_id": w.enterprise_a.id}),
    ("catalog.listings", "GET"): Rule(everyone(200)),
    ("catalog.listing_detail", "GET"): Rule(everyone(200), args=_a_listing),
    ("catalog.statistics", "GET"): Rule(everyone(200)),
    ("catalog.media", "GET"): Rule(everyone(404), args=lambda w: {"filename": "../config.py"}),
    ("catalog.edit_profile", "GET"): Rule(enterprises_only()),
    ("catalog.edit_profile", "POST"): Rule(enterprises_only(400)),
    ("catalog.upload_logo", "POST"): Rule(enterprises_only(302)),
    ("catalog.certifications", "GET"): Rule(enterprises_only()),
    ("catalog.certifications", "POST"): Rule(enterprises_only(400)),
    # Enterprise B's certification: only B corrects it; the city verifies through its own pages.
    ("catalog.edit_certification", "GET"): Rule(everyone(403, anonymous=302, enterprise_b=200),
                                                args=lambda w: {"cert_id": w.cert_b.id}),
    ("catalog.edit_certification", "POST"): Rule(everyone(403, anonymous=302, enterprise_b=400),
                                                 args=lambda w: {"cert_id": w.cert_b.id}),
    ("catalog.my_listings", "GET"): Rule(enterprises_only()),
    ("catalog.new_listing", "GET"): Rule(enterprises_only()),
    ("catalog.new_listing", "POST"): Rule(enterprises_only(400)),
    # Another enterprise's listing is answered with 404: its existence is not revealed.
    ("catalog.edit_listing", "GET"): Rule(B_ONLY, args=_b_listing),
    ("catalog.edit_listing", "POST"): Rule(everyone(404, anonymous=302, enterprise_b=400), args=_b_listing),
    ("catalog.listing_action", "POST"): Rule(everyone(404, anonymous=302, enterprise_a=302),
                                             args=lambda w: {"listing_id": w.listing_a.id, "action": "unpublish"}),
    ("catalog.duplicate_listing", "POST"): Rule(everyone(404, anonymous=302, enterprise_b=302), args=_b_listing),
    ("catalog.move_listing", "POST"): Rule(everyone(404, anonymous=302, enterprise_b=302),
                                           args=lambda w: {"listing_id": w.draft_b.id, "direction": "up"}),
    ("catalog.upload_image", "POST"): Rule(everyone(404, anonymous=302, enterprise_b=302), args=_b_listing),
    ("catalog.delete_image", "POST"): Rule(everyone(404, anonymous=302), args=lambda w: {"image_id": 999999}),
    ("catalog.import_listings", "GET"): Rule(enterprises_only()),
    ("catalog.import_listings", "POST"): Rule(enterprises_only(400)),
    ("catalog.confirm_import", "POST"): Rule(enterprises_only(302)),
    ("catalog.export_listings", "GET"): Rule(enterprises_only(), args=lambda w: {"fmt": "csv"}),
    ("catalog.admin_certifications", "GET"): Rule(city_only()),
    ("catalog.decide_certification", "POST"): Rule(city_only(302),
                                                   args=lambda w: {"cert_id": w.cert_b.id, "action": "reject"}),
    ("catalog.admin_industries", "GET"): Rule(city_only()),
    ("catalog.edit_industry", "POST"): Rule(city_only(302), args=lambda w: {"industry_id": w.listing_a.industry_id}),
    ("catalog.add_item_group", "POST"): Rule(city_only(302), args=lambda w: {"industry_id": w.listing_a.industry_id}),
}
