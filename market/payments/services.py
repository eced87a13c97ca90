"""The rules of paying an order: who may pay how, when an order becomes paid, refunds and the ledger.

An order turns paid only from evidence: the enterprise's record of a bank transfer it received, or a
payment provider's verified event (acting as the system, actor None). Never from a browser's return page.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa
from sqlalchemy.orm import contains_eager, selectinload
from flask import current_app
from flask_babel import gettext as _

from market.accounts.models import Organization
from market.core import audit
from market.core.errors import DomainError, NotAllowed, ValidationFailed
from market.core.notifications import tell
from market.core.states import transition
from market.core.timeutil import seoul_today, to_seoul
from market.extensions import current_locale, db
from market.payments import gateway
from market.payments.banks import BY_CODE
from market.payments.models import LedgerEntry, Payment, PaymentAccount, ProviderEvent, Refund, TransferAccount
from market.payments.permissions import can_manage_payment_accounts, is_payee
from market.payments.states import PAYMENT, REFUND
from market.procurement.models import PurchaseOrder
from market.procurement.permissions import is_buyer
from market.procurement.states import ORDER

# Refunds are asked for when the deal went wrong after payment.
REFUNDABLE_ORDER_STATES = ("cancelled", "disputed")


class Refused(DomainError):
    """A provider event we will not apply (unknown payment, different amount): nothing changes."""


# --- reading ---

def payments_of(order: PurchaseOrder) -> list[Payment]:
    return db.session.scalars(sa.select(Payment).where(Payment.order_id == order.id)
                              .order_by(Payment.id.desc())).all()


def refunds_of(order: PurchaseOrder) -> list[Refund]:
    # The panel reads each refund's payment method: loaded with them, not one query per refund.
    return db.session.scalars(sa.select(Refund).where(Refund.order_id == order.id).order_by(Refund.id.desc())
                              .options(selectinload(Refund.payment))).all()


def pending_card_payment(order: PurchaseOrder) -> Payment | None:
    return db.session.scalar(sa.select(Payment).where(Payment.order_id == order.id, Payment.method == "card",
                                                      Payment.status == "pending").limit(1))


def succeeded_payment(order: PurchaseOrder) -> Payment | None:
    return db.session.scalar(sa.select(Payment).where(Payment.order_id == order.id, Payment.status == "succeeded"))


def account_of(organization: Organization) -> PaymentAccount | None:
    return db.session.scalar(sa.select(PaymentAccount).where(PaymentAccount.organization_id == organization.id,
                                                             PaymentAccount.provider == gateway.PROVIDER))


@dataclass
class CardOption:
    """Whether the buyer can pay this order by card now, and if not, why (shown next to the button)."""

    available: bool
    reason: str = ""


def card_option(order: PurchaseOrder) -> CardOption:
    if not gateway.configured():
        return CardOption(False, _("Card payments are not configured on this site; please pay by bank transfer."))
    account = account_of(order.enterprise)
    if not account or not account.ready:
        return CardOption(False, _("This enterprise does not accept card payments yet; please pay by bank "
                                   "transfer."))
    return CardOption(True)


def open_refund_krw(payment: Payment) -> int:
    """Asked for or being refunded, not yet refunded: counts against what may still be asked for."""
    return db.session.scalar(sa.select(sa.func.coalesce(sa.func.sum(Refund.amount_krw), 0))
                             .where(Refund.payment_id == payment.id,
                                    Refund.status.in_(("requested", "processing")))) or 0


def ledger(scope_organization: Organization | None = None):
    """The ledger, newest first; for one organisation (its orders, either side) or, for the city, all."""
    stmt = (sa.select(LedgerEntry).join(LedgerEntry.order).options(contains_eager(LedgerEntry.order))
            .order_by(LedgerEntry.occurred_on.desc(), LedgerEntry.id.desc()))
    if scope_organization is not None:
        stmt = stmt.where(sa.or_(PurchaseOrder.agency_id == scope_organization.id,
                                 PurchaseOrder.enterprise_id == scope_organization.id))
    return stmt


# --- enterprises connect an account ---

def connect_account(actor, refresh_url: str, return_url: str) -> str:
    """The onboarding address for the actor's enterprise (creating its account at the provider once)."""
    if not can_manage_payment_accounts(actor):
        raise NotAllowed(_("Only an enterprise's manager connects its payment account."))
    account = account_of(actor.organization)
    if account is None:
        status = gateway.create_account(actor.email, actor.organization.name)
        account = PaymentAccount(organization_id=actor.organization_id, provider=gateway.PROVIDER,
                                 account_ref=status.ref)
        db.session.add(account)
        _apply_account_status(account, status)
        audit.record(actor, "payment_account.create", account, after={"provider": gateway.PROVIDER})
    return gateway.onboarding_link(account.account_ref, refresh_url, return_url)


