"""Performance, aggregated in SQL over one base: every counted purchase, from the platform or recorded off it.

A platform order counts unless cancelled or declined, for its total less what was refunded of its payment,
on its contract date, or, when the support center counts at payment, on the day it was paid (unpaid orders
then wait). A purchase made off the platform counts once the support center verified it, on its contract
date. Either counts in a category when the enterprise held that certification, verified and valid, on the
contract date, whatever the counting point; in the social-economy total it counts once, whatever it holds.
Dashboards, drill-downs and exports all read `counted()`, so they agree to the won.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa
from sqlalchemy.orm import aliased

from market.accounts.models import Organization, OrgKind
from market.catalog.kinds import CERTIFICATION_KINDS, SOCIAL_ECONOMY_KINDS
from market.catalog.models import Certification, EnterpriseProfile, Industry, Listing, enterprise_industry
from market.extensions import db
from market.payments.models import Payment
from market.procurement.models import PurchaseOrder
from market.reports.counting import counting_point
from market.reports.models import CHANNELS, CONTRACT, PLATFORM, SOCIAL_ECONOMY, OffPlatformPurchase

NOT_COUNTED = ("cancelled", "declined")
CATEGORIES = (SOCIAL_ECONOMY, *CERTIFICATION_KINDS)
ORDER, OFF_PLATFORM = "order", "off_platform"


def counted(year: int, agency_id: int | None = None):
    """One row per purchase counted in the year: source ('order' | 'off_platform'), ref_id, agency_id,
    enterprise_id, contract_date, count_date, amount_krw (net), purchase_category, channel, number, title."""
    start, end = date(year, 1, 1), date(year, 12, 31)
    at_contract = counting_point() == CONTRACT
    # Only succeeded payments, of which the database allows one per order: the join never multiplies orders.
    paid = sa.and_(Payment.order_id == PurchaseOrder.id, Payment.status == "succeeded")
    net = PurchaseOrder.total_krw - sa.func.coalesce(Payment.refunded_krw, 0)
    count_date = PurchaseOrder.contract_date if at_contract else Payment.paid_on
    orders = (sa.select(sa.literal(ORDER, sa.String).label("source"), PurchaseOrder.id.label("ref_id"),
                        PurchaseOrder.agency_id, PurchaseOrder.enterprise_id, PurchaseOrder.contract_date,
                        count_date.label("count_date"), net.label("amount_krw"),
                        PurchaseOrder.category.label("purchase_category"),
                        sa.literal(PLATFORM, sa.String).label("channel"), PurchaseOrder.number,
                        PurchaseOrder.title)
              .select_from(PurchaseOrder).join(Payment, paid, isouter=at_contract)
              .where(PurchaseOrder.status.not_in(NOT_COUNTED), count_date.between(start, end), net > 0))
    outside = (sa.select(sa.literal(OFF_PLATFORM, sa.String), OffPlatformPurchase.id, OffPlatformPurchase.agency_id,
                         OffPlatformPurchase.enterprise_id, OffPlatformPurchase.contract_date,
                         OffPlatformPurchase.contract_date, OffPlatformPurchase.amount_krw,
                         OffPlatformPurchase.category, OffPlatformPurchase.channel, sa.null(),
                         OffPlatformPurchase.description)
               .where(OffPlatformPurchase.status == "verified",
                      OffPlatformPurchase.contract_date.between(start, end)))
    if agency_id:
        orders = orders.where(PurchaseOrder.agency_id == agency_id)
        outside = outside.where(OffPlatformPurchase.agency_id == agency_id)
    return sa.union_all(orders, outside).subquery("counted")


def _held_that_day(base, kinds, certification=Certification):
    return sa.and_(certification.organization_id == base.c.enterprise_id, certification.kind.in_(kinds),
                   certification.valid_on(base.c.contract_date))


def in_category(base, category: str):
    """The base's rows that count in the category: the enterprise held one of its kinds on the contract date."""
    kinds = SOCIAL_ECONOMY_KINDS if category == SOCIAL_ECONOMY else (category,)
    return sa.exists().where(_held_that_day(base, kinds))


