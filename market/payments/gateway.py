"""The only code that talks to the payment provider (Stripe).

Everything else speaks the neutral language below (`Checkout`, `AccountStatus`, `Notice`), so a Korean
provider can be added beside this module later without touching orders, payments' rules or reports.
Amounts cross this boundary in whole won: KRW is a zero-decimal currency and is never multiplied by 100.
"""
from __future__ import annotations

import json
import logging
import time
from dataclasses import dataclass
from datetime import datetime, timezone
from urllib.parse import urlsplit

import stripe
from flask import current_app
from flask_babel import gettext as _

from market.core.errors import DomainError

PROVIDER = "stripe"
log = logging.getLogger(__name__)

# Stripe's zero-decimal currencies: the amount is already in the smallest unit.
ZERO_DECIMAL = {"BIF", "CLP", "DJF", "GNF", "JPY", "KMF", "KRW", "MGA", "PYG", "RWF", "UGX", "VND", "VUV", "XAF",
                "XOF", "XPF"}


class GatewayError(DomainError):
    """The provider could not be reached or refused the call; nothing was changed on our side."""

    status = 502


class SignatureError(Exception):
    """A webhook whose signature, or timestamp, does not check out."""


@dataclass(frozen=True)
class Checkout:
    ref: str
    url: str


@dataclass(frozen=True)
class AccountStatus:
    ref: str
    charges_enabled: bool = False
    payouts_enabled: bool = False
    details_submitted: bool = False


@dataclass(frozen=True)
class Notice:
    """A verified provider event, in our words. `kind` is one of KINDS, or "other" for events we ignore."""

    ref: str
    kind: str
    occurred_at: datetime
    session_ref: str | None = None
    intent_ref: str | None = None
    payment_id: int | None = None
    amount: int | None = None
    currency: str | None = None
    paid: bool = False
    failure: str = ""
    amount_refunded: int | None = None
    account: AccountStatus | None = None
    raw_type: str = ""


KINDS = {
    "checkout.session.completed": "checkout_completed",
    "checkout.session.expired": "checkout_expired",
    "payment_intent.payment_failed": "payment_failed",
    "charge.refunded": "refunded",
    "account.updated": "account_updated",
}


def configured() -> bool:
    return bool(current_app.config.get("STRIPE_SECRET_KEY"))


def page_origins() -> list[str]:
    """Where the provider's hosted pages (Checkout, Connect onboarding) live: a form's answer redirects there.
    A fake provider (STRIPE_API_BASE, in the tests) serves them itself."""
    if not configured():
        return []
    base = current_app.config.get("STRIPE_API_BASE")
    if base:
        parts = urlsplit(base)
        return [f"{parts.scheme}://{parts.netloc}"]
    return ["https://checkout.stripe.com", "https://connect.stripe.com"]


def webhook_configured() -> bool:
    return bool(current_app.config.get("STRIPE_WEBHOOK_SECRET"))


def to_minor(amount: int, currency: str) -> int:
    return amount if currency.upper() in ZERO_DECIMAL else amount * 100


def from_minor(amount: int, currency: str) -> int:
    return amount if currency.upper() in ZERO_DECIMAL else amount // 100


def _client() -> stripe.StripeClient:
    base = current_app.config.get("STRIPE_API_BASE")
    return stripe.StripeClient(current_app.config["STRIPE_SECRET_KEY"],
                               base_addresses={"api": base} if base else None, max_network_retries=2)


def _call(operation, *args, **kwargs):
    if not configured():
        raise GatewayError(_("Card payments are not configured on this site."))
    try:
        return operation(_client(), *args, **kwargs)
    except stripe.StripeError as error:
        log.warning("Stripe call failed: %s", error)
        raise GatewayError(_("The card payment service could not complete this just now. Nothing was charged; "
                             "please try again in a moment.")) from error


def create_account(email: str, business_name: str) -> AccountStatus:
    account = _call(lambda c: c.v1.accounts.create(params={
        "type": "express", "email": email, "business_profile": {"name": business_name},
        "capabilities": {"card_payments": {"requested": True}, "transfers": {"requested": True}}}))
    return _account_status(account)


def fetch_account(ref: str) -> AccountStatus:
    return _account_status(_call(lambda c: c.v1.accounts.retrieve(ref)))


def onboarding_link(account_ref: str, refresh_url: str, return_url: str) -> str:
    link = _call(lambda c: c.v1.account_links.create(params={
        "account": account_ref, "refresh_url": refresh_url, "return_url": return_url,
        "type": "account_onboarding"}))
    return link["url"]


def start_checkout(*, payment_id: int, order_id: int, title: str, amount: int, currency: str, fee: int,
                   destination: str, success_url: str, cancel_url: str) -> Checkout:
    """A hosted checkout for one order: a destination charge, so the money goes to the enterprise's account."""
    metadata = {"payment_id": str(payment_id), "order_id": str(order_id)}
    intent = {"transfer_data": {"destination": destination}, "metadata": metadata}
    if fee:
        intent["application_fee_amount"] = to_minor(fee, currency)
    session = _call(lambda c: c.v1.checkout.sessions.create(params={
        "mode": "payment", "client_reference_id": str(order_id), "metadata": metadata,
        "line_items": [{"quantity": 1, "price_data": {
            "currency": currency.lower(), "unit_amount": to_minor(amount, currency),
            "product_data": {"name": title[:250]}}}],
        "payment_intent_data": intent, "success_url": success_url, "cancel_url": cancel_url,
    }, options={"idempotency_key": f"checkout-{payment_id}"}))
    return Checkout(ref=session["id"], url=session["url"])


