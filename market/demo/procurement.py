"""The demo city's buying: purchase requests, quotes and orders in every state, so each demo login has
something to act on. Everything goes through the services, as a person would."""
from __future__ import annotations

from datetime import timedelta

from market.accounts.models import Organization, OrgKind, User
from market.catalog.models import Listing
from market.core.states import transition
from market.core.timeutil import seoul_today, utcnow
from market.extensions import db
from market.payments import services as payments
from market.procurement import services
from market.procurement.models import PurchaseRequest
from market.procurement.states import ORDER

# The path an order takes, and who moves it at each step.
PATH = [("confirm", "enterprise"), ("deliver", "enterprise"), ("inspect", "agency"), ("invoice", "enterprise"),
        ("pay", "enterprise"), ("close", "agency")]
TARGETS = ["placed", "confirmed", "delivered", "inspected", "invoiced", "paid", "closed"]


# Gunsan's enterprises bank locally first: Jeonbuk Bank, NongHyup, the local cooperatives, Suhyup, MG.
DEMO_BANKS = ("037", "011", "012", "007", "045")


def advance(order, steps, actors: dict, paid_on=None) -> None:
    """Move an order along its path as its people would; the payment is a bank transfer the enterprise records."""
    for action, who in steps:
        if action == "pay":
            payments.record_transfer(actors[who], order, paid_on or seoul_today(), order.total_krw, order.agency.name)
        else:
            transition(ORDER, order, action, actors[who])


def _people(kind: str) -> dict[int, User]:
    users = db.session.scalars(db.select(User).join(User.organization).where(Organization.kind == kind)
                               .order_by(User.id)).all()
    people: dict[int, User] = {}
    for user in users:
        people.setdefault(user.organization_id, user)
    return people


def load_procurement_demo() -> int:
    """Create the demo's buying once (skipped when any request exists). Returns the number of orders."""
    services.seed_ceilings()
    if db.session.scalar(db.select(db.func.count()).select_from(PurchaseRequest)):
        return 0
    agencies = db.session.scalars(db.select(Organization).where(Organization.kind == OrgKind.AGENCY)
                                  .order_by(Organization.id)).all()
    buyers, suppliers = _people(OrgKind.AGENCY), _people(OrgKind.ENTERPRISE)
    priced = db.session.scalars(db.select(Listing).where(Listing.status == "published",
                                                         Listing.unit_price_krw.is_not(None))
                                .order_by(Listing.id)).all()
    by_industry: dict[str, list[Listing]] = {}
    for listing in priced:
        by_industry.setdefault(listing.industry.code, []).append(listing)

    def request(agency, title, category, items, recipients, days, send=True):
        data = services.RequestData(
            title=title, purpose="", category=category, delivery_place=agency.address or "",
            delivery_date=seoul_today() + timedelta(days=days + 7), quote_deadline=utcnow() + timedelta(days=days),
            budget_krw=None, budget_visible=False, audience="invited", industry=None,
            items=[services.ItemData(description=d, quantity=q, unit=u) for d, q, u in items],
            recipient_ids=[o.id for o in recipients])
        return services.create_request(buyers[agency.id], data, send=send)

    def quote(purchase_request, enterprise, price):
        return services.submit_quote(suppliers[enterprise.id], purchase_request,
                                     prices={item.id: price for item in purchase_request.items},
                                     valid_until=seoul_today() + timedelta(days=30), lead_time_days=3, notes="")

    caterers = [by_industry[code][0].organization for code in ("catering", "food", "cafe") if by_industry.get(code)]
    cleaners = list({l.organization_id: l.organization for l in by_industry.get("cleaning", [])}.values())

    # An open request: one quote in, one declined, one still to answer.
    lunch = request(agencies[0], "자원봉사자의 날 도시락 300개", "goods",
                    [("친환경 한식 도시락", 300, "개"), ("생수 500ml", 300, "개")], caterers[:3], days=5)
    quote(lunch, caterers[0], 7_800)
    if len(caterers) > 1:
        services.decline_request(suppliers[caterers[1].id], lunch, "행사 당일 다른 납품 일정이 있습니다.")
    # Quotes all in: the buyer can compare and award.
    cleaning = request(agencies[1], "본청 별관 정기 청소 용역 (3개월)", "services",
                       [("사무실·복도 청소", 3, "월"), ("화장실 위생관리", 3, "월")], cleaners[:2], days=4)
    for n, enterprise in enumerate(cleaners[:2]):
        quote(cleaning, enterprise, 1_200_000 + n * 150_000)
    # Awarded: an order waiting for the enterprise's confirmation.
    printing = [l.organization for l in by_industry.get("printing", [])][:2]
    leaflets = request(agencies[2], "복지 서비스 안내 리플릿 5,000부", "goods",
                       [("리플릿 A4 3단 접지", 5000, "개")], printing, days=2)
    quotes = [quote(leaflets, enterprise, 180 + n * 20) for n, enterprise in enumerate(printing)]
    if quotes:
        services.accept_quote(buyers[agencies[2].id], quotes[0])
    # A draft the buyer has not sent yet.
    request(agencies[0], "연말 감사 선물세트 (군산 쌀)", "goods", [("군산 쌀 4kg 선물세트", 120, "세트")],
            caterers[:1], days=10, send=False)

    # Their managers set the bank accounts buyers transfer to (all but the last enterprise, which shows the
    # buyer the fallback: the account on the invoice).
    for n, person in enumerate(list(suppliers.values())[:-1]):
        if person.is_manager:
            payments.save_transfer_account(person, bank_code=DEMO_BANKS[n % len(DEMO_BANKS)],
                                           account_number=f"{501 + n:03d}-{20 + n % 70:02d}-{310_457 + n * 7:06d}",
                                           holder=person.organization.name)

    # Direct orders in every state of the lifecycle, spread over the agencies.
    orders = 0
    candidates = [l for l in priced if l.unit_price_krw * max(l.min_order, 1) <= 5_000_000]
    for n, target in enumerate(TARGETS + ["cancelled", "declined"] + TARGETS[3:]):
        listing = candidates[(n * 7) % len(candidates)]
        agency = agencies[n % len(agencies)]
        order = services.place_direct_order(buyers[agency.id], listing.organization,
                                            [(listing, max(listing.min_order, 1) * (1 + n % 3))],
                                            delivery_place=agency.address or "", delivery_date=None)
        actors = {"agency": buyers[agency.id], "enterprise": suppliers[listing.organization_id]}
        if target == "cancelled":
            services.move_order(actors["agency"], order, "cancel", "예산 조정으로 취소합니다.")
        elif target == "declined":
            services.move_order(actors["enterprise"], order, "decline", "해당 기간 생산 일정이 가득 찼습니다.")
        else:
            advance(order, PATH[:TARGETS.index(target)], actors)
        orders += 1
        if target == "paid" and n > len(TARGETS):
            # A delivery found short after payment: disputed, with a partial refund awaiting the enterprise.
            services.move_order(actors["agency"], order, "dispute", "납품 수량 일부가 부족했습니다.")
            payments.request_refund(actors["agency"], order, order.total_krw // 10, "부족 수량만큼 환불을 요청합니다.")
    db.session.flush()
    return orders
