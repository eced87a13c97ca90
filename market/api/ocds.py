"""Each purchase order of a year as an Open Contracting Data Standard 1.1 release, in a release package: its
parties as recorded on the order, never the people behind them; payments and refunds as the contract's
implementation transactions. The query parameters and the envelope are the API's own (market.api.services)."""
from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa
from flask import current_app
from sqlalchemy.orm import selectinload

from market.api.services import (RELEASE_PARAMETERS, ApiError, _datetime, _page_of, _with_year, _year, check_known,
                                 envelope, pagination)
from market.core.timeutil import SEOUL
from market.extensions import db
from market.payments.models import Payment, Refund
from market.procurement.models import PurchaseOrder

OCDS_VERSION = "1.1"
KRW = "KRW"
BUSINESS_NUMBER_SCHEME = "KR-BRN"  # org-id.guide: Korea's business registration number (사업자등록번호)
COUNTRY = "대한민국"
METHODS = {  # (OCDS procurementMethod, its details): how the supplier was chosen
    "direct": ("limited", "Direct order from a listing, single-quote private contract (수의계약)"),
    "invited": ("selective", "Request for quotations to invited enterprises (지명 견적요청)"),
    "industry": ("open", "Request for quotations open to every enterprise of an industry (공개 견적요청)"),
}
# Order state -> (award status, contract status). A placed order awaits the enterprise's confirmation; a
# declined or cancelled one is published with its cancellation rather than dropped, so that the record of
# what was awarded stays complete. dateSigned is the contract date the reports count by, set at placing.
STATUSES = {
    "placed": ("active", "pending"),
    "confirmed": ("active", "active"),
    "delivered": ("active", "active"),
    "inspected": ("active", "active"),
    "invoiced": ("active", "active"),
    "paid": ("active", "active"),
    "disputed": ("active", "active"),
    "closed": ("active", "terminated"),
    "declined": ("cancelled", "cancelled"),
    "cancelled": ("cancelled", "cancelled"),
}


def payment_transactions(order_ids: list[int]) -> dict[int, list[dict]]:
    """{order_id: [OCDS transaction, ...]}: each payment received under an order, and each refund back to the
    agency (payer and payee swapped), in two queries whatever the number of orders."""
    found: dict[int, list[dict]] = {}
    if not order_ids:
        return found
    paid = db.session.execute(
        sa.select(Payment, PurchaseOrder.agency_id, PurchaseOrder.enterprise_id, PurchaseOrder.parties)
        .join(PurchaseOrder, PurchaseOrder.id == Payment.order_id)
        .where(Payment.order_id.in_(order_ids), Payment.status == "succeeded").order_by(Payment.id)).all()
    refunds = db.session.execute(
        sa.select(Refund).where(Refund.order_id.in_(order_ids), Refund.status == "refunded")
        .order_by(Refund.id)).scalars().all()
    sides = {}
    for payment, agency_id, enterprise_id, parties in paid:
        agency = {"id": f"org-{agency_id}", "name": (parties.get("agency") or {}).get("name")}
        enterprise = {"id": f"org-{enterprise_id}", "name": (parties.get("enterprise") or {}).get("name")}
        sides[payment.order_id] = (agency, enterprise)
        found.setdefault(payment.order_id, []).append({
            "id": f"payment-{payment.id}", "date": _ocds_date(payment.paid_on), "value": _value(payment.amount_krw),
            "payer": agency, "payee": enterprise})
    for refund in refunds:
        agency, enterprise = sides[refund.order_id]
        found[refund.order_id].append({"id": f"refund-{refund.id}", "date": _ocds_date(refund.refunded_on), "value": _value(refund.amount_krw),
                                       "payer": enterprise, "payee": agency})
    return found


def _value(amount_krw: int) -> dict:
    return {"amount": amount_krw, "currency": KRW}


def _ocds_date(day: date) -> str:
    """A Korean calendar day as the date-time OCDS asks for: its midnight in Korea."""
    return datetime(day.year, day.month, day.day, tzinfo=SEOUL).isoformat()


