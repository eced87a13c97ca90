"""The catalog: industries, enterprise profiles, certifications, listings, and the search index."""
from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from market.accounts.models import Organization
from market.core.timeutil import utcnow
from market.extensions import db

__all__ = ["Industry", "EnterpriseProfile", "Certification", "Listing", "ListingImage", "SearchGram",
           "enterprise_industry"]


class Industry(db.Model):
    """A two-level taxonomy: industries (parent_id NULL) and their item groups."""

    __tablename__ = "industry"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(sa.String(64), unique=True)
    parent_id: Mapped[int | None] = mapped_column(sa.ForeignKey("industry.id"), index=True)
    name_ko: Mapped[str] = mapped_column(sa.String(80))
    name_en: Mapped[str] = mapped_column(sa.String(120))
    position: Mapped[int] = mapped_column(default=0)

    parent: Mapped[Industry | None] = relationship(remote_side=[id], back_populates="children")
    children: Mapped[list[Industry]] = relationship(back_populates="parent", order_by="Industry.position")

    def name(self, locale: str = "ko") -> str:
        return self.name_en if locale == "en" else self.name_ko


enterprise_industry = sa.Table(
    "enterprise_industry", db.metadata,
    sa.Column("organization_id", sa.ForeignKey("enterprise_profile.organization_id", ondelete="CASCADE"),
              primary_key=True),
    sa.Column("industry_id", sa.ForeignKey("industry.id"), primary_key=True, index=True),
)


class EnterpriseProfile(db.Model):
    """What a buyer needs to know about an enterprise, beyond its organisation record."""

    __tablename__ = "enterprise_profile"

    organization_id: Mapped[int] = mapped_column(sa.ForeignKey("organization.id", ondelete="CASCADE"),
                                                 primary_key=True)
    business_number: Mapped[str | None] = mapped_column(sa.String(10), unique=True)
    representative: Mapped[str | None] = mapped_column(sa.String(40))
    area: Mapped[str | None] = mapped_column(sa.String(20), index=True)
    email: Mapped[str | None] = mapped_column(sa.String(254))
    website: Mapped[str | None] = mapped_column(sa.String(200))
    description: Mapped[str | None] = mapped_column(sa.Text)
    logo_filename: Mapped[str | None] = mapped_column(sa.String(64), info={"storage": "catalog"})
    main_industry_id: Mapped[int | None] = mapped_column(sa.ForeignKey("industry.id"), index=True)
    employees: Mapped[int | None]
    vulnerable_employees: Mapped[int | None]
    founded_year: Mapped[int | None]
    search_text: Mapped[str] = mapped_column(sa.Text, default="")
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    organization: Mapped[Organization] = relationship(backref=db.backref("profile", uselist=False, lazy="select"))
    main_industry: Mapped[Industry | None] = relationship()
    secondary_industries: Mapped[list[Industry]] = relationship(secondary=enterprise_industry,
                                                                order_by="Industry.position")

    @property
    def vulnerable_share_percent(self) -> int | None:
        """Whole percent of employees from vulnerable groups (rounded down: a ceiling must not be overstated)."""
        if not self.employees or self.vulnerable_employees is None:
            return None
        return self.vulnerable_employees * 100 // self.employees


