"""Who may do what in buying: one named rule per action, used by the views, the services, the state tables and
the templates alike. A subject is a purchase request, a quote or a purchase order."""
from __future__ import annotations

from market.accounts.models import Organization
from market.core.permissions import is_city_admin, signed_in
from market.extensions import db
from market.procurement.models import Message, ProcurementFile, PurchaseOrder, PurchaseRequest, Quote


def is_buyer_of(user, agency_id: int) -> bool:
    """A person of this agency."""
    return signed_in(user) and user.is_agency_user and user.organization_id == agency_id


def can_buy(user) -> bool:
    """A person of an approved public agency sends purchase requests and places direct orders."""
    return signed_in(user) and user.is_agency_user and user.organization.is_approved


def enterprise_may_quote(organization: Organization, request: PurchaseRequest) -> bool:
    if not organization.is_enterprise or not organization.is_approved:
        return False
    if request.audience == "invited":
        return any(r.organization_id == organization.id for r in request.recipients)
    profile = organization.profile
    industries = {profile.main_industry_id, *(i.id for i in profile.secondary_industries)} if profile else set()
    return request.industry_id in industries


def is_buyer(user, subject) -> bool:
    """A person of the agency that owns the request or order (a quote's request)."""
    agency_id = getattr(subject, "agency_id", None) or subject.request.agency_id
    return is_buyer_of(user, agency_id)


def is_supplier(user, subject) -> bool:
    """A person of the enterprise that quoted or supplies."""
    enterprise_id = getattr(subject, "enterprise_id", None) or subject.organization_id
    return signed_in(user) and user.is_enterprise_user and user.organization_id == enterprise_id


def is_party(user, subject) -> bool:
    """Either side of an order."""
    return is_buyer(user, subject) or is_supplier(user, subject)


def is_supplier_or_system(user, subject) -> bool:
    """Payment is a fact: the enterprise that received a transfer, or the system on a provider's verified event."""
    return user is None or is_supplier(user, subject)


def can_view_request(user, request: PurchaseRequest) -> bool:
    if not signed_in(user):
        return False
    if user.is_city_admin or is_buyer_of(user, request.agency_id):
        return True
    if user.is_enterprise_user and request.status != "draft":
        answered = any(q.organization_id == user.organization_id for q in request.quotes)
        return answered or enterprise_may_quote(user.organization, request)
    return False


def can_submit_quote(user, request: PurchaseRequest) -> bool:
    """A person of an enterprise the request is addressed to quotes, or declines to (while the request is
    open and before its deadline: the services say so in their own words)."""
    return signed_in(user) and user.is_enterprise_user and enterprise_may_quote(user.organization, request)


def can_award(user, request: PurchaseRequest) -> bool:
    """The buyer accepts one quote (once quotes may be compared)."""
    return is_buyer(user, request)


def can_see_quotes(user, request: PurchaseRequest) -> bool:
    """The buyer and the support center compare the quotes, once they are opened."""
    return is_buyer(user, request) or is_city_admin(user)


def can_view_order(user, order: PurchaseOrder) -> bool:
    return signed_in(user) and (user.is_city_admin or user.organization_id in (order.agency_id, order.enterprise_id))


def all_invited_answered(request: PurchaseRequest) -> bool:
    if request.audience != "invited":
        return False
    answered = {q.organization_id for q in request.quotes}
    return all(r.organization_id in answered for r in request.recipients)


def can_compare(request: PurchaseRequest) -> bool:
    """Quotes are opened after the deadline, or earlier when every invited enterprise has answered."""
    return request.status != "draft" and (request.deadline_passed or all_invited_answered(request))


def can_download_file(user, document: ProcurementFile) -> bool:
    """A request's documents go to whoever may see the request; a quote's to its enterprise and, once quotes
    are opened, to the buyer; a message's to the two sides of the conversation."""
    if not signed_in(user):
        return False
    if document.request_id:
        return can_view_request(user, db.session.get(PurchaseRequest, document.request_id))
    if document.quote_id:
        quote = db.session.get(Quote, document.quote_id)
        if user.is_city_admin or user.organization_id == quote.organization_id:
            return True
        return is_buyer_of(user, quote.request.agency_id) and can_compare(quote.request)
    message = db.session.get(Message, document.message_id)
    return user.organization_id in (message.agency_id, message.enterprise_id)
