"""Direct orders (수의계약, 바로구매) within the single-quote private-contract ceiling, kept as dated data."""
from __future__ import annotations

from datetime import date

import sqlalchemy as sa
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from market.accounts.models import Organization
from market.catalog import kinds
from market.catalog.models import Listing
from market.catalog.services import valid_kinds_by_enterprise
from market.core.errors import NotAllowed, ValidationFailed
from market.core.money import split_vat_inclusive, vat_on
from market.core.timeutil import seoul_today
from market.extensions import db
from market.procurement.models import ContractCeiling, OrderLine, PurchaseOrder
from market.procurement.permissions import can_buy
from market.procurement.services.orders import place_order

CEILING_LABELS = {
    "general": _l("General single-quote private contract (20,000,000 won)"),
    "social_vulnerable": _l("Social-economy enterprise employing %(share)d%% or more vulnerable workers", share=30),
    "women_owned": _l("Women-owned enterprise"),
    "disabled_owned": _l("Disability-owned enterprise"),
}


def ceiling_for(enterprise: Organization, day: date | None = None) -> tuple[int, str]:
    """The highest single-quote ceiling this enterprise qualifies for on `day`, and its basis."""
    day = day or seoul_today()
    rows = db.session.execute(
        sa.select(ContractCeiling.basis, ContractCeiling.amount_krw)
        .where(ContractCeiling.effective_from <= day,
               sa.or_(ContractCeiling.effective_to.is_(None), ContractCeiling.effective_to >= day))).all()
    amounts = dict(rows)
    held = set(valid_kinds_by_enterprise([enterprise.id], day).get(enterprise.id, []))
    profile = enterprise.profile
    share = profile.vulnerable_share_percent if profile else None
    qualifies = {"general": True,
                 "social_vulnerable": bool(held & set(kinds.SOCIAL_ECONOMY_KINDS)) and (share or 0) >= 30,
                 "women_owned": kinds.WOMEN_OWNED in held,
                 "disabled_owned": kinds.DISABLED_OWNED in held}
    best = max(((amounts[basis], basis) for basis, ok in qualifies.items() if ok and basis in amounts),
               default=(0, "general"))
    return best


def direct_order_totals(cart: list[tuple[Listing, int]]) -> tuple[list[OrderLine], int, int]:
    lines, supply_total, vat_total = [], 0, 0
    for n, (listing, quantity) in enumerate(cart):
        amount = listing.unit_price_krw * quantity
        supply, vat = split_vat_inclusive(amount) if listing.vat_included else (amount, vat_on(amount))
        lines.append(OrderLine(position=n, listing_id=listing.id, description=listing.title[:200], unit=listing.unit,
                               quantity=quantity, unit_price_krw=listing.unit_price_krw, amount_krw=amount))
        supply_total += supply
        vat_total += vat
    return lines, supply_total, vat_total


class CeilingExceeded(ValidationFailed):
    def __init__(self, message: str, ceiling: int, supply: int):
        super().__init__(message)
        self.ceiling, self.supply = ceiling, supply


def place_direct_order(actor, enterprise: Organization, cart: list[tuple[Listing, int]], *,
                       delivery_place: str, delivery_date: date | None) -> PurchaseOrder:
    if not can_buy(actor):
        raise NotAllowed(_("Only public agencies place orders."))
    if not cart:
        raise ValidationFailed(_("Choose at least one listing and a quantity."))
    for listing, quantity in cart:
        if listing.organization_id != enterprise.id or listing.status != "published" or not enterprise.is_approved:
            raise ValidationFailed(_("A direct order is for published listings of one enterprise."))
        if listing.unit_price_krw is None:
            raise ValidationFailed(_("“%(title)s” has no price: ask for a quote instead.", title=listing.title))
        if quantity < max(listing.min_order, 1):
            raise ValidationFailed(_("“%(title)s” has a minimum order of %(n)d.", title=listing.title,
                                     n=listing.min_order))
    lines, supply, vat = direct_order_totals(cart)
    ceiling, basis = ceiling_for(enterprise)
    if supply > ceiling:
        # The ceilings apply to the estimated price, which excludes VAT.
        raise CeilingExceeded(_("This order's estimated price (%(supply)s won, excluding VAT) is above the "
                                "single-quote private-contract ceiling of %(ceiling)s won for this enterprise. "
                                "At least two quotes are needed: send a purchase request instead.",
                                supply=f"{supply:,}", ceiling=f"{ceiling:,}"), ceiling, supply)
    categories = {listing.category for listing, _q in cart}
    category = categories.pop() if len(categories) == 1 else "goods"
    title = cart[0][0].title if len(cart) == 1 else _("%(title)s and %(n)d more", title=cart[0][0].title,
                                                        n=len(cart) - 1)
    return place_order(actor, method="direct", enterprise=enterprise, category=category, title=title, lines=lines,
                       supply=supply, vat=vat, delivery_place=delivery_place, delivery_date=delivery_date,
                       ceiling=ceiling)


def seed_ceilings() -> int:
    """The ceilings in force since the 2024 amendment of the local-contract decree (data, not code)."""
    rows = [("general", 20_000_000), ("social_vulnerable", 50_000_000), ("women_owned", 50_000_000),
            ("disabled_owned", 50_000_000)]
    existing = set(db.session.scalars(sa.select(ContractCeiling.basis)))
    created = 0
    for basis, amount in rows:
        if basis not in existing:
            db.session.add(ContractCeiling(basis=basis, amount_krw=amount, effective_from=date(2024, 1, 1),
                                           legal_basis="지방자치단체를 당사자로 하는 계약에 관한 법률 시행령 제25조"))
            created += 1
    db.session.flush()
    return created
