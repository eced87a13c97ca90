"""What the buying workflows tell each side (through market.core.notifications)."""
from __future__ import annotations

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.orm import selectinload

from market.accounts.models import Organization
from market.catalog.models import EnterpriseProfile, enterprise_industry
from market.catalog.services import public_enterprises
from market.core.notifications import tell
from market.extensions import db
from market.procurement.models import PurchaseRequest
from market.procurement.states import ORDER, REQUEST


def request_audience(request: PurchaseRequest) -> list[Organization]:
    """The enterprises a request is addressed to."""
    if request.audience == "invited":
        return [r.organization for r in request.recipients]
    secondary = sa.select(enterprise_industry.c.organization_id).where(
        enterprise_industry.c.industry_id == request.industry_id)
    return db.session.scalars(
        public_enterprises().join(EnterpriseProfile, EnterpriseProfile.organization_id == Organization.id)
        .where(sa.or_(EnterpriseProfile.main_industry_id == request.industry_id, Organization.id.in_(secondary)))
        .options(selectinload(Organization.users))).all()


def request_sent(request, actor, note) -> None:
    for enterprise in request_audience(request):
        tell(enterprise, lambda: _("New purchase request from %(agency)s: %(title)s", agency=request.agency.name,
                                   title=request.title), "procurement.request_detail", request_id=request.id)


def request_amended(request, actor, note) -> None:
    for enterprise in request_audience(request):
        tell(enterprise, lambda: _("The purchase request “%(title)s” has been amended.", title=request.title),
             "procurement.request_detail", note=note, request_id=request.id)


def request_withdrawn(request, actor, note) -> None:
    for enterprise in request_audience(request):
        tell(enterprise, lambda: _("The purchase request “%(title)s” has been withdrawn.", title=request.title),
             "procurement.request_detail", note=note, request_id=request.id)


def request_closed(request, actor, note) -> None:
    for quote in request.quotes:
        if quote.status == "submitted":
            tell(quote.organization, lambda: _("“%(title)s” was closed without an award.", title=request.title),
                 "procurement.request_detail", request_id=request.id)


def quote_submitted(quote, actor, note) -> None:
    request = quote.request
    tell(request.agency, lambda: _("%(enterprise)s sent a quote for “%(title)s” (revision %(n)d).",
                                   enterprise=quote.organization.name, title=request.title, n=quote.revision_count),
         "procurement.request_detail", request_id=request.id)


def quote_declined(quote, actor, note) -> None:
    request = quote.request
    tell(request.agency, lambda: _("%(enterprise)s declined to quote for “%(title)s”.",
                                   enterprise=quote.organization.name, title=request.title),
         "procurement.request_detail", note=note, request_id=request.id)


def quote_decided(quote, order) -> None:
    request = quote.request
    if quote.status == "accepted":
        tell(quote.organization, lambda: _("Your quote for “%(title)s” was accepted: purchase order %(number)s.",
                                           title=request.title, number=order.number),
             "procurement.order_detail", order_id=order.id)
    else:
        tell(quote.organization, lambda: _("Your quote for “%(title)s” was not selected.", title=request.title),
             "procurement.request_detail", request_id=request.id)


def order_placed(order) -> None:
    tell(order.enterprise, lambda: _("New purchase order %(number)s from %(agency)s: please confirm it.",
                                     number=order.number, agency=order.agency.name),
         "procurement.order_detail", order_id=order.id)


def order_moved(order, actor, note) -> None:
    # The system (a payment provider's verified event) tells both sides; a person tells the other side.
    if actor is None:
        others = [order.agency, order.enterprise]
    else:
        others = [order.enterprise if actor.organization_id == order.agency_id else order.agency]
    for other in others:
        tell(other, lambda: _("Purchase order %(number)s is now: %(state)s.", number=order.number,
                              state=ORDER.state(order.status).label),
             "procurement.order_detail", note=note, order_id=order.id)


def message_posted(message, actor) -> None:
    """The other side of the conversation is told (and so counts it as unread in its navigation)."""
    kind, object_id = message.thread.split(":")
    other = db.session.get(Organization, message.enterprise_id if actor.organization_id == message.agency_id
                           else message.agency_id)
    endpoint, key = ("procurement.order_detail", "order_id") if kind == "order" else \
        ("procurement.request_detail", "request_id")
    tell(other, lambda: _("New message from %(organization)s.", organization=actor.organization.name),
         endpoint, **{key: int(object_id)})


REQUEST.on("send", notify=request_sent)
REQUEST.on("withdraw", notify=request_withdrawn)
REQUEST.on("close", notify=request_closed)
ORDER.on("confirm", "decline", "cancel", "deliver", "inspect", "reject", "invoice", "pay", "dispute", "settle",
         notify=order_moved)