def _per_kind(base, kinds=tuple(CERTIFICATION_KINDS)):
    """(row, kind) once for every kind its enterprise held that day: of two certifications of a kind valid that
    day, the first (lowest id) counts. An anti-join rather than a DISTINCT over the year's rows (on the bench's
    million order lines: PostgreSQL 530 -> 220 ms, SQLite 2.3 -> 1.5 s)."""
    earlier = aliased(Certification)
    held_earlier = sa.exists().where(_held_that_day(base, kinds, earlier), earlier.kind == Certification.kind,
                                     earlier.id < Certification.id)
    return (sa.select(base.c.source, base.c.ref_id, base.c.agency_id, base.c.amount_krw, Certification.kind)
            .join(Certification, _held_that_day(base, kinds)).where(~held_earlier).subquery())


def actuals(year: int, agency_id: int | None = None, category: str | None = None) -> dict[tuple[int, str], int]:
    """{(agency_id, category): won} for the year: each kind and the social-economy total, or only `category`'s
    (the city's table shows one: the other aggregate, the costlier half, is not computed)."""
    base = counted(year, agency_id)
    result = {}
    if category != SOCIAL_ECONOMY:
        held = _per_kind(base, (category,) if category else tuple(CERTIFICATION_KINDS))
        result.update({(agency, kind): int(amount) for agency, kind, amount in db.session.execute(
            sa.select(held.c.agency_id, held.c.kind, sa.func.sum(held.c.amount_krw))
            .group_by(held.c.agency_id, held.c.kind)).all()})
    if category in (None, SOCIAL_ECONOMY):
        result.update({(agency, SOCIAL_ECONOMY): int(amount) for agency, amount in db.session.execute(
            sa.select(base.c.agency_id, sa.func.sum(base.c.amount_krw))
            .where(in_category(base, SOCIAL_ECONOMY)).group_by(base.c.agency_id)).all()})
    return result


def by_kind(year: int) -> dict[str, int]:
    """The city's counted purchases per enterprise type (certification kind), and the social-economy total."""
    base = counted(year)
    held = _per_kind(base)
    result = {kind: int(amount) for kind, amount in db.session.execute(
        sa.select(held.c.kind, sa.func.sum(held.c.amount_krw)).group_by(held.c.kind)).all()}
    result[SOCIAL_ECONOMY] = int(db.session.scalar(
        sa.select(sa.func.coalesce(sa.func.sum(base.c.amount_krw), 0)).where(in_category(base, SOCIAL_ECONOMY))))
    return result


def platform_totals(year: int) -> dict[int, int]:
    """Everything each agency bought on the platform in the year, net of refunds (the denominator it sees here)."""
    base = counted(year)
    return {agency: int(amount) for agency, amount in db.session.execute(
        sa.select(base.c.agency_id, sa.func.sum(base.c.amount_krw)).where(base.c.channel == PLATFORM)
        .group_by(base.c.agency_id)).all()}


def by_channel(year: int, category: str, agency_id: int | None = None) -> dict[tuple[int, str], int]:
    """{(agency_id, channel): won} in the category: the platform, own contracts, PPS, other platforms."""
    base = counted(year, agency_id)
    return {(agency, channel): int(amount) for agency, channel, amount in db.session.execute(
        sa.select(base.c.agency_id, base.c.channel, sa.func.sum(base.c.amount_krw))
        .where(in_category(base, category)).group_by(base.c.agency_id, base.c.channel)).all()}


def channel_totals(figures: dict[tuple[int, str], int]) -> dict[str, int]:
    """`by_channel` figures summed over agencies, every channel present (zero when nothing was bought)."""
    return {channel: sum(won for (_agency, c), won in figures.items() if c == channel) for channel in CHANNELS}


