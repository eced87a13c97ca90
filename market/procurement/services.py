"""Business rules of buying. Services flush, never commit; views commit once."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

import sqlalchemy as sa
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import selectinload

from market.accounts.models import Organization, User
from market.catalog import kinds
from market.catalog.models import EnterpriseProfile, Industry, Listing, enterprise_industry
from market.catalog.services import public_enterprises, valid_kinds_by_enterprise
from market.core import audit, files
from market.core.errors import InvalidTransition, NotAllowed, ValidationFailed
from market.core.notifications import notifications_for, unread_notifications
from market.core.money import split_vat_inclusive, vat_on
from market.core.params import MAX_ID
from market.core.states import transition
from market.core.timeutil import seoul_today, utcnow
from market.extensions import db
from market.procurement import notifications
from market.procurement.models import (ContractCeiling, Message, OrderLine, ProcurementFile,
                                       PurchaseOrder, PurchaseRequest, Quote, QuoteLine, QuoteRevision, RequestItem,
                                       RequestRecipient)
from market.procurement.permissions import (can_award, can_buy, can_compare, can_submit_quote, enterprise_may_quote,
                                            is_buyer_of)
from market.procurement.states import ORDER, QUOTE, REQUEST

MAX_ITEMS = 50

# --- who sees what: the lists scoped by the actor's organisation ---


def request_conversation(actor, request: PurchaseRequest, enterprise_id: int | None) -> int:
    """The enterprise a message on a request is exchanged with: an enterprise's own; for the buyer, one the
    request is addressed to or that answered it (a buyer cannot open a conversation with any enterprise)."""
    if actor.is_enterprise_user:
        return actor.organization_id
    enterprise = db.session.get(Organization, enterprise_id) if enterprise_id and 0 < enterprise_id <= MAX_ID \
        else None
    answered = enterprise is not None and any(q.organization_id == enterprise.id for q in request.quotes)
    if enterprise is None or not (answered or enterprise_may_quote(enterprise, request)):
        raise NotAllowed(_("This enterprise is not part of this purchase request."))
    return enterprise.id


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


# --- purchase requests ---

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


# --- quotes ---

def quote_of(request: PurchaseRequest, organization_id: int) -> Quote | None:
    return next((q for q in request.quotes if q.organization_id == organization_id), None)


def _check_can_answer(actor, request: PurchaseRequest) -> None:
    if not can_submit_quote(actor, request):
        raise NotAllowed(_("This request is not addressed to your enterprise."))
    if request.status != "open":
        raise InvalidTransition(_("This request no longer accepts quotes."))
    if request.deadline_passed:
        raise InvalidTransition(_("The quote deadline has passed."))


def submit_quote(actor, request: PurchaseRequest, *, prices: dict[int, int], valid_until: date | None,
                 lead_time_days: int | None, notes: str, attachments=()) -> Quote:
    """Send a quote, or a new revision of it; totals are computed here, in integer won."""
    _check_can_answer(actor, request)
    lines = []
    for item in request.items:
        price = prices.get(item.id)
        if price is None or not isinstance(price, int) or price < 0:
            raise ValidationFailed(_("Give a unit price in whole won for every item."))
        lines.append(QuoteLine(item_id=item.id, quantity=item.quantity, unit_price_krw=price,
                               amount_krw=price * item.quantity))
    if valid_until is not None and valid_until < seoul_today():
        raise ValidationFailed(_("The quote cannot expire in the past."))
    supply = sum(line.amount_krw for line in lines)
    vat = vat_on(supply)
    quote = quote_of(request, actor.organization_id)
    if quote is None:
        quote = Quote(request=request, organization_id=actor.organization_id)
        db.session.add(quote)
    elif quote.status == "declined":
        quote.decline_reason = None
    quote.status = "submitted"
    quote.revision_count = (quote.revision_count or 0) + 1
    quote.supply_krw, quote.vat_krw, quote.total_krw = supply, vat, supply + vat
    quote.valid_until, quote.lead_time_days, quote.notes = valid_until, lead_time_days, notes.strip()
    quote.submitted_at = utcnow()
    quote.revisions.append(QuoteRevision(number=quote.revision_count, created_by_id=actor.id, supply_krw=supply,
                                         vat_krw=vat, total_krw=supply + vat, valid_until=valid_until,
                                         lead_time_days=lead_time_days, notes=quote.notes, lines=lines))
    db.session.flush()
    audit.record(actor, "quote.submit", quote, after={"revision": quote.revision_count, "total_krw": quote.total_krw})
    attach_files(actor, attachments, quote_id=quote.id)
    notifications.quote_submitted(quote, actor, None)
    return quote


def decline_request(actor, request: PurchaseRequest, reason: str) -> Quote:
    _check_can_answer(actor, request)
    if not (reason or "").strip():
        raise ValidationFailed(_("Please give a reason."))
    quote = quote_of(request, actor.organization_id)
    if quote is not None and quote.status != "submitted":
        raise InvalidTransition(_("You have already answered this request."))
    if quote is None:
        quote = Quote(request=request, organization_id=actor.organization_id)
        db.session.add(quote)
    quote.status, quote.decline_reason = "declined", reason.strip()
    quote.supply_krw = quote.vat_krw = quote.total_krw = 0
    db.session.flush()
    audit.record(actor, "quote.decline", quote, note=quote.decline_reason)
    notifications.quote_declined(quote, actor, quote.decline_reason)
    return quote


def comparison(request: PurchaseRequest) -> list[tuple[Quote, QuoteRevision | None]]:
    """Submitted quotes side by side, cheapest first, each with its latest revision's lines."""
    quotes = [q for q in request.quotes if q.status in ("submitted", "accepted", "not_selected")]
    quotes.sort(key=lambda q: (q.total_krw, q.id))
    return [(q, q.revisions[-1] if q.revisions else None) for q in quotes]


