"""Attainment, aggregated in SQL. A purchase order counts at its contract date (Korea time) unless it was
cancelled or declined; it counts in a category when the enterprise held that certification, verified and
valid, on that date; in the social-economy total it counts once, whatever it holds."""
from __future__ import annotations

from datetime import date

import sqlalchemy as sa
from sqlalchemy.orm import aliased

from market.catalog.kinds import CERTIFICATION_KINDS, SOCIAL_ECONOMY_KINDS
from market.catalog.models import Certification
from market.extensions import db
from market.procurement.models import PurchaseOrder
from market.reports.models import SOCIAL_ECONOMY

NOT_COUNTED = ("cancelled", "declined")
CATEGORIES = (SOCIAL_ECONOMY, *CERTIFICATION_KINDS)


def _in_year(year: int):
    return sa.and_(PurchaseOrder.contract_date >= date(year, 1, 1), PurchaseOrder.contract_date <= date(year, 12, 31),
                   PurchaseOrder.status.not_in(NOT_COUNTED))


def _valid_on_contract_date(certification=Certification):
    """The certification was the order's enterprise's, verified and valid on the order's contract date."""
    return sa.and_(
        certification.organization_id == PurchaseOrder.enterprise_id, certification.status == "verified",
        certification.valid_from <= PurchaseOrder.contract_date,
        sa.or_(certification.valid_to.is_(None), certification.valid_to >= PurchaseOrder.contract_date))


def order_kinds(year: int):
    """(order_id, agency_id, total_krw, kind) for every counted order of the year and every kind its enterprise
    held that day, once: of two certifications of a kind valid that day, the first (lowest id) counts. An
    anti-join rather than a DISTINCT over the year's rows (on the bench: PostgreSQL 530 -> 220 ms, SQLite
    2.3 -> 1.5 s); the agency and the amount ride along so that summing needs no second pass over the orders."""
    earlier = aliased(Certification)
    held_earlier = sa.exists().where(_valid_on_contract_date(earlier), earlier.kind == Certification.kind,
                                     earlier.id < Certification.id)
    return (sa.select(PurchaseOrder.id.label("order_id"), PurchaseOrder.agency_id.label("agency_id"),
                      PurchaseOrder.total_krw.label("total_krw"), Certification.kind.label("kind"))
            .join(Certification, _valid_on_contract_date()).where(_in_year(year), ~held_earlier).subquery())


def _in_category(category: str):
    # EXISTS per order rather than IN over order_kinds: no DISTINCT (order, kind) of the whole year to build
    # (on the bench's 250,000 orders, 1 s -> 0.1 s on PostgreSQL, 1.5 s -> 0.8 s on SQLite).
    wanted = SOCIAL_ECONOMY_KINDS if category == SOCIAL_ECONOMY else (category,)
    return sa.exists().where(_valid_on_contract_date(), Certification.kind.in_(wanted))


def actuals(year: int, agency_id: int | None = None, category: str | None = None) -> dict[tuple[int, str], int]:
    """{(agency_id, category): won} for the year: each kind and the social-economy total, or only `category`'s
    (the city's table shows one: the other aggregate, the costlier half, is not computed)."""
    result = {}
    if category != SOCIAL_ECONOMY:
        kinds = order_kinds(year)
        scope = [kinds.c.agency_id == agency_id] if agency_id else []
        per_kind = db.session.execute(
            sa.select(kinds.c.agency_id, kinds.c.kind, sa.func.sum(kinds.c.total_krw))
            .where(*scope, *([kinds.c.kind == category] if category else []))
            .group_by(kinds.c.agency_id, kinds.c.kind)).all()
        result.update({(agency, kind): int(amount) for agency, kind, amount in per_kind})
    if category in (None, SOCIAL_ECONOMY):
        scope = [PurchaseOrder.agency_id == agency_id] if agency_id else []
        total = db.session.execute(
            sa.select(PurchaseOrder.agency_id, sa.func.sum(PurchaseOrder.total_krw))
            .where(_in_year(year), _in_category(SOCIAL_ECONOMY), *scope)
            .group_by(PurchaseOrder.agency_id)).all()
        result.update({(agency, SOCIAL_ECONOMY): int(amount) for agency, amount in total})
    return result


def platform_totals(year: int) -> dict[int, int]:
    """Everything each agency bought on the platform in the year (the denominator it can see here)."""
    return {agency: int(amount) for agency, amount in db.session.execute(
        sa.select(PurchaseOrder.agency_id, sa.func.sum(PurchaseOrder.total_krw)).where(_in_year(year))
        .group_by(PurchaseOrder.agency_id)).all()}


def monthly(year: int, category: str, agency_id: int | None = None) -> list[int]:
    """Won per month (January first) in the category, for one agency or the whole city."""
    month = sa.extract("month", PurchaseOrder.contract_date)
    stmt = (sa.select(month, sa.func.sum(PurchaseOrder.total_krw))
            .where(_in_year(year), _in_category(category)).group_by(month))
    if agency_id:
        stmt = stmt.where(PurchaseOrder.agency_id == agency_id)
    by_month = {int(m): int(amount) for m, amount in db.session.execute(stmt).all()}
    return [by_month.get(m, 0) for m in range(1, 13)]


def orders_behind(year: int, category: str, agency_id: int):
    """The orders behind a figure (drill-down)."""
    return (sa.select(PurchaseOrder).where(_in_year(year), _in_category(category),
                                           PurchaseOrder.agency_id == agency_id)
            .order_by(PurchaseOrder.contract_date, PurchaseOrder.id))
