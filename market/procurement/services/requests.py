"""Purchase requests: drafted, sent, amended, withdrawn or closed by the agency."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from flask_babel import gettext as _

from market.accounts.models import Organization
from market.catalog import kinds
from market.catalog.models import Industry
from market.catalog.services import public_enterprises
from market.core import audit
from market.core.errors import InvalidTransition, NotAllowed, ValidationFailed
from market.core.states import transition
from market.core.timeutil import utcnow
from market.extensions import db
from market.procurement import notifications
from market.procurement.models import PurchaseRequest, RequestItem, RequestRecipient
from market.procurement.permissions import can_buy, is_buyer_of
from market.procurement.services.documents import attach_files
from market.procurement.states import QUOTE, REQUEST

MAX_ITEMS = 50


@dataclass
class ItemData:
    description: str
    quantity: int
    unit: str
    specification: str = ""
    listing_id: int | None = None


@dataclass
class RequestData:
    title: str
    purpose: str
    category: str
    delivery_place: str
    delivery_date: date | None
    quote_deadline: datetime  # UTC
    budget_krw: int | None
    budget_visible: bool
    audience: str
    industry: Industry | None
    items: list[ItemData]
    recipient_ids: list[int]


def _check_request(data: RequestData) -> list[Organization]:
    if data.category not in kinds.LISTING_CATEGORIES:
        raise ValidationFailed(_("Choose goods, services or works."))
    if not data.items:
        raise ValidationFailed(_("Add at least one item."))
    if len(data.items) > MAX_ITEMS:
        raise ValidationFailed(_("At most %(max)d items.", max=MAX_ITEMS))
    for item in data.items:
        if not item.description.strip() or item.quantity < 1:
            raise ValidationFailed(_("Each item needs a description and a quantity of at least 1."))
        if item.unit not in kinds.UNITS:
            raise ValidationFailed(_("Choose a unit for each item."))
    if data.quote_deadline <= utcnow():
        raise ValidationFailed(_("The quote deadline must be in the future."))
    if data.budget_krw is not None and data.budget_krw < 0:
        raise ValidationFailed(_("The budget cannot be negative."))
    if data.audience == "industry":
        if data.industry is None or data.industry.parent_id is not None:
            raise ValidationFailed(_("Choose the industry whose enterprises may quote."))
        return []
    recipients = db.session.scalars(public_enterprises().where(Organization.id.in_(data.recipient_ids))).all()
    if not recipients:
        raise ValidationFailed(_("Choose at least one enterprise, or open the request to an industry."))
    return recipients


def _apply_request(request: PurchaseRequest, data: RequestData, recipients: list[Organization]) -> None:
    for name in ("title", "purpose", "category", "delivery_place", "delivery_date", "quote_deadline", "budget_krw",
                 "budget_visible", "audience"):
        value = getattr(data, name)
        setattr(request, name, value.strip() if isinstance(value, str) else value)
    request.industry = data.industry if data.audience == "industry" else None
    new_items = [(i.description.strip()[:200], i.quantity, i.unit, i.specification.strip()) for i in data.items]
    if new_items != [(i.description, i.quantity, i.unit, i.specification) for i in request.items]:
        _replace_items(request, data)
    request.recipients = [RequestRecipient(organization_id=o.id) for o in recipients]


def _replace_items(request: PurchaseRequest, data: RequestData) -> None:
    request.items = [RequestItem(position=n, description=i.description.strip()[:200], quantity=i.quantity,
                                 unit=i.unit, specification=i.specification.strip(), listing_id=i.listing_id)
                     for n, i in enumerate(data.items)]


def _request_facts(request: PurchaseRequest) -> dict:
    return {"title": request.title, "status": request.status, "deadline": request.quote_deadline.isoformat(),
            "items": len(request.items), "audience": request.audience}


def create_request(actor, data: RequestData, send: bool = False, attachments=()) -> PurchaseRequest:
    if not can_buy(actor):
        raise NotAllowed(_("Only public agencies send purchase requests."))
    recipients = _check_request(data)
    request = PurchaseRequest(agency_id=actor.organization_id, created_by_id=actor.id, status="draft")
    _apply_request(request, data, recipients)
    db.session.add(request)
    db.session.flush()
    audit.record(actor, "request.create", request, after=_request_facts(request))
    attach_files(actor, attachments, request_id=request.id)
    if send:
        send_request(actor, request)
    return request


def update_request(actor, request: PurchaseRequest, data: RequestData, note: str | None = None,
                   attachments=()) -> None:
    """Edit a draft, or amend an open request before its deadline (the enterprises are told)."""
    if not is_buyer_of(actor, request.agency_id):
        raise NotAllowed(_("Only the agency's people change its requests."))
    if request.status not in ("draft", "open") or (request.status == "open" and request.deadline_passed):
        raise InvalidTransition(_("This request can no longer be changed."))
    before = _request_facts(request)
    recipients = _check_request(data)
    if request.status == "open" and {o.id for o in recipients} < {r.organization_id for r in request.recipients}:
        raise ValidationFailed(_("Invited enterprises cannot be removed from a sent request; withdraw it instead."))
    if request.quotes and [(i.description, i.quantity, i.unit) for i in request.items] != \
            [(i.description.strip()[:200], i.quantity, i.unit) for i in data.items]:
        raise ValidationFailed(_("Quotes were already sent: items cannot change any more. Withdraw the request "
                                 "and send a new one."))
    _apply_request(request, data, recipients)
    db.session.flush()
    audit.record(actor, "request.amend" if request.status == "open" else "request.update", request,
                 before=before, after=_request_facts(request), note=note)
    attach_files(actor, attachments, request_id=request.id)
    if request.status == "open":
        request.amended_at = utcnow()
        notifications.request_amended(request, actor, note)


def send_request(actor, request: PurchaseRequest) -> None:
    if request.quote_deadline <= utcnow():
        raise ValidationFailed(_("The quote deadline must be in the future."))
    transition(REQUEST, request, "send", actor)
    request.sent_at = utcnow()


def withdraw_request(actor, request: PurchaseRequest, note: str | None) -> None:
    if request.status == "open" and request.deadline_passed:
        raise InvalidTransition(_("The deadline has passed: close the request instead of withdrawing it."))
    transition(REQUEST, request, "withdraw", actor, note)


def close_request(actor, request: PurchaseRequest) -> None:
    transition(REQUEST, request, "close", actor)
    for quote in request.quotes:
        if quote.status == "submitted":
            transition(QUOTE, quote, "not_select", actor)
