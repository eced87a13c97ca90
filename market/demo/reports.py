"""A year of the demo city's purchasing, a few purchases made off the platform, every agency's totals and targets
(in won and in percent), one proposal awaiting the city's approval and one shortfall reason, so the dashboards
have something to show."""
from __future__ import annotations

import io
import random
from datetime import date, datetime, timedelta

from werkzeug.datastructures import FileStorage

from market.accounts.models import Organization, OrgKind, Role, User
from market.catalog.kinds import SEVERELY_DISABLED, WOMEN_OWNED
from market.catalog.models import Listing
from market.demo.procurement import PATH, advance
from market.extensions import db
from market.procurement import services as procurement
from market.reports import off_platform, services
from market.reports.models import PERCENT, PLANNED, SOCIAL_ECONOMY, PurchaseTarget
from market.reports.services import Goal

def load_reports_demo(today: date, admin: User) -> int:
    """Closed orders spread over the months of this year before today, totals and targets, a proposal and a
    shortfall reason. Once only."""
    year = today.year
    if db.session.scalar(db.select(db.func.count()).select_from(PurchaseTarget).where(PurchaseTarget.year == year)):
        return 0
    rng = random.Random(year)
    agencies = db.session.scalars(db.select(Organization).where(Organization.kind == OrgKind.AGENCY,
                                                                Organization.status == "approved")
                                  .order_by(Organization.id)).all()
    buyer_of = {u.organization_id: u for u in db.session.scalars(
        db.select(User).join(User.organization).where(Organization.kind == OrgKind.AGENCY).order_by(User.id))}
    supplier_of = {}
    for user in db.session.scalars(db.select(User).join(User.organization)
                                   .where(Organization.kind == OrgKind.ENTERPRISE).order_by(User.id)):
        supplier_of.setdefault(user.organization_id, user)
    listings = db.session.scalars(db.select(Listing).where(Listing.status == "published",
                                                           Listing.unit_price_krw.is_not(None),
                                                           Listing.unit_price_krw <= 2_000_000)
                                  .order_by(Listing.id)).all()
    orders = 0
    for agency in agencies:
        for month in range(1, today.month + 1):
            # Demand peaks before Lunar New Year and Chuseok (gift sets) and at year-end budget execution.
            count = 1 + (month in (1, 9, 11, 12)) + rng.randint(0, 1)
            for _n in range(count):
                listing = rng.choice(listings)
                day = date(year, month, min(rng.randint(1, 28), today.day if month == today.month else 28))
                quantity = max(listing.min_order, 1) * rng.randint(1, 4)
                try:
                    order = procurement.place_direct_order(buyer_of[agency.id], listing.organization,
                                                           [(listing, quantity)], delivery_place=agency.address or "",
                                                           delivery_date=day + timedelta(days=7))
                except procurement.CeilingExceeded:
                    continue
                order.contract_date = day
                order.placed_at = datetime(day.year, day.month, day.day, 1, 30)
                actors = {"agency": buyer_of[agency.id], "enterprise": supplier_of[listing.organization_id]}
                advance(order, PATH, actors, paid_on=min(day + timedelta(days=rng.randint(7, 30)), today))
                orders += 1
    db.session.flush()
    _off_platform_purchases(today, agencies, buyer_of, sorted({listing.organization_id for listing in listings}), admin)
    manager_of: dict[int, User] = {}
    for user in db.session.scalars(db.select(User).join(User.organization).where(
            Organization.kind == OrgKind.AGENCY, User.role == Role.MANAGER).order_by(User.id)):
        manager_of.setdefault(user.organization_id, user)
    for n, agency in enumerate(agencies):
        services.set_totals(admin, agency, year, PLANNED, {"goods": (800 + 100 * n) * 1_000_000,
                                                           "services": (400 + 50 * n) * 1_000_000,
                                                           "works": (1_500 + 200 * n) * 1_000_000})
        goals = {SOCIAL_ECONOMY: (25 + 5 * n) * 1_000_000, "social_enterprise": (12 + 2 * n) * 1_000_000,
                 WOMEN_OWNED: Goal(PERCENT, rate_bp=500, works_rate_bp=300)}
        if n % 2:
            goals[SEVERELY_DISABLED] = Goal(PERCENT, rate_bp=100)
        services.set_targets(admin, agency, year, goals)
    if len(agencies) > 1 and agencies[1].id in manager_of:
        services.propose_targets(manager_of[agencies[1].id], agencies[1], year,
                                 {SOCIAL_ECONOMY: 40_000_000, "social_enterprise": 20_000_000,
                                  WOMEN_OWNED: Goal(PERCENT, rate_bp=500, works_rate_bp=300)})
    if agencies and agencies[0].id in manager_of:
        services.set_shortfall_reasons(manager_of[agencies[0].id], agencies[0], year, {
            WOMEN_OWNED: "관내 여성기업 중 공사 분야 업체가 적어 하반기 물품 구매로 보완할 계획입니다."})
    return orders


# A one-page PDF, generated here: the evidence of the demo's off-platform purchases.
EVIDENCE_PDF = (b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
                b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
                b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n")
OFF_PLATFORM = (  # channel, type, amount, what was bought, what the support center decides
    ("pps", "services", 4_400_000, "나라장터 종합쇼핑몰: 청사 방역 소독 용역", "verify"),
    ("own_contract", "goods", 2_750_000, "자체 수의계약: 행사 도시락 250식", "verify"),
    ("other_platform", "goods", 1_320_000, "가치장터: 명절 선물세트 40개", "verify"),
    ("own_contract", "services", 880_000, "자체 계약: 현수막 제작", None),
    ("pps", "goods", 9_900_000, "나라장터: 사무용 가구", "reject"),
)


def _off_platform_purchases(today: date, agencies, buyer_of: dict, enterprise_ids: list[int], admin: User) -> None:
    """Some verified, one awaiting verification, one rejected, recorded and decided as people would."""
    for n, (channel, category, amount, description, decision) in enumerate(OFF_PLATFORM):
        agency = agencies[n % len(agencies)]
        evidence = FileStorage(io.BytesIO(EVIDENCE_PDF), filename=f"계약서-{n + 1}.pdf")
        purchase = off_platform.record(buyer_of[agency.id], off_platform.PurchaseData(
            enterprise_id=enterprise_ids[n % len(enterprise_ids)], amount_krw=amount, category=category,
            contract_date=max(today - timedelta(days=20 + 30 * n), date(today.year, 1, 1)), channel=channel,
            description=description), evidence)
        if decision:
            off_platform.decide(admin, purchase, decision,
                                "계약서의 공급자가 선택한 기업과 다릅니다." if decision == "reject" else None)
