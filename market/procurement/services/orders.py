"""Purchase orders: placed (an immutable snapshot of both parties) and moved through their table."""
from __future__ import annotations

from market.accounts.models import Organization
from market.catalog.services import valid_kinds_by_enterprise
from market.core import audit
from market.core.states import transition
from market.extensions import db
from market.procurement import notifications
from market.procurement.models import PurchaseOrder
from market.procurement.states import ORDER


def _parties(agency: Organization, enterprise: Organization) -> dict:
    profile = enterprise.profile
    return {
        "agency": {"id": agency.id, "name": agency.name, "address": agency.address, "phone": agency.phone},
        "enterprise": {"id": enterprise.id, "name": enterprise.name, "address": enterprise.address,
                       "phone": enterprise.phone,
                       "business_number": profile.business_number if profile else None,
                       "representative": profile.representative if profile else None,
                       "certifications": valid_kinds_by_enterprise([enterprise.id]).get(enterprise.id, [])},
    }


def place_order(actor, *, method: str, enterprise: Organization, category: str, title: str, lines, supply: int,
                vat: int, request=None, quote=None, delivery_place: str = "", delivery_date=None,
                ceiling: int | None = None) -> PurchaseOrder:
    order = PurchaseOrder(method=method, request=request, quote=quote, agency_id=actor.organization_id,
                          enterprise_id=enterprise.id, placed_by_id=actor.id, category=category, title=title[:120],
                          status="placed", supply_krw=supply, vat_krw=vat, total_krw=supply + vat,
                          ceiling_krw=ceiling, delivery_place=delivery_place, delivery_date=delivery_date,
                          parties=_parties(actor.organization, enterprise), lines=list(lines))
    db.session.add(order)
    db.session.flush()
    order.number = f"GS-{order.placed_at.year}-{order.id:06d}"
    audit.record(actor, "order.place", order, after={"number": order.number, "total_krw": order.total_krw,
                                                     "method": method})
    notifications.order_placed(order)
    return order


def move_order(actor, order: PurchaseOrder, action: str, note: str | None = None) -> None:
    transition(ORDER, order, action, actor, note)
