"""Who may do what with payments: one named rule per action, used by the views, the services, the state tables
(payments, refunds) and the templates alike. The buyer is procurement's `is_buyer`; the enterprise paid is
the order's supplier."""
from __future__ import annotations

from market.core.permissions import is_city_admin, signed_in
from market.procurement.models import PurchaseOrder
from market.procurement.permissions import is_buyer, is_supplier, is_supplier_or_system


def _order(subject) -> PurchaseOrder:
    """`subject`: the order, or one of its payments or refunds."""
    return subject if isinstance(subject, PurchaseOrder) else subject.order


def is_payee(user, subject) -> bool:
    """A person of the enterprise paid for the order."""
    return is_supplier(user, _order(subject))


def is_payee_or_system(user, subject) -> bool:
    """A transfer's receipt is recorded by the enterprise; a card payment only from the provider's event."""
    return is_supplier_or_system(user, _order(subject))


def can_view_payments(user, order: PurchaseOrder) -> bool:
    return is_buyer(user, order) or is_payee(user, order) or is_city_admin(user)


def can_manage_payment_accounts(user) -> bool:
    """An enterprise's manager connects its card-payment account and sets its bank account for transfers."""
    return signed_in(user) and user.is_enterprise_user and user.is_manager
