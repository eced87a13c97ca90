"""Purchase targets per agency, fiscal year and category."""
from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from market.accounts.models import Organization
from market.core.timeutil import utcnow
from market.extensions import db

__all__ = ["PurchaseTarget"]

SOCIAL_ECONOMY = "social_economy"  # the total: an order counts once, whatever certifications the enterprise holds


class PurchaseTarget(db.Model):
    """An agency's target for one category in one fiscal year (January–December, Korea time), in won."""

    __tablename__ = "purchase_target"
    __table_args__ = (
        sa.UniqueConstraint("agency_id", "year", "category", name="uq_purchase_target_agency_year_category"),
        sa.Index("ix_purchase_target_year_category", "year", "category"),
        sa.CheckConstraint("amount_krw >= 0", name="amount"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    agency_id: Mapped[int] = mapped_column(sa.ForeignKey("organization.id"))
    year: Mapped[int]
    category: Mapped[str] = mapped_column(sa.String(40))
    amount_krw: Mapped[int] = mapped_column(sa.BigInteger)
    set_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id", ondelete="SET NULL"))
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    agency: Mapped[Organization] = relationship()
