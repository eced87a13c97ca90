"""Targets and the attainment tables the dashboards, exports and API share; the agency's totals, proposals and
shortfall reasons; the counted purchases a certificate lists."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation

import sqlalchemy as sa
from flask_babel import gettext as _

from market.accounts.models import Organization, OrgKind
from market.core import audit
from market.core.errors import NotAllowed, ValidationFailed
from market.core.states import transition
from market.core.timeutil import seoul_today, utcnow
from market.extensions import db
from market.procurement.models import PurchaseOrder
from market.reports import notifications, queries
from market.reports.models import (ACTUAL, AMOUNT, PARTS, PERCENT, PLANNED, SOCIAL_ECONOMY, PurchaseTarget,
                                   PurchaseTotal, ShortfallReason, TargetProposal)
from market.reports.permissions import can_enter_totals, can_report_for, can_set_targets
from market.reports.states import PROPOSAL
from market.reports.statutory import denominator, statutory_rates

MAX_KRW = 10**15  # a sanity bound, far above any agency's yearly purchases


def current_year() -> int:
    return seoul_today().year


def _check_year(year: int) -> None:
    if not 2000 <= year <= 2100:
        raise ValidationFailed(_("Choose a year between 2000 and 2100."))


# --- the agency's total purchases: the denominators of percentage targets ---

def totals(year: int, agency_id: int | None = None) -> dict[int, dict[str, PurchaseTotal]]:
    """{agency_id: {"planned": PurchaseTotal, "actual": PurchaseTotal}} for the year (either may be missing)."""
    stmt = sa.select(PurchaseTotal).where(PurchaseTotal.year == year)
    if agency_id:
        stmt = stmt.where(PurchaseTotal.agency_id == agency_id)
    found: dict[int, dict[str, PurchaseTotal]] = {}
    for total in db.session.scalars(stmt):
        found.setdefault(total.agency_id, {})[total.stage] = total
    return found


def denominator_of(stages: dict[str, PurchaseTotal]) -> PurchaseTotal | None:
    """The actual totals once entered; until then the planned ones."""
    return stages.get(ACTUAL) or stages.get(PLANNED)


def set_totals(actor, agency: Organization, year: int, stage: str, amounts: dict[str, int] | None) -> None:
    """The agency's manager or the city enters planned or actual totals (None clears that stage)."""
    if not can_enter_totals(actor, agency):
        raise NotAllowed(_("Only the agency's manager or the support center enters its total purchases."))
    _check_year(year)
    if stage not in (PLANNED, ACTUAL):
        raise ValidationFailed(_("Unknown stage."))
    if amounts is not None and (set(amounts) != set(PARTS) or any(
            not isinstance(v, int) or not 0 <= v < MAX_KRW for v in amounts.values())):
        raise ValidationFailed(_("Totals are whole, non-negative numbers of won."))
    row = db.session.scalar(sa.select(PurchaseTotal).where(PurchaseTotal.agency_id == agency.id,
                                                           PurchaseTotal.year == year, PurchaseTotal.stage == stage))
    before = {p: row.part(p) for p in PARTS} if row else None
    if before == amounts:
        return
    if amounts is None:
        db.session.delete(row)
    elif row:
        for part, value in amounts.items():
            setattr(row, f"{part}_krw", value)
        row.set_by_id = actor.id
    else:
        db.session.add(PurchaseTotal(agency_id=agency.id, year=year, stage=stage, set_by_id=actor.id,
                                     **{f"{p}_krw": v for p, v in amounts.items()}))
    audit.record(actor, "purchase_totals.update", agency, before={"year": year, stage: before},
                 after={"year": year, stage: amounts})
    db.session.flush()


# --- targets ---

