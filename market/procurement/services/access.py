"""Who sees what: the requests and orders a person may list, scoped by the actor's organisation."""
from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from market.catalog.models import EnterpriseProfile, enterprise_industry
from market.extensions import db
from market.procurement.models import PurchaseOrder, PurchaseRequest, Quote, RequestRecipient


def requests_for(user):
    """The purchase requests a person may list: the agency's own, or those addressed to the enterprise."""
    stmt = sa.select(PurchaseRequest).options(selectinload(PurchaseRequest.agency))
    if user.is_city_admin:
        return stmt.where(PurchaseRequest.status != "draft")
    if user.is_agency_user:
        return stmt.where(PurchaseRequest.agency_id == user.organization_id)
    org_id = user.organization_id
    invited = sa.select(RequestRecipient.request_id).where(RequestRecipient.organization_id == org_id)
    my_industries = sa.union(
        sa.select(EnterpriseProfile.main_industry_id).where(EnterpriseProfile.organization_id == org_id),
        sa.select(enterprise_industry.c.industry_id).where(enterprise_industry.c.organization_id == org_id))
    answered = sa.select(Quote.request_id).where(Quote.organization_id == org_id)
    return stmt.where(PurchaseRequest.status != "draft", sa.or_(
        PurchaseRequest.id.in_(invited), PurchaseRequest.id.in_(answered),
        sa.and_(PurchaseRequest.audience == "industry", PurchaseRequest.industry_id.in_(my_industries))))


def orders_for(user):
    stmt = sa.select(PurchaseOrder).options(selectinload(PurchaseOrder.agency), selectinload(PurchaseOrder.enterprise))
    if user.is_city_admin:
        return stmt
    column = PurchaseOrder.agency_id if user.is_agency_user else PurchaseOrder.enterprise_id
    return stmt.where(column == user.organization_id)


def order_status_counts(user) -> dict[str, int]:
    scoped = orders_for(user).subquery()
    return dict(db.session.execute(sa.select(scoped.c.status, sa.func.count()).group_by(scoped.c.status)).all())
