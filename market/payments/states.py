"""Payments and refunds as data. A provider's verified event acts as the system (actor None)."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l

from market.core.permissions import is_system
from market.core.states import Move, State, StateMachine
from market.payments.permissions import is_payee, is_payee_or_system

PAYMENT = StateMachine(
    name="payment",
    field="status",
    states={
        "pending": State("pending", _l("Payment pending"), "warning"),
        "succeeded": State("succeeded", _l("Paid"), "success"),
        "failed": State("failed", _l("Payment failed"), "danger"),
        "expired": State("expired", _l("Payment not completed"), "neutral"),
    },
    moves={
        # A transfer receipt is recorded by the enterprise; a card payment only from the provider's event.
        ("pending", "succeed"): Move("succeeded", is_payee_or_system),
        ("pending", "fail"): Move("failed", is_system),
        ("pending", "expire"): Move("expired", is_system),
        # Events arrive in any order: money taken after an expiry or failure notice still makes the order paid.
        ("failed", "succeed"): Move("succeeded", is_system),
        ("expired", "succeed"): Move("succeeded", is_system),
    },
)

REFUND = StateMachine(
    name="refund",
    field="status",
    states={
        "requested": State("requested", _l("Refund requested"), "warning"),
        "processing": State("processing", _l("Refund in progress"), "info"),
        "refunded": State("refunded", _l("Refunded"), "success"),
        "rejected": State("rejected", _l("Refund refused"), "neutral"),
        "failed": State("failed", _l("Refund failed"), "danger"),
    },
    moves={
        ("requested", "approve"): Move("processing", is_payee),
        ("requested", "reject"): Move("rejected", is_payee, note_required=True),
        # Approving is agreeing; the money moves after: a card refund completes when the provider confirms it,
        # a transfer refund when the enterprise says it sent the money back.
        ("processing", "complete"): Move("refunded", is_payee_or_system),
        ("processing", "fail"): Move("failed", is_system),
    },
)
