"""Organisations and the people who act for them."""
from __future__ import annotations

import secrets
from datetime import datetime

import sqlalchemy as sa
from flask_login import UserMixin
from sqlalchemy.orm import Mapped, mapped_column, relationship
from werkzeug.security import check_password_hash, generate_password_hash

from market.core.timeutil import utcnow
from market.extensions import db

__all__ = ["Organization", "User", "OrgKind", "Role", "hash_password"]


class OrgKind:
    ENTERPRISE = "enterprise"
    AGENCY = "agency"
    CITY = "city"
    ALL = (ENTERPRISE, AGENCY, CITY)


class Role:
    MEMBER = "member"      # enterprise staff
    MANAGER = "manager"    # enterprise or agency manager: manages the organisation's people
    BUYER = "buyer"        # agency staff who buy
    ADMIN = "admin"        # support-center (city) staff
    BY_KIND = {
        OrgKind.ENTERPRISE: (MEMBER, MANAGER),
        OrgKind.AGENCY: (BUYER, MANAGER),
        OrgKind.CITY: (ADMIN,),
    }


def new_session_token() -> str:
    return secrets.token_hex(16)


def hash_password(password: str) -> str:
    return generate_password_hash(password, method="scrypt")


class Organization(db.Model):
    __tablename__ = "organization"
    __table_args__ = (
        sa.CheckConstraint("kind IN ('enterprise', 'agency', 'city')", name="kind"),
        sa.Index("ix_organization_kind_status", "kind", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(sa.String(16))
    name: Mapped[str] = mapped_column(sa.String(120))
    name_en: Mapped[str | None] = mapped_column(sa.String(160))
    status: Mapped[str] = mapped_column(sa.String(16), default="pending")
    status_reason: Mapped[str | None] = mapped_column(sa.Text)
    phone: Mapped[str | None] = mapped_column(sa.String(40))
    address: Mapped[str | None] = mapped_column(sa.String(200))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    users: Mapped[list[User]] = relationship(back_populates="organization", order_by="User.name")

    @property
    def is_enterprise(self) -> bool:
        return self.kind == OrgKind.ENTERPRISE

    @property
    def is_agency(self) -> bool:
        return self.kind == OrgKind.AGENCY

    @property
    def is_city(self) -> bool:
        return self.kind == OrgKind.CITY

    @property
    def is_approved(self) -> bool:
        return self.status == "approved"

    def __repr__(self) -> str:
        return f"<Organization {self.id} {self.kind} {self.name!r}>"


class User(UserMixin, db.Model):
    __tablename__ = "user"

    id: Mapped[int] = mapped_column(primary_key=True)
    organization_id: Mapped[int] = mapped_column(sa.ForeignKey("organization.id"), index=True)
    email: Mapped[str] = mapped_column(sa.String(254), unique=True)
    name: Mapped[str] = mapped_column(sa.String(80))
    role: Mapped[str] = mapped_column(sa.String(16))
    password_hash: Mapped[str | None] = mapped_column(sa.String(256))
    locale: Mapped[str | None] = mapped_column(sa.String(8))
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_login_at: Mapped[datetime | None]
    # Part of every session and remember cookie (get_id): a new one ends them all (see end_sessions).
    session_token: Mapped[str] = mapped_column(sa.String(32), default=new_session_token)

    organization: Mapped[Organization] = relationship(back_populates="users", lazy="joined")

    # Flask-Login: a deactivated user is logged out on the next request (accounts.services.load_user).
    @property
    def is_active(self) -> bool:
        return self.active

    def get_id(self) -> str:
        """What a session and a remember cookie store: the id with the current session token."""
        return f"{self.id}:{self.session_token}"

    def end_sessions(self) -> None:
        """Every session and remember cookie of this person stops working, on every device."""
        self.session_token = new_session_token()

    def set_password(self, password: str) -> None:
        """A new password ends the sessions opened with the old one (a stolen cookie with it)."""
        self.password_hash = hash_password(password)
        self.end_sessions()

    def check_password(self, password: str) -> bool:
        return bool(self.password_hash) and check_password_hash(self.password_hash, password)

    @property
    def is_city_admin(self) -> bool:
        return self.role == Role.ADMIN and self.organization.is_city

    @property
    def is_agency_user(self) -> bool:
        return self.organization.is_agency

    @property
    def is_enterprise_user(self) -> bool:
        return self.organization.is_enterprise

    @property
    def is_manager(self) -> bool:
        return self.role == Role.MANAGER

    def __repr__(self) -> str:
        return f"<User {self.id} {self.email} {self.role}>"
