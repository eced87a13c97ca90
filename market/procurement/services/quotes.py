"""Quotes: sent (every revision kept) or declined by the enterprises, compared and awarded by the buyer."""
from __future__ import annotations

from datetime import date

import sqlalchemy as sa
from flask_babel import gettext as _

from market.core import audit
from market.core.errors import InvalidTransition, NotAllowed, ValidationFailed
from market.core.money import vat_on
from market.core.states import transition
from market.core.timeutil import seoul_today, utcnow
from market.extensions import db
from market.procurement import notifications
from market.procurement.models import OrderLine, PurchaseOrder, PurchaseRequest, Quote, QuoteLine, QuoteRevision
from market.procurement.permissions import can_award, can_compare, can_submit_quote
from market.procurement.services.documents import attach_files
from market.procurement.services.orders import place_order
from market.procurement.states import QUOTE


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
    order = place_order(
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