@dataclass
class Figures:
    """One category's counted purchases of a year, by agency, channel and month: one aggregate in SQL that a
    dashboard reads three ways (its table, its channels, its monthly curve) instead of three passes over the
    year (on the bench's million order lines, each pass costs a second on SQLite)."""

    category: str
    cells: dict[tuple[int, str, int], int]  # (agency_id, channel, month) -> won

    def actuals(self) -> dict[tuple[int, str], int]:
        """As `actuals(year, category=...)` gives them: {(agency_id, category): won}."""
        found: dict[tuple[int, str], int] = {}
        for (agency, _channel, _month), won in self.cells.items():
            found[(agency, self.category)] = found.get((agency, self.category), 0) + won
        return found

    def by_channel(self) -> dict[tuple[int, str], int]:
        found: dict[tuple[int, str], int] = {}
        for (agency, channel, _month), won in self.cells.items():
            found[(agency, channel)] = found.get((agency, channel), 0) + won
        return found

    def monthly(self) -> list[int]:
        months = [0] * 12
        for (_agency, _channel, month), won in self.cells.items():
            months[month - 1] += won
        return months


def figures(year: int, category: str, agency_id: int | None = None) -> Figures:
    base = counted(year, agency_id)
    month = _month(base)
    return Figures(category, {(agency, channel, int(m)): int(won) for agency, channel, m, won in db.session.execute(
        sa.select(base.c.agency_id, base.c.channel, month, sa.func.sum(base.c.amount_krw))
        .where(in_category(base, category)).group_by(base.c.agency_id, base.c.channel, month)).all()})


def _month(base):
    return sa.cast(sa.extract("month", base.c.count_date), sa.Integer)


def monthly(year: int, category: str, agency_id: int | None = None) -> list[int]:
    """Won per month of the count date (January first) in the category, for one agency or the whole city."""
    base = counted(year, agency_id)
    month = _month(base)
    by_month = {int(m): int(amount) for m, amount in db.session.execute(
        sa.select(month, sa.func.sum(base.c.amount_krw)).where(in_category(base, category)).group_by(month)).all()}
    return [by_month.get(m, 0) for m in range(1, 13)]


def quarterly(monthly_figures: list[int]) -> list[int]:
    return [sum(monthly_figures[q * 3:q * 3 + 3]) for q in range(4)]


def by_industry(year: int, category: str):
    """(industry_id, code, name_ko, name_en, won, purchases) per main industry of the enterprises, largest first;
    enterprises without a main industry come last with a NULL industry."""
    base = counted(year)
    won = sa.func.sum(base.c.amount_krw)
    return db.session.execute(
        sa.select(Industry.id, Industry.code, Industry.name_ko, Industry.name_en, won, sa.func.count())
        .select_from(base)
        .join(EnterpriseProfile, EnterpriseProfile.organization_id == base.c.enterprise_id, isouter=True)
        .join(Industry, Industry.id == EnterpriseProfile.main_industry_id, isouter=True)
        .where(in_category(base, category))
        .group_by(Industry.id, Industry.code, Industry.name_ko, Industry.name_en)
        .order_by(Industry.id.is_(None), won.desc(), Industry.name_ko)).all()


def by_enterprise(year: int, category: str):
    """(enterprise_id, name, won, purchases) per enterprise, largest first: a statement, for pagination."""
    base = counted(year)
    won = sa.func.sum(base.c.amount_krw)
    return (sa.select(base.c.enterprise_id, Organization.name, won.label("won"), sa.func.count().label("purchases"))
            .join(Organization, Organization.id == base.c.enterprise_id).where(in_category(base, category))
            .group_by(base.c.enterprise_id, Organization.name).order_by(won.desc(), Organization.name))


