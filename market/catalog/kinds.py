"""Kinds of certification and of listing, with their labels. Ratios and ceilings live in data, not here."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l

SOCIAL_ENTERPRISE = "social_enterprise"
PRELIMINARY = "preliminary_social_enterprise"
VILLAGE = "village_enterprise"
SELF_SUFFICIENCY = "self_sufficiency_enterprise"
COOPERATIVE = "cooperative"
SOCIAL_COOPERATIVE = "social_cooperative"
WOMEN_OWNED = "women_owned"
DISABLED_OWNED = "disabled_owned"
SEVERELY_DISABLED = "severely_disabled_facility"

CERTIFICATION_KINDS = {
    SOCIAL_ENTERPRISE: _l("Certified social enterprise"),
    PRELIMINARY: _l("Preliminary social enterprise"),
    VILLAGE: _l("Village enterprise"),
    SELF_SUFFICIENCY: _l("Self-sufficiency enterprise"),
    SOCIAL_COOPERATIVE: _l("Social cooperative"),
    COOPERATIVE: _l("Cooperative"),
    WOMEN_OWNED: _l("Women-owned enterprise"),
    DISABLED_OWNED: _l("Disability-owned enterprise"),
    SEVERELY_DISABLED: _l("Severely-disabled producer facility"),
}

# The kinds that make an enterprise part of the social economy (its "type" in the directory);
# the others are priority-purchase statuses a buyer also counts.
SOCIAL_ECONOMY_KINDS = (SOCIAL_ENTERPRISE, PRELIMINARY, VILLAGE, SELF_SUFFICIENCY, SOCIAL_COOPERATIVE, COOPERATIVE)
NEEDS_NUMBER = (SOCIAL_ENTERPRISE, PRELIMINARY, DISABLED_OWNED, WOMEN_OWNED, SEVERELY_DISABLED)
PRELIMINARY_YEARS = 3  # a preliminary designation lasts three years

DESIGNATIONS = {"ministry": _l("Ministry designation"), "local": _l("Local government designation")}

LISTING_CATEGORIES = {"goods": _l("Goods"), "services": _l("Services"), "works": _l("Works")}
UNITS = ("개", "식", "회", "㎡", "월", "건", "세트", "박스", "kg", "명", "시간", "일", "식수")