def accept_quote(actor, quote: Quote) -> PurchaseOrder:
    """Award the request to this quote and place the purchase order. Exactly one quote can ever be accepted:
    the request moves from open to awarded in one conditional UPDATE, so a second click at the same moment
    finds nothing to update (and a partial unique index backs this up)."""
    request = quote.request
    if not can_award(actor, request):
        raise NotAllowed(_("Only the agency's people award its requests."))
    if quote.status != "submitted":
        raise InvalidTransition(_("This quote cannot be accepted."))
    if not can_compare(request):
        raise InvalidTransition(_("Quotes can be accepted after the deadline, or once every invited enterprise "
                                  "has answered."))
    claimed = db.session.execute(
        sa.update(PurchaseRequest).where(PurchaseRequest.id == request.id, PurchaseRequest.status == "open")
        .values(status="awarded").execution_options(synchronize_session=False))
    if claimed.rowcount != 1:
        raise InvalidTransition(_("This request has already been awarded or is no longer open."))
    audit.record(actor, "request.award", request, before={"status": "open"}, after={"status": "awarded"})
    request.status = "awarded"
    transition(QUOTE, quote, "accept", actor)
    for other in request.quotes:
        if other is not quote and other.status == "submitted":
            transition(QUOTE, other, "not_select", actor)
    revision = quote.revisions[-1]
    order = _place_order(
        actor, method="quote", enterprise=quote.organization, category=request.category, title=request.title,
        request=request, quote=quote, delivery_place=request.delivery_place, delivery_date=request.delivery_date,
        lines=[OrderLine(position=n, listing_id=line.item.listing_id, description=line.item.description,
                         unit=line.item.unit, quantity=line.quantity, unit_price_krw=line.unit_price_krw,
                         amount_krw=line.amount_krw) for n, line in enumerate(revision.lines)],
        supply=revision.supply_krw, vat=revision.vat_krw)
    for decided in request.quotes:
        if decided.status in ("accepted", "not_selected"):
            notifications.quote_decided(decided, order)
    return order


def _parties(agency: Organization, enterprise: Organization) -> dict:
    profile = enterprise.profile
    return {
        "agency": {"id": agency.id, "name": agency.name, "address": agency.address, "phone": agency.phone},
        "enterprise": {"id": enterprise.id, "name": enterprise.name, "address": enterprise.address,
                       "phone": enterprise.phone,
                       "business_number": profile.business_number if profile else None,
                       "representative": profile.representative if profile else None,
                       "certifications": valid_kinds_by_enterprise([enterprise.id]).get(enterprise.id, [])},
    }


def _place_order(actor, *, method: str, enterprise: Organization, category: str, title: str, lines, supply: int,
                 vat: int, request=None, quote=None, delivery_place: str = "", delivery_date=None,
                 ceiling: int | None = None) -> PurchaseOrder:
    order = PurchaseOrder(method=method, request=request, quote=quote, agency_id=actor.organization_id,
                          enterprise_id=enterprise.id, placed_by_id=actor.id, category=category, title=title[:120],
                          status="placed", supply_krw=supply, vat_krw=vat, total_krw=supply + vat,
                          ceiling_krw=ceiling, delivery_place=delivery_place, delivery_date=delivery_date,
                          parties=_parties(actor.organization, enterprise), lines=list(lines))
    db.session.add(order)
    db.session.flush()
    order.number = f"GS-{order.placed_at.year}-{order.id:06d}"
    audit.record(actor, "order.place", order, after={"number": order.number, "total_krw": order.total_krw,
                                                     "method": method})
    notifications.order_placed(order)
    return order


