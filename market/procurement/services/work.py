"""What a person's organisation has to do next (the dashboards)."""
from __future__ import annotations

import sqlalchemy as sa

from market.core.notifications import notifications_for
from market.core.timeutil import utcnow
from market.extensions import db
from market.procurement.models import PurchaseOrder, PurchaseRequest, Quote
from market.procurement.services.access import order_status_counts, orders_for, requests_for

# The order states in which each side has the next move (for dashboards).
AGENCY_TURN = ("delivered", "invoiced", "disputed")
ENTERPRISE_TURN = ("placed", "confirmed", "inspected", "disputed")


def work_summary(user) -> dict:
    """What a person's organisation has to do next, in a few small queries."""
    counts = order_status_counts(user)
    turn = AGENCY_TURN if user.is_agency_user else ENTERPRISE_TURN
    to_act = db.session.scalars(orders_for(user).where(PurchaseOrder.status.in_(turn))
                                .order_by(PurchaseOrder.placed_at.desc()).limit(5)).all()
    requests = requests_for(user).where(PurchaseRequest.status == "open")
    if user.is_enterprise_user:
        answered = sa.select(Quote.request_id).where(Quote.organization_id == user.organization_id)
        requests = requests.where(PurchaseRequest.id.not_in(answered), PurchaseRequest.quote_deadline > utcnow())
    open_requests = db.session.scalars(requests.order_by(PurchaseRequest.quote_deadline).limit(5)).all()
    return {"counts": counts, "to_act": to_act, "requests": open_requests,
            "notifications": notifications_for(user, limit=5)}
