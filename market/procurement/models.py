"""Purchase requests, quotes with their revisions, purchase orders, contract ceilings, messages, notifications."""
from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from market.accounts.models import Organization, User
from market.catalog.models import Industry, Listing
from market.core.timeutil import seoul_today, utcnow
from market.extensions import db

__all__ = ["ProcurementFile", "PurchaseRequest", "RequestItem", "RequestRecipient", "Quote", "QuoteRevision", "QuoteLine",
           "PurchaseOrder", "OrderLine", "ContractCeiling", "Message"]


class PurchaseRequest(db.Model):
    """A request for quotation (견적요청) from an agency, to chosen enterprises or to an industry."""

    __tablename__ = "purchase_request"
    __table_args__ = (
        sa.Index("ix_purchase_request_agency_status", "agency_id", "status"),
        sa.Index("ix_purchase_request_open_industry", "status", "industry_id"),
        sa.CheckConstraint("category IN ('goods', 'services', 'works')", name="category"),
        sa.CheckConstraint("audience IN ('invited', 'industry')", name="audience"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    agency_id: Mapped[int] = mapped_column(sa.ForeignKey("organization.id"))
    created_by_id: Mapped[int] = mapped_column(sa.ForeignKey("user.id"))
    title: Mapped[str] = mapped_column(sa.String(120))
    purpose: Mapped[str] = mapped_column(sa.Text, default="")
    category: Mapped[str] = mapped_column(sa.String(8))
    delivery_place: Mapped[str] = mapped_column(sa.String(200), default="")
    delivery_date: Mapped[date | None]
    quote_deadline: Mapped[datetime]  # UTC
    budget_krw: Mapped[int | None] = mapped_column(sa.BigInteger)
    budget_visible: Mapped[bool] = mapped_column(default=False)
    audience: Mapped[str] = mapped_column(sa.String(8), default="invited")
    industry_id: Mapped[int | None] = mapped_column(sa.ForeignKey("industry.id"))
    status: Mapped[str] = mapped_column(sa.String(16), default="draft")
    sent_at: Mapped[datetime | None]
    amended_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    agency: Mapped[Organization] = relationship(foreign_keys=[agency_id])
    created_by: Mapped[User] = relationship()
    industry: Mapped[Industry | None] = relationship()
    items: Mapped[list[RequestItem]] = relationship(back_populates="request", order_by="RequestItem.position",
                                                    cascade="all, delete-orphan")
    recipients: Mapped[list[RequestRecipient]] = relationship(back_populates="request",
                                                              cascade="all, delete-orphan")
    quotes: Mapped[list[Quote]] = relationship(back_populates="request")
    files: Mapped[list[ProcurementFile]] = relationship(order_by="ProcurementFile.id")

    @property
    def deadline_passed(self) -> bool:
        return utcnow() >= self.quote_deadline


class RequestItem(db.Model):
    __tablename__ = "request_item"

    id: Mapped[int] = mapped_column(primary_key=True)
    request_id: Mapped[int] = mapped_column(sa.ForeignKey("purchase_request.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(default=0)
    listing_id: Mapped[int | None] = mapped_column(sa.ForeignKey("listing.id", ondelete="SET NULL"))
    description: Mapped[str] = mapped_column(sa.String(200))
    specification: Mapped[str] = mapped_column(sa.Text, default="")
    quantity: Mapped[int]
    unit: Mapped[str] = mapped_column(sa.String(16))

    request: Mapped[PurchaseRequest] = relationship(back_populates="items")
    listing: Mapped[Listing | None] = relationship()


class RequestRecipient(db.Model):
    """An enterprise invited to quote on a request."""

    __tablename__ = "request_recipient"

    request_id: Mapped[int] = mapped_column(sa.ForeignKey("purchase_request.id", ondelete="CASCADE"),
                                            primary_key=True)
    organization_id: Mapped[int] = mapped_column(sa.ForeignKey("organization.id"), primary_key=True, index=True)

    request: Mapped[PurchaseRequest] = relationship(back_populates="recipients")
    organization: Mapped[Organization] = relationship()


class Quote(db.Model):
    """An enterprise's answer to a request: its latest revision's totals, or a decline with a reason."""

    __tablename__ = "quote"
    __table_args__ = (
        sa.UniqueConstraint("request_id", "organization_id", name="uq_quote_request_enterprise"),
        # At most one accepted quote per request, whatever the application does: the database refuses a second.
        sa.Index("uq_quote_one_accepted", "request_id", unique=True,
                 sqlite_where=sa.text("status = 'accepted'"), postgresql_where=sa.text("status = 'accepted'")),
        sa.Index("ix_quote_org_status", "organization_id", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    request_id: Mapped[int] = mapped_column(sa.ForeignKey("purchase_request.id"))
    organization_id: Mapped[int] = mapped_column(sa.ForeignKey("organization.id"))
    status: Mapped[str] = mapped_column(sa.String(16), default="submitted")
    supply_krw: Mapped[int] = mapped_column(sa.BigInteger, default=0)
    vat_krw: Mapped[int] = mapped_column(sa.BigInteger, default=0)
    total_krw: Mapped[int] = mapped_column(sa.BigInteger, default=0)
    valid_until: Mapped[date | None]
    lead_time_days: Mapped[int | None]
    notes: Mapped[str] = mapped_column(sa.Text, default="")
    decline_reason: Mapped[str | None] = mapped_column(sa.Text)
    revision_count: Mapped[int] = mapped_column(default=0)
    submitted_at: Mapped[datetime] = mapped_column(default=utcnow)

    request: Mapped[PurchaseRequest] = relationship(back_populates="quotes")
    organization: Mapped[Organization] = relationship()
    revisions: Mapped[list[QuoteRevision]] = relationship(back_populates="quote", order_by="QuoteRevision.number",
                                                          cascade="all, delete-orphan")
    files: Mapped[list[ProcurementFile]] = relationship(order_by="ProcurementFile.id")


class QuoteRevision(db.Model):
    """Every submitted version of a quote is kept; the buyer sees the latest and the history."""

    __tablename__ = "quote_revision"
    __table_args__ = (sa.UniqueConstraint("quote_id", "number", name="uq_quote_revision_number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    quote_id: Mapped[int] = mapped_column(sa.ForeignKey("quote.id", ondelete="CASCADE"))
    number: Mapped[int]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    created_by_id: Mapped[int] = mapped_column(sa.ForeignKey("user.id"))
    supply_krw: Mapped[int] = mapped_column(sa.BigInteger)
    vat_krw: Mapped[int] = mapped_column(sa.BigInteger)
    total_krw: Mapped[int] = mapped_column(sa.BigInteger)
    valid_until: Mapped[date | None]
    lead_time_days: Mapped[int | None]
    notes: Mapped[str] = mapped_column(sa.Text, default="")

    quote: Mapped[Quote] = relationship(back_populates="revisions")
    lines: Mapped[list[QuoteLine]] = relationship(back_populates="revision", cascade="all, delete-orphan",
                                                  order_by="QuoteLine.id")


class QuoteLine(db.Model):
    __tablename__ = "quote_line"

    id: Mapped[int] = mapped_column(primary_key=True)
    revision_id: Mapped[int] = mapped_column(sa.ForeignKey("quote_revision.id", ondelete="CASCADE"), index=True)
    item_id: Mapped[int] = mapped_column(sa.ForeignKey("request_item.id"))
    quantity: Mapped[int]
    unit_price_krw: Mapped[int] = mapped_column(sa.BigInteger)
    amount_krw: Mapped[int] = mapped_column(sa.BigInteger)

    revision: Mapped[QuoteRevision] = relationship(back_populates="lines")
    item: Mapped[RequestItem] = relationship()


class PurchaseOrder(db.Model):
    """A purchase order (발주서): an immutable snapshot of the accepted lines and the parties."""

    __tablename__ = "purchase_order"
    __table_args__ = (
        sa.Index("ix_purchase_order_agency_status", "agency_id", "status"),
        sa.Index("ix_purchase_order_enterprise_status", "enterprise_id", "status"),
        sa.Index("ix_purchase_order_placed_at", "placed_at"),
        # Covers what the attainment reports read of a year's orders (market.reports.queries): no table rows.
        sa.Index("ix_purchase_order_contract_counting", "contract_date", "status", "enterprise_id", "agency_id",
                 "total_krw", "id"),
        sa.CheckConstraint("method IN ('quote', 'direct')", name="method"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str | None] = mapped_column(sa.String(20), unique=True)
    method: Mapped[str] = mapped_column(sa.String(8))  # quote: after a purchase request; direct: 바로구매
    request_id: Mapped[int | None] = mapped_column(sa.ForeignKey("purchase_request.id"))
    quote_id: Mapped[int | None] = mapped_column(sa.ForeignKey("quote.id"), unique=True)
    agency_id: Mapped[int] = mapped_column(sa.ForeignKey("organization.id"))
    enterprise_id: Mapped[int] = mapped_column(sa.ForeignKey("organization.id"))
    placed_by_id: Mapped[int] = mapped_column(sa.ForeignKey("user.id"))
    category: Mapped[str] = mapped_column(sa.String(8))
    title: Mapped[str] = mapped_column(sa.String(120))
    status: Mapped[str] = mapped_column(sa.String(16), default="placed")
    supply_krw: Mapped[int] = mapped_column(sa.BigInteger)
    vat_krw: Mapped[int] = mapped_column(sa.BigInteger)
    total_krw: Mapped[int] = mapped_column(sa.BigInteger)
    ceiling_krw: Mapped[int | None] = mapped_column(sa.BigInteger)
    delivery_place: Mapped[str] = mapped_column(sa.String(200), default="")
    delivery_date: Mapped[date | None]
    parties: Mapped[dict] = mapped_column(sa.JSON)
    placed_at: Mapped[datetime] = mapped_column(default=utcnow)
    # The contract date in Korea: what performance reports count by (fiscal year, certification validity).
    contract_date: Mapped[date] = mapped_column(default=seoul_today, index=True)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    request: Mapped[PurchaseRequest | None] = relationship()
    quote: Mapped[Quote | None] = relationship()
    agency: Mapped[Organization] = relationship(foreign_keys=[agency_id])
    enterprise: Mapped[Organization] = relationship(foreign_keys=[enterprise_id])
    placed_by: Mapped[User] = relationship()
    lines: Mapped[list[OrderLine]] = relationship(back_populates="order", order_by="OrderLine.position",
                                                  cascade="all, delete-orphan")


class OrderLine(db.Model):
    __tablename__ = "order_line"

    id: Mapped[int] = mapped_column(primary_key=True)
    order_id: Mapped[int] = mapped_column(sa.ForeignKey("purchase_order.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(default=0)
    listing_id: Mapped[int | None] = mapped_column(sa.ForeignKey("listing.id", ondelete="SET NULL"))
    description: Mapped[str] = mapped_column(sa.String(200))
    unit: Mapped[str] = mapped_column(sa.String(16))
    quantity: Mapped[int]
    unit_price_krw: Mapped[int] = mapped_column(sa.BigInteger)
    amount_krw: Mapped[int] = mapped_column(sa.BigInteger)

    order: Mapped[PurchaseOrder] = relationship(back_populates="lines")


class ContractCeiling(db.Model):
    """Single-quote private-contract ceilings (수의계약 한도), kept as data because decrees change them."""

    __tablename__ = "contract_ceiling"
    __table_args__ = (sa.UniqueConstraint("basis", "effective_from", name="uq_contract_ceiling_basis_from"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    basis: Mapped[str] = mapped_column(sa.String(32))  # general | social_vulnerable | women_owned | disabled_owned
    amount_krw: Mapped[int] = mapped_column(sa.BigInteger)
    effective_from: Mapped[date]
    effective_to: Mapped[date | None]
    legal_basis: Mapped[str] = mapped_column(sa.String(200), default="")


class ProcurementFile(db.Model):
    """A document attached to a request (by the buyer), a quote (by the enterprise) or a message."""

    __tablename__ = "procurement_file"

    id: Mapped[int] = mapped_column(primary_key=True)
    request_id: Mapped[int | None] = mapped_column(sa.ForeignKey("purchase_request.id", ondelete="CASCADE"),
                                                   index=True)
    quote_id: Mapped[int | None] = mapped_column(sa.ForeignKey("quote.id", ondelete="CASCADE"), index=True)
    message_id: Mapped[int | None] = mapped_column(sa.ForeignKey("message.id", ondelete="CASCADE"), index=True)
    original_name: Mapped[str] = mapped_column(sa.String(200))
    stored_name: Mapped[str] = mapped_column(sa.String(64), unique=True, info={"storage": "files"})
    kind: Mapped[str] = mapped_column(sa.String(8))
    size_bytes: Mapped[int]
    uploaded_by_id: Mapped[int] = mapped_column(sa.ForeignKey("user.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    uploaded_by: Mapped[User] = relationship()


class Message(db.Model):
    """One conversation per request or order between the agency and one enterprise."""

    __tablename__ = "message"
    __table_args__ = (sa.Index("ix_message_thread", "thread", "enterprise_id", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    thread: Mapped[str] = mapped_column(sa.String(24))  # "request:12" or "order:7"
    enterprise_id: Mapped[int] = mapped_column(sa.ForeignKey("organization.id"))
    agency_id: Mapped[int] = mapped_column(sa.ForeignKey("organization.id"))
    sender_id: Mapped[int] = mapped_column(sa.ForeignKey("user.id"))
    body: Mapped[str] = mapped_column(sa.Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    read_at: Mapped[datetime | None]

    sender: Mapped[User] = relationship()
    files: Mapped[list[ProcurementFile]] = relationship(order_by="ProcurementFile.id")