def transfer_account_of(organization: Organization) -> TransferAccount | None:
    return db.session.scalar(sa.select(TransferAccount).where(TransferAccount.organization_id == organization.id))


def save_transfer_account(actor, *, bank_code: str, account_number: str, holder: str) -> TransferAccount:
    """Set the enterprise's account for bank transfers: its manager only, audited, and every person of the
    enterprise told (someone else changing it is what they must notice)."""
    if not can_manage_payment_accounts(actor):
        raise NotAllowed(_("Only an enterprise's manager sets its bank account."))
    if bank_code not in BY_CODE:
        raise ValidationFailed(_("Choose the bank from the list."))
    account = transfer_account_of(actor.organization)
    before = _transfer_account_facts(account) if account else None
    if account is None:
        account = TransferAccount(organization_id=actor.organization_id)
        db.session.add(account)
    account.bank_code, account.account_number, account.holder = bank_code, account_number.strip(), holder.strip()
    account.updated_by_id = actor.id
    after = _transfer_account_facts(account)
    if after == before:
        return account
    audit.record(actor, "transfer_account.update" if before else "transfer_account.create", account,
                 before=before, after=after)
    tell(actor.organization, lambda: _("%(person)s set your bank account for transfers to %(bank)s %(number)s "
                                       "(%(holder)s). If this was not your enterprise, tell the support center.",
                                       person=actor.name, bank=account.bank.name(current_locale()),
                                       number=account.account_number, holder=account.holder),
         "payments.account")
    return account


def _transfer_account_facts(account: TransferAccount) -> dict:
    return {"bank_code": account.bank_code, "account_number": account.account_number, "holder": account.holder}


def refresh_account(actor) -> PaymentAccount | None:
    account = account_of(actor.organization)
    if account is not None:
        _apply_account_status(account, gateway.fetch_account(account.account_ref))
    return account


def _apply_account_status(account: PaymentAccount, status: gateway.AccountStatus) -> None:
    account.charges_enabled = status.charges_enabled
    account.payouts_enabled = status.payouts_enabled
    account.details_submitted = status.details_submitted
    db.session.flush()


# --- paying ---

def payable_problem(order: PurchaseOrder) -> str | None:
    """Why the order cannot be paid now, or None."""
    if succeeded_payment(order):
        return _("This order has already been paid.")
    if order.status != "invoiced":
        return _("An order is paid once the enterprise has invoiced it.")
    return None


def refund_problem(order: PurchaseOrder) -> str | None:
    """Why no refund can be asked for on the order now, or None."""
    if succeeded_payment(order) is None:
        return _("This order has not been paid, so there is nothing to refund.")
    if order.status not in REFUNDABLE_ORDER_STATES:
        return _("A refund is asked for on a cancelled or disputed order that was paid: raise a dispute on the "
                 "order first.")
    return None


def _check_payable(order: PurchaseOrder) -> None:
    problem = payable_problem(order)
    if problem:
        raise ValidationFailed(problem)