def purchases_behind(year: int, category: str, agency_id: int | None = None, *, channel: str | None = None,
                     month: int | None = None, quarter: int | None = None, enterprise_id: int | None = None,
                     industry_id: int | None = None):
    """The purchases behind a figure (drill-down), with the names of both sides, in count-date order."""
    base = counted(year, agency_id)
    conditions = [in_category(base, category)]
    if channel:
        conditions.append(base.c.channel == channel)
    if month:
        conditions.append(_month(base) == month)
    if quarter:
        conditions.append(_month(base).between(quarter * 3 - 2, quarter * 3))
    if enterprise_id:
        conditions.append(base.c.enterprise_id == enterprise_id)
    if industry_id is not None:
        main = sa.select(EnterpriseProfile.main_industry_id).where(
            EnterpriseProfile.organization_id == base.c.enterprise_id).scalar_subquery()
        conditions.append(main.is_(None) if industry_id == 0 else main == industry_id)
    enterprise, agency = aliased(Organization), aliased(Organization)
    return (sa.select(base, enterprise.name.label("enterprise_name"), agency.name.label("agency_name"))
            .join(enterprise, enterprise.id == base.c.enterprise_id).join(agency, agency.id == base.c.agency_id)
            .where(*conditions).order_by(base.c.count_date, base.c.source, base.c.ref_id))


def purchases_with_categories(year: int, agency_id: int | None = None, *, order_id: int | None = None):
    """Each counted purchase once, with a flag (labelled by the category's code) for every category it counts
    in; only those that count in at least one. Certificates list purchases this way, in one statement."""
    base = counted(year, agency_id)
    stmt = (sa.select(base, Organization.name.label("enterprise_name"),
                      *[in_category(base, category).label(category) for category in CATEGORIES])
            .join(Organization, Organization.id == base.c.enterprise_id)
            .where(sa.or_(*[in_category(base, category) for category in CATEGORIES]))
            .order_by(base.c.contract_date, base.c.source, base.c.ref_id))
    if order_id is not None:
        stmt = stmt.where(base.c.source == ORDER, base.c.ref_id == order_id)
    return stmt


def payment_years(order_id: int) -> set[int]:
    """The year the order was paid in, if it was (it counts there when the reports count at payment)."""
    return {day.year for day in db.session.scalars(sa.select(Payment.paid_on).where(
        Payment.order_id == order_id, Payment.status == "succeeded", Payment.paid_on.is_not(None)))}


def total_of(statement) -> int:
    """The sum of a drill-down's amounts, whatever page is shown."""
    rows = statement.order_by(None).subquery()
    return int(db.session.scalar(sa.select(sa.func.coalesce(sa.func.sum(rows.c.amount_krw), 0))))


def gap_enterprises(last_year: int, agency_id: int, today: date):
    """Enterprises that sell what the agency bought in `last_year`: approved, holding a verified certification
    valid today, with a published listing, in an industry (main or secondary) of the enterprises it bought
    from. A statement of Organization, by name, for pagination."""
    base = counted(last_year, agency_id)
    industries = (sa.select(EnterpriseProfile.main_industry_id)
                  .join(base, base.c.enterprise_id == EnterpriseProfile.organization_id)
                  .where(EnterpriseProfile.main_industry_id.is_not(None)))
    secondary = (sa.select(enterprise_industry.c.organization_id)
                 .where(enterprise_industry.c.industry_id.in_(industries)))
    return (sa.select(Organization).join(EnterpriseProfile, EnterpriseProfile.organization_id == Organization.id)
            .where(Organization.kind == OrgKind.ENTERPRISE, Organization.status == "approved",
                   sa.or_(EnterpriseProfile.main_industry_id.in_(industries), Organization.id.in_(secondary)),
                   sa.exists().where(Certification.organization_id == Organization.id, Certification.valid_on(today)),
                   sa.exists().where(Listing.organization_id == Organization.id, Listing.status == "published"))
            .order_by(Organization.name, Organization.id))
