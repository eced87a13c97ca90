"""Loads the demo city. Idempotent: each thing is found by its natural key and created only if missing."""
from __future__ import annotations

from collections import Counter

from werkzeug.security import generate_password_hash

from market.accounts.cli import support_center
from market.accounts.models import Organization, OrgKind, Role, User
from market.demo import data
from market.extensions import db

DEMO_PASSWORD = "gunsan-demo-2026"


class DemoLoader:
    def __init__(self) -> None:
        # Hashed once: scrypt is slow by design, and every demo login shares the password.
        self.password_hash = generate_password_hash(DEMO_PASSWORD, method="scrypt")
        self.created: Counter[str] = Counter()

    def user(self, organization: Organization, email: str, name: str, role: str) -> User:
        user = db.session.scalar(db.select(User).where(User.email == email))
        if user is None:
            user = User(organization=organization, email=email, name=name, role=role, locale="ko",
                        password_hash=self.password_hash)
            db.session.add(user)
            self.created["users"] += 1
        return user

    def organization(self, kind: str, name: str, **fields) -> Organization:
        organization = db.session.scalar(
            db.select(Organization).where(Organization.kind == kind, Organization.name == name))
        if organization is None:
            organization = Organization(kind=kind, name=name, status="approved", **fields)
            db.session.add(organization)
            self.created["organizations"] += 1
        return organization

    def load(self) -> Counter[str]:
        city = support_center()
        self.user(city, data.CITY["admin_email"], data.CITY["admin_name"], Role.ADMIN)
        for agency in data.AGENCIES:
            organization = self.organization(OrgKind.AGENCY, agency["name"], name_en=agency["name_en"],
                                             phone=agency["phone"], address=agency["address"])
            for buyer in agency["buyers"]:
                self.user(organization, buyer["email"], buyer["name"], buyer["role"])
        for enterprise in data.ENTERPRISES:
            organization = self.organization(OrgKind.ENTERPRISE, enterprise["name"], name_en=enterprise["name_en"],
                                             phone=enterprise["phone"], address=enterprise["address"])
            self.user(organization, enterprise["email"], enterprise["representative"], Role.MANAGER)
        db.session.flush()
        return self.created


def load_demo() -> Counter[str]:
    return DemoLoader().load()


def database_is_empty() -> bool:
    return db.session.scalar(db.select(db.func.count()).select_from(Organization)) == 0