def start_card_payment(actor, order: PurchaseOrder, success_url: str, cancel_url: str) -> str:
    """Open a hosted checkout for the order's total; returns its address. The order stays unpaid until the
    provider's verified event says the money was taken."""
    if not is_buyer(actor, order):
        raise NotAllowed(_("Only the buying agency pays its orders."))
    _check_payable(order)
    option = card_option(order)
    if not option.available:
        raise ValidationFailed(option.reason)
    for earlier in db.session.scalars(sa.select(Payment).where(Payment.order_id == order.id,
                                                               Payment.status == "pending",
                                                               Payment.method == "card")):
        # One open checkout per order, so the order cannot be paid twice from two browser tabs.
        if earlier.session_ref and not gateway.expire_checkout(earlier.session_ref):
            raise ValidationFailed(_("A card payment for this order is being confirmed. Please wait a moment "
                                     "and reload the order."))
        transition(PAYMENT, earlier, "expire", None, _("Replaced by a new attempt."))
    currency = current_app.config["PAYMENT_CURRENCY"]
    fee = order.total_krw * current_app.config["PLATFORM_FEE_BASIS_POINTS"] // 10_000
    payment = Payment(order_id=order.id, method="card", provider=gateway.PROVIDER, amount_krw=order.total_krw,
                      fee_krw=fee, currency=currency, created_by_id=actor.id)
    db.session.add(payment)
    db.session.flush()
    checkout = gateway.start_checkout(
        payment_id=payment.id, order_id=order.id, title=f"{order.number} {order.title}", amount=payment.amount_krw,
        currency=currency, fee=fee, destination=account_of(order.enterprise).account_ref,
        success_url=success_url, cancel_url=cancel_url)
    payment.session_ref, payment.checkout_url = checkout.ref, checkout.url
    audit.record(actor, "payment.start", payment, after={"method": "card", "amount_krw": payment.amount_krw})
    return checkout.url


def record_transfer(actor, order: PurchaseOrder, received_on: date, amount_krw: int, reference: str) -> Payment:
    """The enterprise records a bank transfer it received; the amount must be the order's total."""
    if not is_payee(actor, order):
        raise NotAllowed(_("Only the enterprise that was paid records a transfer."))
    _check_payable(order)
    if amount_krw != order.total_krw:
        raise ValidationFailed(_("The amount received (%(received)s won) differs from the order total "
                                 "(%(total)s won). Record the transfer once the full amount has arrived, or talk "
                                 "to the buyer.", received=f"{amount_krw:,}", total=f"{order.total_krw:,}"))
    if received_on > seoul_today():
        raise ValidationFailed(_("The date received cannot be in the future."))
    if received_on < order.contract_date:
        raise ValidationFailed(_("The date received cannot be before the order was placed."))
    payment = Payment(order_id=order.id, method="transfer", amount_krw=amount_krw, currency="KRW",
                      reference=reference.strip()[:100], created_by_id=actor.id)
    db.session.add(payment)
    db.session.flush()
    _succeed(payment, actor, received_on)
    return payment


def _succeed(payment: Payment, actor, paid_on: date) -> None:
    transition(PAYMENT, payment, "succeed", actor)
    payment.paid_on = paid_on
    _ledger(payment, "charge", payment.amount_krw, paid_on, payment.intent_ref)
    if payment.method == "card":
        if payment.fee_krw:
            _ledger(payment, "fee", payment.fee_krw, paid_on, payment.intent_ref)
        # A destination charge routes the rest to the enterprise's account at once.
        _ledger(payment, "payout", payment.amount_krw - payment.fee_krw, paid_on, payment.intent_ref)
    order = payment.order
    if order.status == "invoiced":
        transition(ORDER, order, "pay", actor)
    if actor is None:  # a card payment: the enterprise learns of it here (it recorded a transfer itself)
        tell(order.enterprise, lambda: _("Payment of %(amount)s won received for purchase order %(number)s.",
                                         amount=f"{payment.amount_krw:,}", number=order.number),
             "procurement.order_detail", order_id=order.id)
    db.session.flush()