class Certification(db.Model):
    """A certification or designation with its validity period; it counts only once the city verified it."""

    __tablename__ = "certification"
    __table_args__ = (
        sa.Index("ix_certification_kind_status_valid", "kind", "status", "valid_to"),
        # Covers the reports' join of each order to the certifications valid on its contract date.
        sa.Index("ix_certification_org_status_validity", "organization_id", "status", "valid_from", "valid_to",
                 "kind"),
        sa.CheckConstraint("valid_to IS NULL OR valid_to >= valid_from", name="period"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    organization_id: Mapped[int] = mapped_column(sa.ForeignKey("organization.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(sa.String(40))
    number: Mapped[str | None] = mapped_column(sa.String(60))
    designated_by: Mapped[str | None] = mapped_column(sa.String(16))  # ministry | local (preliminary only)
    valid_from: Mapped[date]
    valid_to: Mapped[date | None]
    status: Mapped[str] = mapped_column(sa.String(16), default="pending")
    status_note: Mapped[str | None] = mapped_column(sa.Text)
    verified_at: Mapped[datetime | None]
    verified_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    reminded_60_at: Mapped[datetime | None]
    reminded_14_at: Mapped[datetime | None]

    organization: Mapped[Organization] = relationship(
        backref=db.backref("certifications", order_by="Certification.valid_from.desc()", lazy="select"))

    def is_valid_on(self, day: date) -> bool:
        return (self.status == "verified" and self.valid_from <= day
                and (self.valid_to is None or self.valid_to >= day))

    @classmethod
    def valid_on(cls, day: date):
        """The same rule as `is_valid_on`, as a SQL condition."""
        return sa.and_(cls.status == "verified", cls.valid_from <= day,
                       sa.or_(cls.valid_to.is_(None), cls.valid_to >= day))


class Listing(db.Model):
    """A product or service an enterprise offers to public buyers."""

    __tablename__ = "listing"
    __table_args__ = (
        sa.Index("ix_listing_org_status_position", "organization_id", "status", "position"),
        # The default order of public lists (recently updated first), alone and after each filter: a page is
        # read by walking the index in display order and stops when it is full, instead of sorting every match.
        sa.Index("ix_listing_status_updated", "status", "updated_at", "id"),
        sa.Index("ix_listing_status_industry_updated", "status", "industry_id", "updated_at", "id"),
        sa.Index("ix_listing_status_group_updated", "status", "group_id", "updated_at", "id"),
        sa.Index("ix_listing_status_category_updated", "status", "category", "updated_at", "id"),
        sa.Index("ix_listing_status_category_price", "status", "category", "unit_price_krw"),
        # Covers the statistics' count of published listings per category of approved enterprises.
        sa.Index("ix_listing_status_category_org", "status", "category", "organization_id"),
        sa.CheckConstraint("category IN ('goods', 'services', 'works')", name="category"),
        sa.CheckConstraint("unit_price_krw IS NULL OR unit_price_krw >= 0", name="price"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    organization_id: Mapped[int] = mapped_column(sa.ForeignKey("organization.id", ondelete="CASCADE"))
    title: Mapped[str] = mapped_column(sa.String(120))
    description: Mapped[str] = mapped_column(sa.Text, default="")
    industry_id: Mapped[int] = mapped_column(sa.ForeignKey("industry.id"))
    group_id: Mapped[int | None] = mapped_column(sa.ForeignKey("industry.id"), index=True)
    category: Mapped[str] = mapped_column(sa.String(8))
    unit: Mapped[str] = mapped_column(sa.String(16))
    unit_price_krw: Mapped[int | None] = mapped_column(sa.BigInteger, index=True)
    vat_included: Mapped[bool] = mapped_column(default=True)
    min_order: Mapped[int] = mapped_column(default=1)
    lead_time_days: Mapped[int | None]
    service_area: Mapped[str | None] = mapped_column(sa.String(120))
    status: Mapped[str] = mapped_column(sa.String(16), default="draft")
    position: Mapped[int] = mapped_column(default=0)
    search_text: Mapped[str] = mapped_column(sa.Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    organization: Mapped[Organization] = relationship()
    industry: Mapped[Industry] = relationship(foreign_keys=[industry_id])
    group: Mapped[Industry | None] = relationship(foreign_keys=[group_id])
    images: Mapped[list[ListingImage]] = relationship(back_populates="listing", order_by="ListingImage.position",
                                                      cascade="all, delete-orphan")

    @property
    def price_on_request(self) -> bool:
        return self.unit_price_krw is None


class ListingImage(db.Model):
    __tablename__ = "listing_image"

    id: Mapped[int] = mapped_column(primary_key=True)
    listing_id: Mapped[int] = mapped_column(sa.ForeignKey("listing.id", ondelete="CASCADE"), index=True)
    filename: Mapped[str] = mapped_column(sa.String(64), info={"storage": "catalog"})  # the sweep keeps what rows name
    thumb_filename: Mapped[str] = mapped_column(sa.String(64), info={"storage": "catalog"})
    width: Mapped[int]
    height: Mapped[int]
    position: Mapped[int] = mapped_column(default=0)

    listing: Mapped[Listing] = relationship(back_populates="images")


class SearchGram(db.Model):
    """Character bigrams of each searchable document, so that a two-syllable Korean word ("청소") is found
    through an index on SQLite and PostgreSQL alike (trigram indexes cannot serve two characters)."""

    __tablename__ = "search_gram"
    __table_args__ = (sa.Index("ix_search_gram_doc", "doc_type", "doc_id"),)

    doc_type: Mapped[str] = mapped_column(sa.String(1), primary_key=True)  # L listing, E enterprise
    gram: Mapped[str] = mapped_column(sa.String(2), primary_key=True)
    doc_id: Mapped[int] = mapped_column(primary_key=True)
