"""Purchase targets per agency, fiscal year and category; the agency's total purchases that percentage targets
apply to; the agency's proposals of targets awaiting the city's approval; its reasons for a shortfall;
purchases made off the platform; how the reports count."""
from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from market.accounts.models import Organization, User
from market.core.timeutil import utcnow
from market.extensions import db

__all__ = ["PurchaseTarget", "PurchaseTotal", "TargetProposal", "ShortfallReason", "OffPlatformPurchase",
           "ReportSetting"]

SOCIAL_ECONOMY = "social_economy"  # the total: an order counts once, whatever certifications the enterprise holds
AMOUNT, PERCENT = "amount", "percent"
PLANNED, ACTUAL = "planned", "actual"
PARTS = ("goods", "services", "works")  # what an agency's total purchases are made of
PLATFORM = "platform"
# Where an agency bought off the platform: the ministries ask for each channel separately.
OFF_PLATFORM_CHANNELS = ("own_contract", "pps", "other_platform")
CHANNELS = (PLATFORM, *OFF_PLATFORM_CHANNELS)
CONTRACT, PAYMENT = "contract", "payment"
COUNTING_POINTS = (CONTRACT, PAYMENT)


class PurchaseTarget(db.Model):
    """An agency's target for one category in one fiscal year (January–December, Korea time): an amount in won,
    or a rate in basis points (1% = 100) of the agency's total purchases as that category counts them."""

    __tablename__ = "purchase_target"
    __table_args__ = (
        sa.UniqueConstraint("agency_id", "year", "category", name="uq_purchase_target_agency_year_category"),
        sa.Index("ix_purchase_target_year_category", "year", "category"),
        sa.CheckConstraint("amount_krw >= 0", name="amount"),
        sa.CheckConstraint("(basis = 'amount' AND amount_krw IS NOT NULL AND rate_bp IS NULL "
                           "AND works_rate_bp IS NULL) OR (basis = 'percent' AND amount_krw IS NULL "
                           "AND rate_bp BETWEEN 0 AND 10000 AND (works_rate_bp IS NULL "
                           "OR works_rate_bp BETWEEN 0 AND 10000))", name="basis"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    agency_id: Mapped[int] = mapped_column(sa.ForeignKey("organization.id"))
    year: Mapped[int]
    category: Mapped[str] = mapped_column(sa.String(40))
    basis: Mapped[str] = mapped_column(sa.String(8), default=AMOUNT, server_default=AMOUNT)
    amount_krw: Mapped[int | None] = mapped_column(sa.BigInteger)
    rate_bp: Mapped[int | None]
    # A separate rate on works, for a category whose main rate leaves works out (women-owned: 3% of works).
    works_rate_bp: Mapped[int | None]
    set_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id", ondelete="SET NULL"))
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    agency: Mapped[Organization] = relationship()


class PurchaseTotal(db.Model):
    """What an agency plans to buy in a year, then what it bought, in won, by goods, services and works:
    the denominators of percentage targets."""

    __tablename__ = "purchase_total"
    __table_args__ = (
        sa.UniqueConstraint("agency_id", "year", "stage", name="uq_purchase_total_agency_year_stage"),
        sa.CheckConstraint("stage IN ('planned', 'actual')", name="stage"),
        sa.CheckConstraint("goods_krw >= 0 AND services_krw >= 0 AND works_krw >= 0", name="amounts"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    agency_id: Mapped[int] = mapped_column(sa.ForeignKey("organization.id"))
    year: Mapped[int]
    stage: Mapped[str] = mapped_column(sa.String(8))
    goods_krw: Mapped[int] = mapped_column(sa.BigInteger)
    services_krw: Mapped[int] = mapped_column(sa.BigInteger)
    works_krw: Mapped[int] = mapped_column(sa.BigInteger)
    set_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id", ondelete="SET NULL"))
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    def part(self, name: str) -> int:
        return getattr(self, f"{name}_krw")


class TargetProposal(db.Model):
    """Targets an agency's manager proposes for its own year; they stand only once the city approves them.
    `targets` maps category -> {"basis", "amount_krw" | "rate_bp", "works_rate_bp"} (absent: no target)."""

    __tablename__ = "target_proposal"
    __table_args__ = (
        sa.Index("ix_target_proposal_agency_year", "agency_id", "year"),
        sa.Index("ix_target_proposal_status", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    agency_id: Mapped[int] = mapped_column(sa.ForeignKey("organization.id"))
    year: Mapped[int]
    status: Mapped[str] = mapped_column(sa.String(16), default="proposed")
    targets: Mapped[dict] = mapped_column(sa.JSON)
    proposed_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id", ondelete="SET NULL"))
    proposed_at: Mapped[datetime] = mapped_column(default=utcnow)
    decided_at: Mapped[datetime | None]
    decision_note: Mapped[str | None] = mapped_column(sa.Text)

    agency: Mapped[Organization] = relationship()
    proposed_by: Mapped[User | None] = relationship()


class ShortfallReason(db.Model):
    """Why an agency fell short of a target (the annual submission asks for one per category)."""

    __tablename__ = "shortfall_reason"
    __table_args__ = (
        sa.UniqueConstraint("agency_id", "year", "category", name="uq_shortfall_reason_agency_year_category"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    agency_id: Mapped[int] = mapped_column(sa.ForeignKey("organization.id"))
    year: Mapped[int]
    category: Mapped[str] = mapped_column(sa.String(40))
    reason: Mapped[str] = mapped_column(sa.Text)
    written_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id", ondelete="SET NULL"))
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class OffPlatformPurchase(db.Model):
    """A purchase an agency made elsewhere from an enterprise of the platform, with its evidence; it counts in
    the reports once the support center has verified it."""

    __tablename__ = "off_platform_purchase"
    __table_args__ = (
        sa.Index("ix_off_platform_purchase_agency_status", "agency_id", "status"),
        sa.Index("ix_off_platform_purchase_status_date", "status", "contract_date"),
        sa.CheckConstraint("amount_krw > 0", name="amount"),
        sa.CheckConstraint("category IN ('goods', 'services', 'works')", name="category"),
        sa.CheckConstraint("channel IN ('own_contract', 'pps', 'other_platform')", name="channel"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    agency_id: Mapped[int] = mapped_column(sa.ForeignKey("organization.id"))
    enterprise_id: Mapped[int] = mapped_column(sa.ForeignKey("organization.id"), index=True)
    contract_date: Mapped[date]
    amount_krw: Mapped[int] = mapped_column(sa.BigInteger)  # VAT included, as on the contract
    category: Mapped[str] = mapped_column(sa.String(8))
    channel: Mapped[str] = mapped_column(sa.String(16))
    description: Mapped[str] = mapped_column(sa.String(500))
    evidence_name: Mapped[str] = mapped_column(sa.String(200))
    evidence_stored_name: Mapped[str] = mapped_column(sa.String(64), unique=True, info={"storage": "files"})
    evidence_kind: Mapped[str] = mapped_column(sa.String(8))
    evidence_size_bytes: Mapped[int]
    status: Mapped[str] = mapped_column(sa.String(16), default="recorded")
    status_note: Mapped[str | None] = mapped_column(sa.Text)
    recorded_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id", ondelete="SET NULL"))
    decided_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id", ondelete="SET NULL"))
    decided_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    agency: Mapped[Organization] = relationship(foreign_keys=[agency_id])
    enterprise: Mapped[Organization] = relationship(foreign_keys=[enterprise_id])
    recorded_by: Mapped[User | None] = relationship(foreign_keys=[recorded_by_id])


class ReportSetting(db.Model):
    """How the reports count, chosen by the support center: one row (id 1); without it, the defaults."""

    __tablename__ = "report_setting"
    __table_args__ = (
        sa.CheckConstraint("id = 1", name="single_row"),
        sa.CheckConstraint("counting_point IN ('contract', 'payment')", name="counting_point"),
    )

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    counting_point: Mapped[str] = mapped_column(sa.String(8), default=CONTRACT)
    updated_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id", ondelete="SET NULL"))
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