def _ledger(payment: Payment, kind: str, amount: int, on: date, provider_ref: str | None,
            refund: Refund | None = None) -> None:
    db.session.add(LedgerEntry(order_id=payment.order_id, payment_id=payment.id, refund_id=refund.id if refund else None,
                               kind=kind, amount_krw=amount, provider=payment.provider, provider_ref=provider_ref,
                               occurred_on=on))


# --- refunds ---

def request_refund(actor, order: PurchaseOrder, amount_krw: int, reason: str) -> Refund:
    if not is_buyer(actor, order):
        raise NotAllowed(_("Only the buying agency asks for a refund."))
    problem = refund_problem(order)
    if problem:
        raise ValidationFailed(problem)
    payment = succeeded_payment(order)
    available = payment.refundable_krw - open_refund_krw(payment)
    if not 0 < amount_krw <= available:
        raise ValidationFailed(_("A refund is between 1 and %(max)s won for this order.", max=f"{available:,}"))
    if not reason.strip():
        raise ValidationFailed(_("Please give a reason."))
    refund = Refund(payment_id=payment.id, order_id=order.id, amount_krw=amount_krw, reason=reason.strip(),
                    requested_by_id=actor.id)
    db.session.add(refund)
    db.session.flush()
    audit.record(actor, "refund.request", refund, after={"amount_krw": amount_krw}, note=refund.reason)
    tell(order.enterprise, lambda: _("%(agency)s asks for a refund of %(amount)s won on purchase order %(number)s.",
                                     agency=order.agency.name, amount=f"{amount_krw:,}", number=order.number),
         "procurement.order_detail", note=refund.reason, order_id=order.id)
    return refund


def decide_refund(actor, refund: Refund, decision: str, note: str | None = None) -> None:
    """The enterprise approves (a card refund then goes through the provider; a transfer refund the enterprise
    sends itself, then says so with "sent"), or refuses with a reason."""
    order = refund.order
    if decision == "reject":
        transition(REFUND, refund, "reject", actor, note)
        refund.decision_note = (note or "").strip()
    elif decision == "approve":
        transition(REFUND, refund, "approve", actor, note)
        payment = refund.payment
        if payment.method == "card":
            refund.provider_ref = gateway.refund(payment.intent_ref, refund.amount_krw, payment.currency, refund.id)
    elif decision == "sent":
        if refund.payment.method == "card":
            raise ValidationFailed(_("A card refund completes when the payment service confirms it."))
        _complete_refund(refund, actor, seoul_today())
    else:
        raise ValidationFailed(_("Unknown decision."))
    tell(order.agency, lambda: _("Refund of %(amount)s won on purchase order %(number)s: %(state)s.",
                                 amount=f"{refund.amount_krw:,}", number=order.number,
                                 state=REFUND.state(refund.status).label),
         "procurement.order_detail", note=note, order_id=order.id)
    db.session.flush()


def _complete_refund(refund: Refund, actor, on: date) -> None:
    transition(REFUND, refund, "complete", actor)
    refund.refunded_on = on
    payment = refund.payment
    payment.refunded_krw += refund.amount_krw
    _ledger(payment, "refund", refund.amount_krw, on, refund.provider_ref, refund)


# --- provider events ---

def handle_notice(notice: gateway.Notice, provider: str = gateway.PROVIDER) -> str:
    """Apply a verified event once. Returns what happened (kept with the event); raises Refused to change
    nothing. The caller commits; a concurrent duplicate then fails on the event's unique key."""
    if db.session.scalar(sa.select(ProviderEvent.id).where(ProviderEvent.provider == provider,
                                                           ProviderEvent.event_ref == notice.ref)):
        return "duplicate"
    handler = _HANDLERS.get(notice.kind)
    outcome = handler(notice) if handler else "ignored"
    db.session.add(ProviderEvent(provider=provider, event_ref=notice.ref, kind=notice.raw_type or notice.kind,
                                 outcome=outcome[:200]))
    db.session.flush()
    return outcome


