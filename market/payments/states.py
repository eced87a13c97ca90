"""Payments and refunds as data. A provider's verified event acts as the system (actor None)."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l

from market.core.states import Move, State, StateMachine


def _system(subject, actor) -> bool:
    return actor is None


def _payee(subject, actor) -> bool:
    return actor is not None and actor.is_enterprise_user and actor.organization_id == subject.order.enterprise_id


def _payee_or_system(subject, actor) -> bool:
    return actor is None or _payee(subject, actor)


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
        ("pending", "succeed"): Move("succeeded", _payee_or_system),
        ("pending", "fail"): Move("failed", _system),
        ("pending", "expire"): Move("expired", _system),
        # Events arrive in any order: money taken after an expiry or failure notice still makes the order paid.
        ("failed", "succeed"): Move("succeeded", _system),
        ("expired", "succeed"): Move("succeeded", _system),
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
        ("requested", "approve"): Move("processing", _payee),
        ("requested", "reject"): Move("rejected", _payee, note_required=True),
        # Approving is agreeing; the money moves after: a card refund completes when the provider confirms it,
        # a transfer refund when the enterprise says it sent the money back.
        ("processing", "complete"): Move("refunded", _payee_or_system),
        ("processing", "fail"): Move("failed", _system),
    },
)
