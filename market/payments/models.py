"""Payments, refunds and the marketplace's own ledger.

Nothing here names Stripe: `provider` is a code ("stripe"; a Korean provider later) and `*_ref` columns hold
the provider's identifiers, so orders and reports never depend on one provider.
"""
from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from market.accounts.models import Organization, User
from market.core.timeutil import seoul_today, utcnow
from market.extensions import db
from market.payments.banks import BY_CODE, Bank
from market.procurement.models import PurchaseOrder

__all__ = ["PaymentAccount", "TransferAccount", "Payment", "Refund", "LedgerEntry", "ProviderEvent"]


class PaymentAccount(db.Model):
    """An enterprise's account at a payment provider, to which card payments for its orders are routed."""

    __tablename__ = "payment_account"
    __table_args__ = (sa.UniqueConstraint("organization_id", "provider", name="uq_payment_account_org_provider"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    organization_id: Mapped[int] = mapped_column(sa.ForeignKey("organization.id"))
    provider: Mapped[str] = mapped_column(sa.String(16))
    account_ref: Mapped[str] = mapped_column(sa.String(64), unique=True)
    charges_enabled: Mapped[bool] = mapped_column(default=False)
    payouts_enabled: Mapped[bool] = mapped_column(default=False)
    details_submitted: Mapped[bool] = mapped_column(default=False)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    organization: Mapped[Organization] = relationship()

    @property
    def ready(self) -> bool:
        return self.charges_enabled and self.details_submitted


class TransferAccount(db.Model):
    """The bank account an enterprise receives bank transfers at, shown to the buyers of its invoiced orders.

    Changing it is audited and every person of the enterprise is told: a swapped account number is how
    invoice fraud works."""

    __tablename__ = "transfer_account"

    id: Mapped[int] = mapped_column(primary_key=True)
    organization_id: Mapped[int] = mapped_column(sa.ForeignKey("organization.id"), unique=True)
    bank_code: Mapped[str] = mapped_column(sa.String(3))
    account_number: Mapped[str] = mapped_column(sa.String(20))
    holder: Mapped[str] = mapped_column(sa.String(100))
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    updated_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id"))

    @property
    def bank(self) -> Bank | None:
        return BY_CODE.get(self.bank_code)


class Payment(db.Model):
    """One attempt to pay an order: a card checkout at a provider, or a bank transfer the enterprise received."""

    __tablename__ = "payment"
    __table_args__ = (
        sa.CheckConstraint("method IN ('card', 'transfer')", name="method"),
        sa.CheckConstraint("amount_krw > 0", name="amount"),
        sa.CheckConstraint("refunded_krw >= 0 AND refunded_krw <= amount_krw", name="refunded"),
        # An order is paid once: a second succeeded payment is refused by the database, whatever the race.
        sa.Index("uq_payment_order_succeeded", "order_id", unique=True,
                 sqlite_where=sa.text("status = 'succeeded'"), postgresql_where=sa.text("status = 'succeeded'")),
        sa.Index("ix_payment_order_status", "order_id", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    order_id: Mapped[int] = mapped_column(sa.ForeignKey("purchase_order.id"))
    method: Mapped[str] = mapped_column(sa.String(8))
    provider: Mapped[str | None] = mapped_column(sa.String(16))
    status: Mapped[str] = mapped_column(sa.String(16), default="pending")
    amount_krw: Mapped[int] = mapped_column(sa.BigInteger)
    fee_krw: Mapped[int] = mapped_column(sa.BigInteger, default=0)
    refunded_krw: Mapped[int] = mapped_column(sa.BigInteger, default=0)
    currency: Mapped[str] = mapped_column(sa.String(3), default="KRW")
    session_ref: Mapped[str | None] = mapped_column(sa.String(255), unique=True)
    intent_ref: Mapped[str | None] = mapped_column(sa.String(255), unique=True)
    checkout_url: Mapped[str | None] = mapped_column(sa.String(1000))
    reference: Mapped[str] = mapped_column(sa.String(100), default="")  # the transfer's reference (입금자명 등)
    failure: Mapped[str] = mapped_column(sa.String(300), default="")
    # The day the money arrived, in Korea: what the payment counting point of the reports uses.
    paid_on: Mapped[date | None] = mapped_column(index=True)
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    order: Mapped[PurchaseOrder] = relationship()
    created_by: Mapped[User | None] = relationship()
    refunds: Mapped[list[Refund]] = relationship(back_populates="payment", order_by="Refund.id")

    @property
    def refundable_krw(self) -> int:
        return self.amount_krw - self.refunded_krw


class Refund(db.Model):
    """Money going back to the agency: asked for by the buyer, decided by the enterprise, then executed."""

    __tablename__ = "refund"
    __table_args__ = (sa.CheckConstraint("amount_krw > 0", name="amount"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    payment_id: Mapped[int] = mapped_column(sa.ForeignKey("payment.id"), index=True)
    order_id: Mapped[int] = mapped_column(sa.ForeignKey("purchase_order.id"), index=True)
    amount_krw: Mapped[int] = mapped_column(sa.BigInteger)
    reason: Mapped[str] = mapped_column(sa.Text)
    status: Mapped[str] = mapped_column(sa.String(16), default="requested")
    provider_ref: Mapped[str | None] = mapped_column(sa.String(255), unique=True)
    requested_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id", ondelete="SET NULL"))
    decision_note: Mapped[str | None] = mapped_column(sa.Text)  # why the enterprise refused
    refunded_on: Mapped[date | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    payment: Mapped[Payment] = relationship(back_populates="refunds")
    order: Mapped[PurchaseOrder] = relationship()
    requested_by: Mapped[User | None] = relationship()


class LedgerEntry(db.Model):
    """The marketplace's own record of money movements, whatever the provider.

    charge: the agency paid (card or transfer); fee: the platform's share of a card charge; payout: what the
    provider routed on to the enterprise; refund: money returned to the agency. Amounts are positive won.
    """

    __tablename__ = "ledger_entry"
    __table_args__ = (
        sa.CheckConstraint("kind IN ('charge', 'fee', 'payout', 'refund')", name="kind"),
        sa.CheckConstraint("amount_krw >= 0", name="amount"),
        sa.Index("ix_ledger_entry_order_kind", "order_id", "kind"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    order_id: Mapped[int] = mapped_column(sa.ForeignKey("purchase_order.id"))
    payment_id: Mapped[int] = mapped_column(sa.ForeignKey("payment.id"), index=True)
    refund_id: Mapped[int | None] = mapped_column(sa.ForeignKey("refund.id"))
    kind: Mapped[str] = mapped_column(sa.String(8))
    amount_krw: Mapped[int] = mapped_column(sa.BigInteger)
    provider: Mapped[str | None] = mapped_column(sa.String(16))
    provider_ref: Mapped[str | None] = mapped_column(sa.String(255))
    occurred_on: Mapped[date] = mapped_column(default=seoul_today)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    order: Mapped[PurchaseOrder] = relationship()


class ProviderEvent(db.Model):
    """A provider's webhook event, kept by id so that a replay is recognised and does nothing."""

    __tablename__ = "provider_event"
    __table_args__ = (sa.UniqueConstraint("provider", "event_ref", name="uq_provider_event_ref"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    provider: Mapped[str] = mapped_column(sa.String(16))
    event_ref: Mapped[str] = mapped_column(sa.String(255))
    kind: Mapped[str] = mapped_column(sa.String(64))
    outcome: Mapped[str] = mapped_column(sa.String(200), default="")
    received_at: Mapped[datetime] = mapped_column(default=utcnow)