@dataclass(frozen=True)
class Goal:
    """One category's target as entered: won, or basis points of the category's denominator."""
    basis: str
    amount_krw: int | None = None
    rate_bp: int | None = None
    works_rate_bp: int | None = None

    @classmethod
    def of(cls, value) -> Goal:
        return value if isinstance(value, Goal) else cls(AMOUNT, amount_krw=value)

    def as_dict(self) -> dict:
        return {k: v for k, v in {"basis": self.basis, "amount_krw": self.amount_krw, "rate_bp": self.rate_bp,
                                  "works_rate_bp": self.works_rate_bp}.items() if v is not None}

    def won(self, category: str, base: PurchaseTotal | None) -> int | None:
        """The target in won; None for a percentage while the agency has entered no totals."""
        if self.basis == AMOUNT:
            return self.amount_krw
        if base is None:
            return None
        won = sum(base.part(p) for p in denominator(category)) * self.rate_bp // 10_000
        return won + (base.works_krw * self.works_rate_bp // 10_000 if self.works_rate_bp else 0)


def _goal(target: PurchaseTarget) -> Goal:
    return Goal(target.basis, target.amount_krw, target.rate_bp, target.works_rate_bp)


def parse_rate(text: str) -> int:
    """“1”, “0.5” or “12.25” percent as basis points; at most two decimals, never a float."""
    try:
        value = Decimal(text)
    except InvalidOperation:
        raise ValidationFailed(_("A percentage is a number between 0 and 100 with at most two decimals.")) from None
    bp = value * 100
    if not value.is_finite() or bp != bp.to_integral_value() or not 0 <= bp <= 10_000:
        raise ValidationFailed(_("A percentage is a number between 0 and 100 with at most two decimals."))
    return int(bp)


def format_rate(bp: int | None) -> str:
    if bp is None:
        return ""
    return f"{bp // 100}" if bp % 100 == 0 else f"{bp // 100}.{bp % 100:02d}".rstrip("0")


def _validate(goals: dict) -> dict[str, Goal | None]:
    checked: dict[str, Goal | None] = {}
    for category, value in goals.items():
        if category not in queries.CATEGORIES:
            raise ValidationFailed(_("Unknown category."))
        goal = None if value is None else Goal.of(value)
        if goal and goal.basis == AMOUNT and (not isinstance(goal.amount_krw, int) or not 0 <= goal.amount_krw < MAX_KRW
                                              or goal.rate_bp is not None or goal.works_rate_bp is not None):
            raise ValidationFailed(_("A target is a whole, non-negative number of won."))
        if goal and goal.basis == PERCENT and (
                goal.amount_krw is not None or not isinstance(goal.rate_bp, int) or not 0 <= goal.rate_bp <= 10_000
                or (goal.works_rate_bp is not None and not 0 <= goal.works_rate_bp <= 10_000)):
            raise ValidationFailed(_("A percentage is a number between 0 and 100 with at most two decimals."))
        if goal and goal.basis not in (AMOUNT, PERCENT):
            raise ValidationFailed(_("A target is an amount in won or a percentage."))
        checked[category] = goal
    return checked


def standing_goals(year: int, agency_id: int) -> dict[str, Goal]:
    return {t.category: _goal(t) for t in db.session.scalars(
        sa.select(PurchaseTarget).where(PurchaseTarget.year == year, PurchaseTarget.agency_id == agency_id))}


def targets(year: int, agency_id: int | None = None) -> dict[tuple[int, str], int]:
    """{(agency_id, category): won} of the standing targets, percentages computed on the agency's totals."""
    stmt = sa.select(PurchaseTarget).where(PurchaseTarget.year == year)
    if agency_id:
        stmt = stmt.where(PurchaseTarget.agency_id == agency_id)
    rows = db.session.scalars(stmt).all()
    bases = totals(year, agency_id) if any(t.basis == PERCENT for t in rows) else {}
    found = {}
    for target in rows:
        won = _goal(target).won(target.category, denominator_of(bases.get(target.agency_id, {})))
        if won is not None:
            found[(target.agency_id, target.category)] = won
    return found


def _apply(actor, agency: Organization, year: int, goals: dict[str, Goal | None]) -> None:
    existing = {t.category: t for t in db.session.scalars(
        sa.select(PurchaseTarget).where(PurchaseTarget.agency_id == agency.id, PurchaseTarget.year == year))}
    for category, goal in goals.items():
        target = existing.get(category)
        before = _goal(target) if target else None
        if before == goal:
            continue
        if goal is None:
            db.session.delete(target)
        else:
            target = target or PurchaseTarget(agency_id=agency.id, year=year, category=category)
            target.basis, target.amount_krw, target.rate_bp, target.works_rate_bp = \
                goal.basis, goal.amount_krw, goal.rate_bp, goal.works_rate_bp
            target.set_by_id = actor.id
            db.session.add(target)
        audit.record(actor, "target.set", agency, before={"year": year, category: before and before.as_dict()},
                     after={"year": year, category: goal and goal.as_dict()})
    db.session.flush()


def set_targets(actor, agency: Organization, year: int, goals: dict[str, Goal | int | None]) -> None:
    """The support center sets an agency's targets for a year (an int is won; None = no target)."""
    if not can_set_targets(actor):
        raise NotAllowed(_("Only the support center sets purchasing targets."))
    if not agency.is_agency:
        raise ValidationFailed(_("Targets are set for public agencies."))
    _check_year(year)
    _apply(actor, agency, year, _validate(goals))


def form_defaults(year: int, agency_id: int) -> dict[str, Goal]:
    """What the targets form starts from: the standing targets, else the statutory rates."""
    defaults = {c: Goal(PERCENT, rate_bp=r.rate_bp, works_rate_bp=r.works_rate_bp)
                for c, r in statutory_rates(year).items()}
    return {**defaults, **standing_goals(year, agency_id)}


# --- targets the agency proposes, standing once the city approves them ---

def pending_proposal(year: int, agency_id: int) -> TargetProposal | None:
    return db.session.scalar(sa.select(TargetProposal).where(
        TargetProposal.agency_id == agency_id, TargetProposal.year == year, TargetProposal.status == "proposed"))


def latest_proposal(year: int, agency_id: int) -> TargetProposal | None:
    return db.session.scalar(sa.select(TargetProposal).where(
        TargetProposal.agency_id == agency_id, TargetProposal.year == year)
        .order_by(TargetProposal.proposed_at.desc(), TargetProposal.id.desc()).limit(1))


def proposal_goals(proposal: TargetProposal) -> dict[str, Goal]:
    return {c: Goal(**g) for c, g in proposal.targets.items()}


def propose_targets(actor, agency: Organization, year: int, goals: dict[str, Goal | int | None]) -> TargetProposal:
    """The agency's manager proposes its targets; a pending proposal is replaced by the new one."""
    if not can_report_for(actor, agency):
        raise NotAllowed(_("Only the agency's manager proposes its targets."))
    _check_year(year)
    checked = {c: g.as_dict() for c, g in _validate(goals).items() if g is not None}
    proposal = pending_proposal(year, agency.id)
    if proposal:
        before, proposal.targets = proposal.targets, checked
        proposal.proposed_by_id, proposal.proposed_at = actor.id, utcnow()
        audit.record(actor, "target_proposal.amend", proposal, before={"targets": before}, after={"targets": checked})
    else:
        proposal = TargetProposal(agency=agency, year=year, status="proposed", targets=checked,
                                  proposed_by_id=actor.id)
        db.session.add(proposal)
        audit.record(actor, "target_proposal.submit", proposal, after={"year": year, "targets": checked})
    notifications.proposal_submitted(proposal)
    db.session.flush()
    return proposal


def decide_proposal(actor, proposal: TargetProposal, action: str, note: str | None = None) -> None:
    """The city approves (the proposal becomes the standing targets) or returns it with a reason."""
    transition(PROPOSAL, proposal, action, actor, note)
    proposal.decided_at, proposal.decision_note = utcnow(), (note or "").strip() or None
    if proposal.status == "approved":
        goals = proposal_goals(proposal)
        _apply(actor, proposal.agency, proposal.year,
               {c: goals.get(c) for c in queries.CATEGORIES})
    db.session.flush()


def pending_proposals() -> list[TargetProposal]:
    return db.session.scalars(sa.select(TargetProposal).where(TargetProposal.status == "proposed")
                              .order_by(TargetProposal.proposed_at)).all()


# --- shortfall reasons ---

def shortfall_reasons(year: int, agency_id: int | None = None) -> dict[tuple[int, str], str]:
    stmt = sa.select(ShortfallReason).where(ShortfallReason.year == year)
    if agency_id:
        stmt = stmt.where(ShortfallReason.agency_id == agency_id)
    return {(r.agency_id, r.category): r.reason for r in db.session.scalars(stmt)}


def set_shortfall_reasons(actor, agency: Organization, year: int, reasons: dict[str, str]) -> None:
    """The agency's manager says why it fell short, per category (an empty reason removes it)."""
    if not can_report_for(actor, agency):
        raise NotAllowed(_("Only the agency's manager writes its shortfall reasons."))
    _check_year(year)
    short = {row.category for row in agency_table(year, agency) if row.remaining_krw}
    existing = {r.category: r for r in db.session.scalars(sa.select(ShortfallReason).where(
        ShortfallReason.agency_id == agency.id, ShortfallReason.year == year))}
    for category, text in reasons.items():
        text = (text or "").strip()
        if len(text) > 2000:
            raise ValidationFailed(_("A reason is at most 2,000 characters."))
        if text and category not in short:
            raise ValidationFailed(_("A shortfall reason is for a category whose purchases are below its target."))
        row = existing.get(category)
        before = row.reason if row else None
        if before == (text or None):
            continue
        if not text:
            db.session.delete(row)
        elif row:
            row.reason, row.written_by_id = text, actor.id
        else:
            db.session.add(ShortfallReason(agency_id=agency.id, year=year, category=category, reason=text,
                                           written_by_id=actor.id))
        audit.record(actor, "shortfall_reason.update", agency, before={"year": year, category: before},
                     after={"year": year, category: text or None})
    db.session.flush()


# --- attainment ---

@dataclass
class Attainment:
    agency: Organization
    category: str
    target_krw: int | None
    actual_krw: int
    reason: str | None = None

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


def city_table(year: int, category: str = SOCIAL_ECONOMY,
               done: dict[tuple[int, str], int] | None = None) -> list[Attainment]:
    """Every agency's attainment in one category, best first (agencies without a target last). `done`: the
    actuals when the caller already has them (a dashboard's `queries.figures`)."""
    goals, reasons = targets(year), shortfall_reasons(year)
    done = queries.actuals(year, category=category) if done is None else done
    rows = [Attainment(agency, category, goals.get((agency.id, category)), done.get((agency.id, category), 0),
                       reasons.get((agency.id, category))) for agency in agencies()]
    return sorted(rows, key=lambda r: (r.percent is None, -(r.percent or 0), -r.actual_krw, r.agency.name))


def agency_table(year: int, agency: Organization) -> list[Attainment]:
    goals, done = targets(year, agency.id), queries.actuals(year, agency.id)
    reasons = shortfall_reasons(year, agency.id)
    return [Attainment(agency, category, goals.get((agency.id, category)), done.get((agency.id, category), 0),
                       reasons.get((agency.id, category))) for category in queries.CATEGORIES]


def projection(monthly: list[int], year: int) -> int:
    """Year-end projection at the pace so far (months elapsed in Korea time)."""
    today = seoul_today()
    months = 12 if year < today.year else (0 if year > today.year else today.month)
    done = sum(monthly[:months]) if months else 0
    return done * 12 // months if months else 0


def public_statistics(year: int | None = None) -> dict | None:
    """The city-wide social-economy figure of the public statistics page: the same sums as the city dashboard."""
    year = year or current_year()
    rows = city_table(year)
    total, target = sum(r.actual_krw for r in rows), sum(r.target_krw or 0 for r in rows)
    if not total and not target:
        return None
    return {"year": year, "total_krw": total, "target_krw": target,
            "percent": total * 100 // target if target else None}


# --- counted purchases: what a performance certificate lists ---

@dataclass
class CountedPurchase:
    """One row of the counted base (a platform order or a verified off-platform purchase) and its categories."""

    row: sa.Row
    categories: list[str] = field(default_factory=list)

    @property
    def amount_krw(self) -> int:
        return self.row.amount_krw

    @property
    def day(self) -> date:
        return self.row.contract_date


def counted_purchases(year: int, agency_id: int) -> list[CountedPurchase]:
    """Every purchase of the agency that counts in at least one category, with the categories it counts in.
    Built on the dashboards' own counted base and category test, so a certificate's totals are the dashboard's."""
    return _with_categories(queries.purchases_with_categories(year, agency_id))


def _with_categories(statement) -> list[CountedPurchase]:
    return [CountedPurchase(row, [c for c in queries.CATEGORIES if row._mapping[c]])
            for row in db.session.execute(statement)]


def category_totals(purchases: list[CountedPurchase]) -> dict[str, int]:
    sums = {c: 0 for c in queries.CATEGORIES}
    for purchase in purchases:
        for category in purchase.categories:
            sums[category] += purchase.amount_krw
    return sums


def order_count(order: PurchaseOrder) -> CountedPurchase | None:
    """How one order counts (its net amount, count date and categories), or None when it does not count now:
    cancelled or declined, fully refunded, unpaid when counting at payment, or without a valid certification."""
    for year in {order.contract_date.year, *queries.payment_years(order.id)}:
        counted = _with_categories(queries.purchases_with_categories(year, order.agency_id, order_id=order.id))
        if counted:
            return counted[0]
    return None


def support_center() -> Organization | None:
    return db.session.scalar(sa.select(Organization).where(Organization.kind == OrgKind.CITY)
                             .order_by(Organization.id).limit(1))
