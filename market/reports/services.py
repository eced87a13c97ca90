"""Targets and the attainment tables the dashboards, exports and API share."""
from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from flask_babel import gettext as _

from market.accounts.models import Organization, OrgKind
from market.core import audit
from market.core.errors import NotAllowed, ValidationFailed
from market.core.timeutil import seoul_today
from market.extensions import db
from market.reports import queries
from market.reports.models import SOCIAL_ECONOMY, PurchaseTarget


def can_view_agency(user, agency: Organization) -> bool:
    return bool(user and user.is_authenticated and (user.is_city_admin or user.organization_id == agency.id))


def current_year() -> int:
    return seoul_today().year


def targets(year: int, agency_id: int | None = None) -> dict[tuple[int, str], int]:
    stmt = sa.select(PurchaseTarget).where(PurchaseTarget.year == year)
    if agency_id:
        stmt = stmt.where(PurchaseTarget.agency_id == agency_id)
    return {(t.agency_id, t.category): t.amount_krw for t in db.session.scalars(stmt)}


def set_targets(actor, agency: Organization, year: int, amounts: dict[str, int | None]) -> None:
    """The support center sets an agency's targets for a year (empty = no target for that category)."""
    if not actor.is_city_admin:
        raise NotAllowed(_("Only the support center sets purchasing targets."))
    if not agency.is_agency:
        raise ValidationFailed(_("Targets are set for public agencies."))
    if not 2000 <= year <= 2100:
        raise ValidationFailed(_("Choose a year between 2000 and 2100."))
    existing = {t.category: t for t in db.session.scalars(
        sa.select(PurchaseTarget).where(PurchaseTarget.agency_id == agency.id, PurchaseTarget.year == year))}
    for category, amount in amounts.items():
        if category not in queries.CATEGORIES:
            raise ValidationFailed(_("Unknown category."))
        if amount is not None and (not isinstance(amount, int) or amount < 0):
            raise ValidationFailed(_("A target is a whole, non-negative number of won."))
        target = existing.get(category)
        before = target.amount_krw if target else None
        if amount is None:
            if target:
                db.session.delete(target)
        elif target:
            target.amount_krw, target.set_by_id = amount, actor.id
        else:
            db.session.add(PurchaseTarget(agency_id=agency.id, year=year, category=category, amount_krw=amount,
                                          set_by_id=actor.id))
        if before != amount:
            audit.record(actor, "target.set", agency, before={"year": year, category: before},
                         after={"year": year, category: amount})
    db.session.flush()


@dataclass
class Attainment:
    agency: Organization
    category: str
    target_krw: int | None
    actual_krw: int

    @property
    def percent(self) -> int | None:
        """Whole percent of the target reached (rounded down), or None without a target."""
        if not self.target_krw:
            return None
        return self.actual_krw * 100 // self.target_krw

    @property
    def remaining_krw(self) -> int | None:
        return None if self.target_krw is None else max(self.target_krw - self.actual_krw, 0)


def agencies() -> list[Organization]:
    return db.session.scalars(sa.select(Organization).where(Organization.kind == OrgKind.AGENCY,
                                                            Organization.status == "approved")
                              .order_by(Organization.name)).all()


def city_table(year: int, category: str = SOCIAL_ECONOMY) -> list[Attainment]:
    """Every agency's attainment in one category, best first (agencies without a target last)."""
    goals, done = targets(year), queries.actuals(year, category=category)
    rows = [Attainment(agency, category, goals.get((agency.id, category)), done.get((agency.id, category), 0))
            for agency in agencies()]
    return sorted(rows, key=lambda r: (r.percent is None, -(r.percent or 0), -r.actual_krw, r.agency.name))


def agency_table(year: int, agency: Organization) -> list[Attainment]:
    goals, done = targets(year, agency.id), queries.actuals(year, agency.id)
    return [Attainment(agency, category, goals.get((agency.id, category)), done.get((agency.id, category), 0))
            for category in queries.CATEGORIES]


def projection(monthly: list[int], year: int) -> int:
    """Year-end projection at the pace so far (months elapsed in Korea time)."""
    today = seoul_today()
    months = 12 if year < today.year else (0 if year > today.year else today.month)
    done = sum(monthly[:months]) if months else 0
    return done * 12 // months if months else 0