def expire_checkout(session_ref: str) -> bool:
    """Close an open checkout before a new attempt. False when it was already completed (money may be coming)."""
    session = _call(lambda c: c.v1.checkout.sessions.retrieve(session_ref))
    if session["status"] == "complete":
        return False
    if session["status"] == "open":
        _call(lambda c: c.v1.checkout.sessions.expire(session_ref))
    return True


def refund(intent_ref: str, amount: int, currency: str, refund_id: int) -> str:
    result = _call(lambda c: c.v1.refunds.create(params={
        "payment_intent": intent_ref, "amount": to_minor(amount, currency),
        "metadata": {"refund_id": str(refund_id)}}, options={"idempotency_key": f"refund-{refund_id}"}))
    return result["id"]


TOLERANCE_SECONDS = 300
_MAX_AMOUNT = 2**53  # far above any order, below what every integer column and JSON reader keeps exactly


class MalformedEvent(Exception):
    """A genuinely signed event whose body is not the shape the provider documents."""


def read_event(payload: bytes, signature: str | None) -> Notice:
    """Verify the signature and its timestamp (neither older nor newer than the tolerance: a replayed or a
    forward-dated delivery), then translate. A signed body of the wrong shape is MalformedEvent: a stolen
    secret or a provider bug must not be a server error or a half-applied event."""
    try:
        stripe.WebhookSignature.verify_header(payload, signature, current_app.config["STRIPE_WEBHOOK_SECRET"],
                                              tolerance=TOLERANCE_SECONDS)
    except stripe.SignatureVerificationError as error:
        raise SignatureError(str(error)) from error
    if _signed_at(signature) > time.time() + TOLERANCE_SECONDS:
        raise SignatureError("timestamp in the future")
    try:
        return _notice(json.loads(payload))
    except (ValueError, TypeError, KeyError, AttributeError, OverflowError, OSError) as error:
        raise MalformedEvent(f"{type(error).__name__}: {error}") from error


def _signed_at(signature: str) -> int:
    """The header's timestamp (t=…), which verify_header has already parsed as an integer."""
    fields = dict(item.split("=", 1) for item in signature.split(",") if "=" in item)
    return int(fields["t"])


def _text(obj: dict, key: str, required: bool = False, limit: int = 255) -> str | None:
    value = obj.get(key)
    if value is None and not required:
        return None
    if not isinstance(value, str) or not value or len(value) > limit:
        raise ValueError(f"{key} is not a text of at most {limit} characters")
    return value


def _amount(obj: dict, key: str) -> int | None:
    value = obj.get(key)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value < _MAX_AMOUNT:
        raise ValueError(f"{key} is not an amount")
    return value


def _object(obj: dict, key: str) -> dict:
    value = obj.get(key)
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise ValueError(f"{key} is not an object")
    return value


def _notice(event) -> Notice:
    if not isinstance(event, dict):
        raise ValueError("the event is not an object")
    raw_type = _text(event, "type", required=True, limit=64)
    kind = KINDS.get(raw_type, "other")
    obj = _object(event, "data").get("object")
    if not isinstance(obj, dict):
        raise ValueError("data.object is missing")
    created = _amount(event, "created") or 0
    base = {"ref": _text(event, "id", required=True), "kind": kind, "raw_type": raw_type,
            "occurred_at": datetime.fromtimestamp(created, timezone.utc).replace(tzinfo=None)}
    payment_id = _object(obj, "metadata").get("payment_id")
    payment_id = int(payment_id) if isinstance(payment_id, str) and payment_id.isascii() and payment_id.isdigit() \
        and len(payment_id) < 10 else None
    currency = _text(obj, "currency", limit=3)
    currency = currency.upper() if currency else None
    if kind in ("checkout_completed", "checkout_expired"):
        amount = _amount(obj, "amount_total")
        return Notice(**base, session_ref=_text(obj, "id", required=True), intent_ref=_text(obj, "payment_intent"),
                      payment_id=payment_id, currency=currency, paid=obj.get("payment_status") == "paid",
                      amount=from_minor(amount, currency) if amount is not None and currency else None)
    if kind == "payment_failed":
        return Notice(**base, intent_ref=_text(obj, "id", required=True), payment_id=payment_id,
                      failure=str(_object(obj, "last_payment_error").get("message") or "")[:300])
    if kind == "refunded":
        return Notice(**base, intent_ref=_text(obj, "payment_intent"), currency=currency,
                      amount_refunded=from_minor(_amount(obj, "amount_refunded") or 0, currency or "KRW"))
    if kind == "account_updated":
        _text(obj, "id", required=True)
        return Notice(**base, account=_account_status(obj))
    return Notice(**base)


def _account_status(account) -> AccountStatus:
    account = account.to_dict() if isinstance(account, stripe.StripeObject) else account
    return AccountStatus(ref=account["id"], charges_enabled=bool(account.get("charges_enabled")),
                         payouts_enabled=bool(account.get("payouts_enabled")),
                         details_submitted=bool(account.get("details_submitted")))
