"""Loads the demo city. Idempotent: each thing is found by its natural key and created only if missing."""
from __future__ import annotations

import io
import random
from collections import Counter
from datetime import date, timedelta

from werkzeug.security import generate_password_hash

from market.accounts.cli import support_center
from market.accounts.models import Organization, OrgKind, Role, User
from market.catalog import kinds
from market.catalog import services as catalog
from market.catalog.models import Certification, Listing
from market.core.timeutil import seoul_today, utcnow
from market.demo import data
from market.extensions import db

DEMO_PASSWORD = "gunsan-demo-2026"
PENDING_SIGNUPS = (
    {"name": "(예비) 새만금 청년 협동조합", "representative": "오세훈", "email": "hello@saemangeum-youth.example.kr",
     "phone": "063-461-0101"},
    {"name": "군산 바다향 마을기업", "representative": "문지아", "email": "sea@badahyang.example.kr",
     "phone": "063-462-0202"},
)


class DemoLoader:
    def __init__(self, pictures: bool = False, today: date | None = None) -> None:
        # Hashed once: scrypt is slow by design, and every demo login shares the password.
        self.password_hash = generate_password_hash(DEMO_PASSWORD, method="scrypt")
        self.created: Counter[str] = Counter()
        self.with_pictures = pictures
        self.today = today or seoul_today()
        self.random = random.Random(2020)  # the demo is the same on every machine
        self.admin: User | None = None
        self.pictures: dict[str, bytes] = {}

    def user(self, organization: Organization, email: str, name: str, role: str) -> User:
        user = db.session.scalar(db.select(User).where(User.email == email))
        if user is None:
            user = User(organization=organization, email=email, name=name, role=role, locale="ko",
                        password_hash=self.password_hash)
            db.session.add(user)
            self.created["users"] += 1
        return user

    def organization(self, kind: str, name: str, status: str = "approved", **fields) -> tuple[Organization, bool]:
        organization = db.session.scalar(
            db.select(Organization).where(Organization.kind == kind, Organization.name == name))
        if organization is not None:
            return organization, False
        organization = Organization(kind=kind, name=name, status=status, **fields)
        db.session.add(organization)
        self.created["organizations"] += 1
        return organization, True

    def load(self) -> Counter[str]:
        self.created["industries"] += catalog.seed_industries()
        city = support_center()
        self.admin = self.user(city, data.CITY["admin_email"], data.CITY["admin_name"], Role.ADMIN)
        for agency in data.AGENCIES:
            organization, _ = self.organization(OrgKind.AGENCY, agency["name"], name_en=agency["name_en"],
                                                phone=agency["phone"], address=agency["address"])
            for buyer in agency["buyers"]:
                self.user(organization, buyer["email"], buyer["name"], buyer["role"])
        for index, enterprise in enumerate(data.ENTERPRISES):
            organization, new = self.organization(
                OrgKind.ENTERPRISE, enterprise["name"], name_en=enterprise["name_en"], phone=enterprise["phone"],
                address=enterprise["address"])
            manager = self.user(organization, enterprise["email"], enterprise["representative"], Role.MANAGER)
            if new:
                db.session.flush()
                self.profile(organization, enterprise)
                self.certifications(organization, enterprise, index)
                self.listings(organization, enterprise, index, manager)
        from market.demo.procurement import load_procurement_demo

        db.session.flush()
        self.created["orders"] += load_procurement_demo()
        from market.demo.reports import load_reports_demo

        self.created["orders"] += load_reports_demo(self.today, self.admin)
        for signup in PENDING_SIGNUPS:
            organization, _ = self.organization(OrgKind.ENTERPRISE, signup["name"], status="pending",
                                                phone=signup["phone"])
            self.user(organization, signup["email"], signup["representative"], Role.MANAGER)
        db.session.flush()
        from market.content.demo import load_demo_content

        self.created.update(load_demo_content(self.today))
        return self.created

    def profile(self, organization: Organization, enterprise: dict) -> None:
        profile = catalog.profile_for(organization)
        profile.business_number = enterprise["business_number"]
        profile.representative = enterprise["representative"]
        profile.area = enterprise["area"]
        profile.email = enterprise["email"]
        profile.description = enterprise["description"]
        profile.employees = enterprise["employees"]
        profile.vulnerable_employees = enterprise["vulnerable_employees"]
        profile.founded_year = enterprise["founded"]
        profile.main_industry = catalog.industry_by_code(enterprise["industry"])
        profile.secondary_industries = [catalog.industry_by_code(c) for c in enterprise["secondary_industries"]]
        db.session.flush()

    def certifications(self, organization: Organization, enterprise: dict, index: int) -> None:
        founded = date(max(enterprise["founded"], 2012), 3 + index % 9, 1 + index % 27)
        held = [(enterprise["type"], founded)]
        if enterprise["cooperative"]:
            kind = kinds.SOCIAL_COOPERATIVE if "사회적협동조합" in enterprise["name"] else kinds.COOPERATIVE
            held.append((kind, founded))
        if enterprise["women_owned"]:
            held.append((kinds.WOMEN_OWNED, self.today - timedelta(days=300 + index * 7)))
        if enterprise["disabled_owned"]:
            held.append((kinds.DISABLED_OWNED, self.today - timedelta(days=200 + index * 5)))
        for position, (kind, start) in enumerate(held):
            valid_to = None
            if kind == kinds.PRELIMINARY:
                # Spread designations so that some expire soon (reminders) and one has expired.
                start = self.today - timedelta(days=[1000, 1080, 400, 700, 150, 1120, 900, 300, 60, 1150][index % 10])
                valid_to = start + timedelta(days=3 * 365 - 1)
            elif kind in (kinds.WOMEN_OWNED, kinds.DISABLED_OWNED):
                valid_to = start + timedelta(days=3 * 365 - 1)
            pending = index in (3, 20) and position == len(held) - 1 and len(held) > 1
            number = f"{start.year}-{(index + 1) * 7 + position:03d}" if kind in kinds.NEEDS_NUMBER else None
            db.session.add(Certification(
                organization=organization, kind=kind, number=number, valid_from=start, valid_to=valid_to,
                designated_by=("local" if index % 2 else "ministry") if kind == kinds.PRELIMINARY else None,
                status="pending" if pending else "verified",
                verified_at=None if pending else utcnow(), verified_by_id=None if pending else self.admin.id))
        db.session.flush()

    def listings(self, organization: Organization, enterprise: dict, index: int, manager: User) -> None:
        from market.demo.catalog_data import LISTINGS

        same_industry = [e for e in data.ENTERPRISES if e["industry"] == enterprise["industry"]]
        rank = same_industry.index(enterprise)
        main = [item for n, item in enumerate(LISTINGS[enterprise["industry"]]) if n % len(same_industry) == rank]
        extra = [LISTINGS[code][index % len(LISTINGS[code])] for code in enterprise["secondary_industries"][:1]]
        publishable = catalog.can_publish(organization)
        for position, (item, industry_code) in enumerate(
                [(i, enterprise["industry"]) for i in main] + [(i, c) for i, c in
                                                               zip(extra, enterprise["secondary_industries"])]):
            listing = Listing(
                organization=organization, title=item["title"], description=item["description"],
                industry=catalog.industry_by_code(industry_code), group=catalog.industry_by_code(item["group"]),
                category=item["category"], unit=item["unit"], unit_price_krw=item["unit_price_krw"],
                vat_included=item["vat_included"], min_order=item["min_order"],
                lead_time_days=item["lead_time_days"], service_area=item["service_area"], position=position + 1,
                status="published" if publishable and position < 4 else "draft")
            db.session.add(listing)
            db.session.flush()
            if self.with_pictures:
                self.image(listing, industry_code)
            self.created["listings"] += 1
        catalog.reindex_enterprise(organization)  # indexes the enterprise and every listing just added

    def picture(self, industry_code: str) -> bytes:
        """A generated picture (never downloaded): rings in the industry's colour, drawn once per industry."""
        if industry_code not in self.pictures:
            from PIL import Image, ImageDraw

            hue = sum(map(ord, industry_code)) % 360
            picture = Image.new("RGB", (480, 360), _hsv_to_rgb(hue / 360, 0.35, 0.92))
            draw = ImageDraw.Draw(picture)
            for band in range(8):
                left, top = self.random.randint(-80, 300), self.random.randint(-80, 220)
                draw.ellipse([left, top, left + self.random.randint(90, 270), top + self.random.randint(90, 220)],
                             outline=_hsv_to_rgb(hue / 360, 0.65, 0.65), width=5 + band)
            buffer = io.BytesIO()
            picture.save(buffer, "PNG")
            self.pictures[industry_code] = buffer.getvalue()
        return self.pictures[industry_code]

    def image(self, listing: Listing, industry_code: str) -> None:
        from market.catalog.models import ListingImage
        from market.core.images import store_image

        stored = store_image(io.BytesIO(self.picture(industry_code)))
        db.session.add(ListingImage(listing=listing, filename=stored.filename, thumb_filename=stored.thumb_filename,
                                    width=stored.width, height=stored.height, position=0))


def _hsv_to_rgb(h: float, s: float, v: float) -> tuple[int, int, int]:
    import colorsys

    return tuple(int(c * 255) for c in colorsys.hsv_to_rgb(h, s, v))


def load_demo(pictures: bool = False) -> Counter[str]:
    return DemoLoader(pictures).load()


def database_is_empty() -> bool:
    return db.session.scalar(db.select(db.func.count()).select_from(Organization)) == 0