def _payment_for(notice: gateway.Notice) -> Payment | None:
    if notice.session_ref:
        found = db.session.scalar(sa.select(Payment).where(Payment.session_ref == notice.session_ref))
        if found:
            return found
    if notice.intent_ref:
        found = db.session.scalar(sa.select(Payment).where(Payment.intent_ref == notice.intent_ref))
        if found:
            return found
    if notice.payment_id and not notice.session_ref:
        return db.session.get(Payment, notice.payment_id)
    return None


def _on_checkout_completed(notice: gateway.Notice) -> str:
    payment = _payment_for(notice)
    if payment is None:
        raise Refused(f"no payment for checkout {notice.session_ref}")
    if notice.amount != payment.amount_krw or (notice.currency or "") != payment.currency:
        raise Refused(f"amount {notice.amount} {notice.currency} differs from payment {payment.id}: "
                      f"{payment.amount_krw} {payment.currency}")
    if not notice.paid:
        return "awaiting payment"
    if payment.status == "succeeded":
        return "already paid"
    if succeeded_payment(payment.order):
        raise Refused(f"order {payment.order_id} is already paid by another payment")
    payment.intent_ref = notice.intent_ref
    _succeed(payment, None, to_seoul(notice.occurred_at).date())
    return f"payment {payment.id} succeeded"


def _on_checkout_expired(notice: gateway.Notice) -> str:
    payment = _payment_for(notice)
    if payment is None or payment.status != "pending":
        return "nothing to expire"
    transition(PAYMENT, payment, "expire", None)
    return f"payment {payment.id} expired"


def _on_payment_failed(notice: gateway.Notice) -> str:
    payment = _payment_for(notice)
    if payment is None or payment.status != "pending":
        return "nothing to fail"
    payment.failure = notice.failure
    transition(PAYMENT, payment, "fail", None, notice.failure or None)
    tell(payment.order.agency, lambda: _("The card payment for purchase order %(number)s failed. You can try "
                                         "again.", number=payment.order.number),
         "procurement.order_detail", note=notice.failure or None, order_id=payment.order_id)
    return f"payment {payment.id} failed"


def _on_refunded(notice: gateway.Notice) -> str:
    """The provider's running total of what was refunded on the charge: complete our refunds up to it, in the
    order they were approved; anything beyond (a refund made at the provider directly) is recorded too."""
    payment = _payment_for(notice)
    if payment is None:
        raise Refused(f"no payment for intent {notice.intent_ref}")
    target = min(notice.amount_refunded or 0, payment.amount_krw)
    if target <= payment.refunded_krw:
        return "already refunded"
    on = to_seoul(notice.occurred_at).date()
    for refund in db.session.scalars(sa.select(Refund).where(Refund.payment_id == payment.id,
                                                             Refund.status == "processing").order_by(Refund.id)):
        if payment.refunded_krw + refund.amount_krw > target:
            break
        _complete_refund(refund, None, on)
    rest = target - payment.refunded_krw
    if rest > 0:
        refund = Refund(payment_id=payment.id, order_id=payment.order_id, amount_krw=rest, status="processing",
                        reason=_("Refunded at the payment provider."))
        db.session.add(refund)
        db.session.flush()
        _complete_refund(refund, None, on)
    return f"payment {payment.id} refunded {payment.refunded_krw}"


def _on_account_updated(notice: gateway.Notice) -> str:
    account = db.session.scalar(sa.select(PaymentAccount).where(PaymentAccount.account_ref == notice.account.ref))
    if account is None:
        return "unknown account"
    _apply_account_status(account, notice.account)
    return f"account {account.id} updated"


_HANDLERS = {
    "checkout_completed": _on_checkout_completed,
    "checkout_expired": _on_checkout_expired,
    "payment_failed": _on_payment_failed,
    "refunded": _on_refunded,
    "account_updated": _on_account_updated,
}