def _party(organization_id: int, snapshot: dict | None, role: str) -> dict:
    """A party as the order recorded it when placed (name, address and business number of that day); never a
    person: the representative and the telephone numbers of the snapshot stay out."""
    snapshot = snapshot or {}
    party = {"id": f"org-{organization_id}", "name": snapshot.get("name"), "roles": [role]}
    if snapshot.get("business_number"):
        party["identifier"] = {"scheme": BUSINESS_NUMBER_SCHEME, "id": snapshot["business_number"],
                               "legalName": snapshot.get("name")}
    if snapshot.get("address"):
        party["address"] = {"streetAddress": snapshot["address"], "countryName": COUNTRY}
    return party


def _items(order: PurchaseOrder) -> list[dict]:
    return [{"id": str(line.id), "description": line.description, "quantity": line.quantity,
             "unit": {"name": line.unit, "value": _value(line.unit_price_krw)}} for line in order.lines]


def _method(order: PurchaseOrder) -> str:
    return "direct" if order.request is None else order.request.audience


def release_json(order: PurchaseOrder, transactions: list[dict], prefix: str) -> dict:
    """One purchase order as one OCDS release: its contracting process from the request (or the direct
    order) to the contract. A new release id each time the order changes, as OCDS wants releases immutable."""
    buyer = _party(order.agency_id, (order.parties or {}).get("agency"), "buyer")
    supplier = _party(order.enterprise_id, (order.parties or {}).get("enterprise"), "supplier")
    award_status, contract_status = STATUSES[order.status]
    method, details = METHODS[_method(order)]
    items = _items(order)
    contract = {"id": order.number, "awardID": order.number, "title": order.title, "status": contract_status,
                "value": _value(order.total_krw), "dateSigned": _ocds_date(order.contract_date), "items": items}
    if transactions:
        contract["implementation"] = {"transactions": transactions}
    return {
        "ocid": f"{prefix}-{order.number}",
        "id": f"{order.number}-{order.updated_at:%Y%m%dT%H%M%S%f}",
        "date": _datetime(order.updated_at),
        "tag": ["award", "contract"] + (["implementation"] if transactions else []),
        "initiationType": "tender",
        "language": "ko",
        "parties": [buyer, supplier],
        "buyer": {"id": buyer["id"], "name": buyer["name"]},
        "tender": {"id": f"request-{order.request_id}" if order.request_id else order.number,
                   "title": order.request.title if order.request else order.title,
                   "procurementMethod": method, "procurementMethodDetails": details,
                   "mainProcurementCategory": order.category, "items": items},
        "awards": [{"id": order.number, "status": award_status, "date": _datetime(order.placed_at),
                    "value": _value(order.total_krw),
                    "suppliers": [{"id": supplier["id"], "name": supplier["name"]}]}],
        "contracts": [contract],
    }


def orders_of_year(year: int):
    """Every purchase order whose contract date falls in the year, cancelled and declined ones included."""
    return (sa.select(PurchaseOrder)
            .where(PurchaseOrder.contract_date >= date(year, 1, 1), PurchaseOrder.contract_date <= date(year, 12, 31))
            .options(selectinload(PurchaseOrder.lines), selectinload(PurchaseOrder.request))
            .order_by(PurchaseOrder.contract_date, PurchaseOrder.id))


def release_package(args) -> dict:
    """A page of the year's purchase orders as an OCDS 1.1 release package, in a fixed number of queries. The
    standard wants at least one release in a package, so a year or page without any is a 404."""
    check_known(args, RELEASE_PARAMETERS)
    year, paging = _year(args), pagination(args)
    orders, total = _page_of(orders_of_year(year), paging)
    if not orders:
        raise ApiError(404, "not_found", f"No purchase order has a contract date in {year}"
                                         + (f" on page {paging.page}." if total else "."))
    transactions = payment_transactions([order.id for order in orders])
    prefix = current_app.config["OCDS_PREFIX"]
    releases = [release_json(order, transactions.get(order.id, []), prefix) for order in orders]
    page = envelope(releases, total, paging, "api.ocds_releases", _with_year(args, year))
    return {
        "uri": page["links"]["self"],
        "version": OCDS_VERSION,
        "publishedDate": max(release["date"] for release in releases),
        "publisher": {"name": current_app.config["OCDS_PUBLISHER"]},
        "releases": releases,
        **{key: page[key] for key in ("page", "per_page", "total", "pages", "links")},
    }