# --- direct orders (수의계약, 바로구매) and their ceilings ---

CEILING_LABELS = {
    "general": _l("General single-quote private contract (20,000,000 won)"),
    "social_vulnerable": _l("Social-economy enterprise employing %(share)d%% or more vulnerable workers", share=30),
    "women_owned": _l("Women-owned enterprise"),
    "disabled_owned": _l("Disability-owned enterprise"),
}


def ceiling_for(enterprise: Organization, day: date | None = None) -> tuple[int, str]:
    """The highest single-quote ceiling this enterprise qualifies for on `day`, and its basis."""
    day = day or seoul_today()
    rows = db.session.execute(
        sa.select(ContractCeiling.basis, ContractCeiling.amount_krw)
        .where(ContractCeiling.effective_from <= day,
               sa.or_(ContractCeiling.effective_to.is_(None), ContractCeiling.effective_to >= day))).all()
    amounts = dict(rows)
    held = set(valid_kinds_by_enterprise([enterprise.id], day).get(enterprise.id, []))
    profile = enterprise.profile
    share = profile.vulnerable_share_percent if profile else None
    qualifies = {"general": True,
                 "social_vulnerable": bool(held & set(kinds.SOCIAL_ECONOMY_KINDS)) and (share or 0) >= 30,
                 "women_owned": kinds.WOMEN_OWNED in held,
                 "disabled_owned": kinds.DISABLED_OWNED in held}
    best = max(((amounts[basis], basis) for basis, ok in qualifies.items() if ok and basis in amounts),
               default=(0, "general"))
    return best


def direct_order_totals(cart: list[tuple[Listing, int]]) -> tuple[list[OrderLine], int, int]:
    lines, supply_total, vat_total = [], 0, 0
    for n, (listing, quantity) in enumerate(cart):
        amount = listing.unit_price_krw * quantity
        supply, vat = split_vat_inclusive(amount) if listing.vat_included else (amount, vat_on(amount))
        lines.append(OrderLine(position=n, listing_id=listing.id, description=listing.title[:200], unit=listing.unit,
                               quantity=quantity, unit_price_krw=listing.unit_price_krw, amount_krw=amount))
        supply_total += supply
        vat_total += vat
    return lines, supply_total, vat_total


class CeilingExceeded(ValidationFailed):
    def __init__(self, message: str, ceiling: int, supply: int):
        super().__init__(message)
        self.ceiling, self.supply = ceiling, supply


def place_direct_order(actor, enterprise: Organization, cart: list[tuple[Listing, int]], *,
                       delivery_place: str, delivery_date: date | None) -> PurchaseOrder:
    if not can_buy(actor):
        raise NotAllowed(_("Only public agencies place orders."))
    if not cart:
        raise ValidationFailed(_("Choose at least one listing and a quantity."))
    for listing, quantity in cart:
        if listing.organization_id != enterprise.id or listing.status != "published" or not enterprise.is_approved:
            raise ValidationFailed(_("A direct order is for published listings of one enterprise."))
        if listing.unit_price_krw is None:
            raise ValidationFailed(_("“%(title)s” has no price: ask for a quote instead.", title=listing.title))
        if quantity < max(listing.min_order, 1):
            raise ValidationFailed(_("“%(title)s” has a minimum order of %(n)d.", title=listing.title,
                                     n=listing.min_order))
    lines, supply, vat = direct_order_totals(cart)
    ceiling, basis = ceiling_for(enterprise)
    if supply > ceiling:
        # The ceilings apply to the estimated price, which excludes VAT.
        raise CeilingExceeded(_("This order's estimated price (%(supply)s won, excluding VAT) is above the "
                                "single-quote private-contract ceiling of %(ceiling)s won for this enterprise. "
                                "At least two quotes are needed: send a purchase request instead.",
                                supply=f"{supply:,}", ceiling=f"{ceiling:,}"), ceiling, supply)
    categories = {listing.category for listing, _q in cart}
    category = categories.pop() if len(categories) == 1 else "goods"
    title = cart[0][0].title if len(cart) == 1 else _("%(title)s and %(n)d more", title=cart[0][0].title,
                                                        n=len(cart) - 1)
    return _place_order(actor, method="direct", enterprise=enterprise, category=category, title=title, lines=lines,
                        supply=supply, vat=vat, delivery_place=delivery_place, delivery_date=delivery_date,
                        ceiling=ceiling)


