"""A year of public purchasing at scale, for the benchmarks: `generate_purchases(agencies=500, orders=250_000)`.

Run it after `market.demo.scale.generate_city` on the same session: it adds the support center and one
administrator, `agencies` approved public agencies with a buyer each, the preliminary designations that
preceded a share of the certified social enterprises (so an enterprise's kinds change during the year, and
the reports' join on validity matters), a year of purchase orders from those agencies to the city's
enterprises with four lines each on average (`orders` x 4 lines in total), and every agency's purchasing
targets for that year. Like `generate_city` it writes with Core bulk inserts (COPY on PostgreSQL), draws
everything from `random.Random(seed)`, and never commits.
"""
from __future__ import annotations

import random
import time
from collections import Counter
from datetime import date, datetime, timedelta

import sqlalchemy as sa

from market.accounts.models import Organization, OrgKind, Role, User, new_session_token
from market.catalog import kinds
from market.catalog.areas import AREAS
from market.catalog.models import Certification, Listing
from market.core.timeutil import seoul_today, utcnow
from market.demo.scale import Writer, next_id
from market.extensions import db
from market.procurement.models import OrderLine, PurchaseOrder
from market.reports.models import SOCIAL_ECONOMY, PurchaseTarget

ORDER_BATCH = 25_000  # orders (and their lines) built and written at a time
LINES_PER_ORDER = 4

DEPARTMENTS = ["총무과", "기획예산과", "회계과", "복지정책과", "노인장애인과", "여성가족과", "아동청소년과", "환경정책과",
               "자원순환과", "공원녹지과", "관광진흥과", "문화예술과", "체육진흥과", "평생학습과", "일자리경제과",
               "농업정책과", "해양수산과", "건축경관과", "도로과", "교통행정과", "보건소", "상하수도사업소",
               "농업기술센터", "시립도서관", "시설관리공단"]
INSTITUTIONS = ["초등학교", "중학교", "고등학교", "주민센터", "복지관", "어린이집", "보건진료소", "도서관"]
# Korean public buying piles up at the end of the fiscal year.
MONTH_WEIGHTS = (5, 6, 8, 8, 8, 8, 7, 7, 8, 9, 11, 15)
ORDER_STATUSES = (("closed", 50), ("paid", 20), ("invoiced", 5), ("inspected", 5), ("delivered", 5),
                  ("confirmed", 5), ("placed", 5), ("cancelled", 3), ("declined", 2))
# The categories an agency gets a target for, and the share of its expected buying each stands for.
TARGET_SHARES = {SOCIAL_ECONOMY: 0.9, kinds.SOCIAL_ENTERPRISE: 0.3, kinds.WOMEN_OWNED: 0.05,
                 kinds.DISABLED_OWNED: 0.01, kinds.SEVERELY_DISABLED: 0.01}


