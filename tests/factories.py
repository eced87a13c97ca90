"""Factories for every model: small functions with sensible defaults that tests override by keyword."""
from __future__ import annotations

import itertools
from types import SimpleNamespace

from market.accounts.models import Organization, OrgKind, Role, User
from market.extensions import db

PASSWORD = "correct horse battery"
_sequence = itertools.count(1)
_password_hash: str | None = None
_NAME_PREFIX = {OrgKind.ENTERPRISE: "기업", OrgKind.AGENCY: "기관", OrgKind.CITY: "지원센터"}


def _hash() -> str:
    # scrypt is slow on purpose; tests share one hash of PASSWORD.
    global _password_hash
    if _password_hash is None:
        from werkzeug.security import generate_password_hash

        _password_hash = generate_password_hash(PASSWORD, method="scrypt")
    return _password_hash


def organization(kind: str = OrgKind.ENTERPRISE, **fields) -> Organization:
    n = next(_sequence)
    fields.setdefault("name", f"{_NAME_PREFIX[kind]} {n}")
    fields.setdefault("status", "approved")
    org = Organization(kind=kind, **fields)
    db.session.add(org)
    db.session.flush()
    return org


def user(organization: Organization | None = None, role: str | None = None, **fields) -> User:
    organization = organization or globals()["organization"]()
    n = next(_sequence)
    fields.setdefault("email", f"user{n}@example.kr")
    fields.setdefault("name", f"사용자{n}")
    fields.setdefault("locale", "ko")
    fields.setdefault("password_hash", _hash())
    person = User(organization=organization, role=role or Role.BY_KIND[organization.kind][-1], **fields)
    db.session.add(person)
    db.session.flush()
    return person


def industry(code: str):
    from market.catalog.services import industry_by_code, seed_industries

    found = industry_by_code(code)
    if found is None:
        seed_industries()
        found = industry_by_code(code)
    return found


def profile(organization: Organization, industry_code: str = "cleaning", **fields):
    from market.catalog.services import profile_for, reindex_enterprise

    enterprise = profile_for(organization)
    enterprise.main_industry = industry(industry_code)
    for name, value in fields.items():
        setattr(enterprise, name, value)
    db.session.flush()
    reindex_enterprise(organization)
    return enterprise


def certification(organization: Organization, kind: str = "social_enterprise", status: str = "verified",
                  valid_from=None, valid_to=None, **fields):
    from datetime import date

    from market.catalog.models import Certification

    cert = Certification(organization=organization, kind=kind, status=status,
                         valid_from=valid_from or date(2020, 1, 1), valid_to=valid_to,
                         number=fields.pop("number", "2020-001"), **fields)
    db.session.add(cert)
    db.session.flush()
    return cert


def listing(organization: Organization, title: str = "사무실 청소 용역", industry_code: str = "cleaning",
            status: str = "published", **fields):
    from market.catalog.models import Listing
    from market.catalog.services import next_position, reindex_listing

    fields.setdefault("category", "services")
    fields.setdefault("unit", "월")
    fields.setdefault("unit_price_krw", 500_000)
    item = Listing(organization=organization, title=title, industry=industry(industry_code), status=status,
                   position=next_position(organization.id), **fields)
    db.session.add(item)
    db.session.flush()
    reindex_listing(item)
    return item


def purchase_request(agency: Organization, creator: User, recipients=(), status: str = "open", **fields):
    from datetime import timedelta

    from market.core.timeutil import utcnow
    from market.procurement.models import PurchaseRequest, RequestItem, RequestRecipient

    fields.setdefault("title", "행사 도시락 300개")
    fields.setdefault("category", "goods")
    fields.setdefault("quote_deadline", utcnow() + timedelta(days=3))
    item = PurchaseRequest(agency_id=agency.id, created_by_id=creator.id, status=status, audience="invited",
                           items=[RequestItem(position=0, description="한식 도시락", quantity=300, unit="개")],
                           recipients=[RequestRecipient(organization_id=o.id) for o in recipients], **fields)
    db.session.add(item)
    db.session.flush()
    return item


def quote(request, organization: Organization, person: User, unit_price: int = 8_000):
    from market.procurement.models import Quote, QuoteLine, QuoteRevision

    supply = sum(unit_price * i.quantity for i in request.items)
    vat = supply // 10
    revision = QuoteRevision(number=1, created_by_id=person.id, supply_krw=supply, vat_krw=vat,
                             total_krw=supply + vat, lines=[
                                 QuoteLine(item_id=i.id, quantity=i.quantity, unit_price_krw=unit_price,
                                           amount_krw=unit_price * i.quantity) for i in request.items])
    item = Quote(request_id=request.id, organization_id=organization.id, status="submitted", supply_krw=supply,
                 vat_krw=vat, total_krw=supply + vat, revision_count=1, revisions=[revision])
    db.session.add(item)
    db.session.flush()
    return item