def seed_ceilings() -> int:
    """The ceilings in force since the 2024 amendment of the local-contract decree (data, not code)."""
    rows = [("general", 20_000_000), ("social_vulnerable", 50_000_000), ("women_owned", 50_000_000),
            ("disabled_owned", 50_000_000)]
    existing = set(db.session.scalars(sa.select(ContractCeiling.basis)))
    created = 0
    for basis, amount in rows:
        if basis not in existing:
            db.session.add(ContractCeiling(basis=basis, amount_krw=amount, effective_from=date(2024, 1, 1),
                                           legal_basis="지방자치단체를 당사자로 하는 계약에 관한 법률 시행령 제25조"))
            created += 1
    db.session.flush()
    return created


# --- orders ---

def move_order(actor, order: PurchaseOrder, action: str, note: str | None = None) -> None:
    transition(ORDER, order, action, actor, note)


# --- attached documents ---

MAX_FILES = 5


def attach_files(actor, storages, **owner) -> list[ProcurementFile]:
    """Check every uploaded file by its content first, then store them all (or, on error, none)."""
    uploads = [files.read_upload(s) for s in storages or () if s and getattr(s, "filename", None)]
    if len(uploads) > MAX_FILES:
        raise ValidationFailed(_("At most %(max)d files.", max=MAX_FILES))
    added = []
    for upload in uploads:
        stored_name = files.new_stored_name(upload.kind)
        files.write(db.session, upload, stored_name)
        document = ProcurementFile(stored_name=stored_name, original_name=upload.original_name, kind=upload.kind,
                                   size_bytes=upload.size, uploaded_by_id=actor.id, **owner)
        db.session.add(document)
        added.append(document)
    db.session.flush()
    for document in added:
        audit.record(actor, "file.upload", document, after={"name": document.original_name, **owner})
    return added


# --- messages and notifications ---

def request_conversations(request: PurchaseRequest, reader) -> list[tuple[Organization, list[Message]]]:
    """The buyer's conversations about a request: one per enterprise that wrote, the latest first."""
    by_enterprise: dict[int, list[Message]] = {}
    for message in thread_messages(thread_key("request", request.id), None, reader):
        by_enterprise.setdefault(message.enterprise_id, []).append(message)
    enterprises = {org.id: org for org in db.session.scalars(
        sa.select(Organization).where(Organization.id.in_(by_enterprise)))}
    return sorted(((enterprises[org_id], messages) for org_id, messages in by_enterprise.items()),
                  key=lambda pair: pair[1][-1].id, reverse=True)


def thread_key(kind: str, object_id: int) -> str:
    return f"{kind}:{object_id}"


def post_message(actor, *, thread: str, agency_id: int, enterprise_id: int, body: str,
                 attachments=()) -> Message:
    if actor.organization_id not in (agency_id, enterprise_id):
        raise NotAllowed(_("You are not part of this conversation."))
    body = (body or "").strip()
    if not body:
        raise ValidationFailed(_("Write a message."))
    message = Message(thread=thread, agency_id=agency_id, enterprise_id=enterprise_id, sender_id=actor.id,
                      body=body[:5000])
    db.session.add(message)
    db.session.flush()
    attach_files(actor, attachments, message_id=message.id)
    notifications.message_posted(message, actor)
    return message


def thread_messages(thread: str, enterprise_id: int | None, reader) -> list[Message]:
    """The messages of a thread with one enterprise (every enterprise's when None), marked read for `reader`."""
    stmt = sa.select(Message).where(Message.thread == thread)
    if enterprise_id is not None:
        stmt = stmt.where(Message.enterprise_id == enterprise_id)
    messages = db.session.scalars(stmt.order_by(Message.id).options(
        selectinload(Message.sender).selectinload(User.organization), selectinload(Message.files))).all()
    for message in messages:
        if message.read_at is None and message.sender.organization_id != reader.organization_id:
            message.read_at = utcnow()
    return messages


def unread_counts(user) -> dict[str, int]:
    """Unread messages and notifications for the navigation (two small indexed counts)."""
    org_id = user.organization_id
    column = Message.agency_id if user.is_agency_user else Message.enterprise_id
    messages = db.session.scalar(
        sa.select(sa.func.count()).select_from(Message).join(User, User.id == Message.sender_id)
        .where(column == org_id, Message.read_at.is_(None), User.organization_id != org_id))
    return {"messages": messages or 0, "notifications": unread_notifications(org_id)}


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