def generate_purchases(agencies: int = 500, orders: int = 250_000, year: int | None = None,
                       seed: int = 2026) -> Counter[str]:
    """Add the support center, `agencies` agencies and a year (the last full one by default) of `orders`
    purchase orders with `LINES_PER_ORDER` lines each on average; returns what was written."""
    started = time.perf_counter()
    rnd = random.Random(seed)
    year = year or seoul_today().year - 1
    now = utcnow()
    written: Counter[str] = Counter()
    writer = Writer()

    enterprises = db.session.execute(
        sa.select(Organization.id, Organization.name).where(Organization.kind == OrgKind.ENTERPRISE,
                                                            Organization.status == "approved")
        .order_by(Organization.id)).all()
    catalog: dict[int, list] = {}
    for row in db.session.execute(
            sa.select(Listing.id, Listing.organization_id, Listing.title, Listing.unit, Listing.unit_price_krw)
            .where(Listing.status == "published", Listing.unit_price_krw.is_not(None)).order_by(Listing.id)):
        catalog.setdefault(row.organization_id, []).append(row)
    sellers = [e for e in enterprises if e.id in catalog]
    if not sellers or not agencies or not orders:
        return written

    # --- the support center, the agencies and their buyers ---
    org_id, user_id = next_id(Organization.id), next_id(User.id)
    organizations = [{"id": org_id, "kind": OrgKind.CITY, "name": "군산시 사회적경제지원센터", "name_en": None,
                      "status": "approved", "status_reason": None, "phone": "063-454-0000",
                      "address": "전북특별자치도 군산시 시청로 17", "created_at": now}]
    users = [_user(user_id, org_id, f"admin{user_id}@city.example.kr", "지원센터 관리자", Role.ADMIN, now)]
    agency_ids, buyer_of = [], {}
    for n in range(agencies):
        org_id, user_id = org_id + 1, user_id + 1
        organizations.append({"id": org_id, "kind": OrgKind.AGENCY, "name": _agency_name(rnd, n), "name_en": None,
                              "status": "approved", "status_reason": None,
                              "phone": f"063-{rnd.randint(450, 469)}-{n:04d}",
                              "address": f"전북특별자치도 군산시 {rnd.choice(AREAS)} {rnd.randint(1, 300)}",
                              "created_at": now})
        users.append(_user(user_id, org_id, f"buyer{user_id}@agency.example.kr", f"구매담당 {n + 1}", Role.BUYER, now))
        agency_ids.append(org_id)
        buyer_of[org_id] = user_id
    writer.insert(Organization.__table__, organizations)
    writer.insert(User.__table__, users)
    written.update(agencies=agencies, users=len(users))
    names = {row["id"]: row["name"] for row in organizations}
    del organizations, users

    # --- certification history: a certified social enterprise was first a preliminary one, for three years ---
    cert_id = next_id(Certification.id)
    history = []
    for organization_id, certified_from in db.session.execute(
            sa.select(Certification.organization_id, Certification.valid_from)
            .where(Certification.kind == kinds.SOCIAL_ENTERPRISE, Certification.status == "verified")
            .order_by(Certification.id)).all():
        if rnd.random() < 0.4:
            valid_to = certified_from - timedelta(days=1)
            history.append({"id": cert_id, "organization_id": organization_id, "kind": kinds.PRELIMINARY,
                            "number": f"{valid_to.year - 3}-P{cert_id:06d}",
                            "designated_by": rnd.choice(list(kinds.DESIGNATIONS)),
                            "valid_from": valid_to - timedelta(days=kinds.PRELIMINARY_YEARS * 365 - 1),
                            "valid_to": valid_to, "status": "verified", "status_note": None, "verified_at": now,
                            "verified_by_id": None, "created_at": now, "reminded_60_at": None,
                            "reminded_14_at": None})
            cert_id += 1
    writer.insert(Certification.__table__, history)
    written["certifications"] = len(history)
    del history

    # --- a year of orders: a few agencies and enterprises do most of the buying and selling ---
    agency_weights = [min(rnd.paretovariate(1.2), 40.0) for _ in agency_ids]
    seller_weights = [min(rnd.paretovariate(1.5), 25.0) for _ in sellers]
    days = [date(year, 1, 1) + timedelta(days=d) for d in range((date(year, 12, 31) - date(year, 1, 1)).days + 1)]
    day_weights = [MONTH_WEIGHTS[day.month - 1] for day in days]
    statuses, status_weights = zip(*ORDER_STATUSES)
    spent: Counter[int] = Counter()
    order_id, line_id = next_id(PurchaseOrder.id), next_id(OrderLine.id)
    for start in range(0, orders, ORDER_BATCH):
        count = min(ORDER_BATCH, orders - start)
        batch_agencies = rnd.choices(agency_ids, agency_weights, k=count)
        batch_sellers = rnd.choices(sellers, seller_weights, k=count)
        batch_days = rnd.choices(days, day_weights, k=count)
        batch_statuses = rnd.choices(statuses, status_weights, k=count)
        order_rows, line_rows = [], []
        for n in range(count):
            # Pairs of orders have 4 + d and 4 - d lines: exactly LINES_PER_ORDER per order in total.
            if n % 2 == 0:
                spread = rnd.randint(0, LINES_PER_ORDER - 1) if n + 1 < count else 0
                lines = LINES_PER_ORDER + spread
            else:
                lines = LINES_PER_ORDER - spread
            agency_id, seller, day = batch_agencies[n], batch_sellers[n], batch_days[n]
            total = 0
            items = catalog[seller.id]
            for position in range(lines):
                item = items[rnd.randrange(len(items))]
                quantity = rnd.choice((1, 2, 5, 10, 20, 50))
                amount = item.unit_price_krw * quantity
                total += amount
                line_rows.append({"id": line_id, "order_id": order_id, "position": position, "listing_id": item.id,
                                  "description": item.title[:200], "unit": item.unit, "quantity": quantity,
                                  "unit_price_krw": item.unit_price_krw, "amount_krw": amount})
                line_id += 1
            placed_at = datetime(day.year, day.month, day.day) + timedelta(seconds=rnd.randint(0, 86_399) - 9 * 3600)
            supply = total * 10 // 11
            order_rows.append({
                "id": order_id, "number": f"GS-{year}-{order_id:07d}", "method": "direct", "request_id": None,
                "quote_id": None, "agency_id": agency_id, "enterprise_id": seller.id,
                "placed_by_id": buyer_of[agency_id], "category": "goods", "title": items[0].title[:120],
                "status": batch_statuses[n], "supply_krw": supply, "vat_krw": total - supply, "total_krw": total,
                "ceiling_krw": None, "delivery_place": names[agency_id], "delivery_date": day + timedelta(days=7),
                "parties": {"agency": {"id": agency_id, "name": names[agency_id]},
                            "enterprise": {"id": seller.id, "name": seller.name}},
                "placed_at": placed_at, "contract_date": day, "updated_at": placed_at})
            spent[agency_id] += total
            order_id += 1
        writer.insert(PurchaseOrder.__table__, order_rows)
        writer.insert(OrderLine.__table__, line_rows)
        written["orders"] += len(order_rows)
        written["order_lines"] += len(line_rows)

    # --- targets: a share of what each agency was expected to buy, some reached and some not ---
    target_id = next_id(PurchaseTarget.id)
    targets = []
    for agency_id in agency_ids:
        expected = spent[agency_id] * rnd.uniform(0.6, 1.4)
        for category, share in TARGET_SHARES.items():
            if category == SOCIAL_ECONOMY or rnd.random() < 0.7:
                targets.append({"id": target_id, "agency_id": agency_id, "year": year, "category": category,
                                "amount_krw": int(expected * share) // 1000 * 1000, "set_by_id": None,
                                "updated_at": now})
                target_id += 1
    writer.insert(PurchaseTarget.__table__, targets)
    written["targets"] = len(targets)
    writer.finish()
    written["year"] = year
    written["seconds"] = round(time.perf_counter() - started, 1)
    return written


def _user(user_id: int, organization_id: int, email: str, name: str, role: str, now: datetime) -> dict:
    return {"id": user_id, "organization_id": organization_id, "email": email, "name": name, "role": role,
            "password_hash": None, "locale": "ko", "active": True, "created_at": now, "last_login_at": None,
            "session_token": new_session_token()}


def _agency_name(rnd: random.Random, n: int) -> str:
    if n < len(DEPARTMENTS):
        return f"군산시 {DEPARTMENTS[n]}"
    return f"군산{rnd.choice(AREAS).removesuffix('동').removesuffix('면').removesuffix('읍')}{rnd.choice(INSTITUTIONS)} {n}"