def purchase_order(agency: Organization, enterprise: Organization, person: User, status: str = "placed",
                   total: int = 1_100_000, **fields):
    from market.procurement.models import OrderLine, PurchaseOrder

    supply = total * 10 // 11
    fields.setdefault("title", "사무실 청소 용역 3개월")
    order = PurchaseOrder(method=fields.pop("method", "direct"), agency_id=agency.id, enterprise_id=enterprise.id,
                          placed_by_id=person.id, category=fields.pop("category", "services"), status=status,
                          supply_krw=supply, vat_krw=total - supply, total_krw=total,
                          parties={"agency": {"name": agency.name}, "enterprise": {"name": enterprise.name}},
                          lines=[OrderLine(position=0, description="청소 용역", unit="월", quantity=1,
                                           unit_price_krw=total, amount_krw=total)], **fields)
    db.session.add(order)
    db.session.flush()
    order.number = f"GS-{order.placed_at.year}-{order.id:06d}"
    return order


def build_world() -> SimpleNamespace:
    city = organization(OrgKind.CITY, name="군산시 사회적경제지원센터")
    enterprise_a = organization(OrgKind.ENTERPRISE, name="(주)가나다 환경서비스")
    enterprise_b = organization(OrgKind.ENTERPRISE, name="협동조합 라마바 도시락")
    agency_x = organization(OrgKind.AGENCY, name="군산시 총무과")
    agency_y = organization(OrgKind.AGENCY, name="군산시 복지정책과")
    world = SimpleNamespace(
        city=city, enterprise_a=enterprise_a, enterprise_b=enterprise_b, agency_x=agency_x, agency_y=agency_y,
        users=SimpleNamespace(
            city=user(city, Role.ADMIN, email="admin@example.kr"),
            enterprise_a=user(enterprise_a, Role.MANAGER, email="a@example.kr"),
            enterprise_b=user(enterprise_b, Role.MANAGER, email="b@example.kr"),
            agency_x=user(agency_x, Role.BUYER, email="x@example.kr"),
            agency_y=user(agency_y, Role.BUYER, email="y@example.kr"),
        ),
    )
    # The catalog of the two enterprises: A cleans (certified, published), B cooks (preliminary, a draft).
    profile(enterprise_a, "cleaning", area="수송동", business_number="4018128592")
    profile(enterprise_b, "catering", area="나운1동")
    world.cert_a = certification(enterprise_a, "social_enterprise")
    world.cert_b = certification(enterprise_b, "preliminary_social_enterprise", status="pending",
                                 designated_by="local")
    world.listing_a = listing(enterprise_a, "사무실 청소 용역")
    world.draft_b = listing(enterprise_b, "친환경 도시락", "catering", status="draft", category="goods", unit="개",
                            unit_price_krw=8_000)
    # Agency X asked A and B for lunch boxes; A quoted. X has an order with A.
    world.request_x = purchase_request(agency_x, world.users.agency_x, [enterprise_a, enterprise_b])
    world.quote_a = quote(world.request_x, enterprise_a, world.users.enterprise_a)
    world.order_x = purchase_order(agency_x, enterprise_a, world.users.agency_x)
    db.session.commit()
    return world


TINY_PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def off_platform_purchase(agency: Organization, enterprise: Organization, person: User, status: str = "recorded",
                          amount: int = 2_200_000, **fields):
    """A purchase recorded off the platform, with a small PDF as its evidence on disk."""
    from datetime import date

    from market.core import files
    from market.reports.models import OffPlatformPurchase

    stored_name = files.new_stored_name("pdf")
    files.write(db.session, files.Upload(TINY_PDF, "pdf", "계약서.pdf"), stored_name)
    fields.setdefault("contract_date", date(2026, 5, 1))
    fields.setdefault("category", "services")
    fields.setdefault("channel", "own_contract")
    fields.setdefault("description", "청소 용역 (자체 계약)")
    purchase = OffPlatformPurchase(agency_id=agency.id, enterprise_id=enterprise.id, recorded_by_id=person.id,
                                   status=status, amount_krw=amount, evidence_name="계약서.pdf",
                                   evidence_stored_name=stored_name, evidence_kind="pdf",
                                   evidence_size_bytes=len(TINY_PDF), **fields)
    db.session.add(purchase)
    db.session.flush()
    return purchase
