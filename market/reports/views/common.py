"""The reports blueprint and what its pages share: the year, category and view asked for, the agency, the
breakdowns' lines, and what the audit log says of the reports' records."""
from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from flask import Blueprint, abort, current_app, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from market.accounts.models import Organization
from market.catalog.kinds import CERTIFICATION_KINDS, LISTING_CATEGORIES
from market.core import audit
from market.core.errors import ValidationFailed
from market.core.permissions import require
from market.extensions import current_locale, db
from market.reports import queries, services
from market.reports.counting import COUNTING_POINT_LABELS, counting_point
from market.reports.forms import CHANNEL_LABELS
from market.reports.models import (AMOUNT, PARTS, PERCENT, SOCIAL_ECONOMY, OffPlatformPurchase, ReportSetting,
                                   TargetProposal)
from market.reports.permissions import can_change_off_platform, can_decide_proposal, can_set_targets, can_view_agency
from market.reports.states import OFF_PLATFORM, PROPOSAL

bp = Blueprint("reports", __name__, url_prefix="/reports")
# The rules the templates decide with, by the same names.
for rule in (can_change_off_platform, can_decide_proposal, can_set_targets):
    bp.add_app_template_global(rule)

# Histories and the audit log show the reports' codes by their labels (a target is recorded by its category).
audit.label_fields({SOCIAL_ECONOMY: _l("Social economy (total)"), **CERTIFICATION_KINDS,
                    "counting_point": _l("A purchase on the platform counts"), "basis": _l("Target type"),
                    "rate_bp": _l("Percentage"), "works_rate_bp": _l("and, as a percentage, of works")})
for _subject in ("target", "target_proposal"):
    audit.label_values(_subject, "basis", {AMOUNT: _l("Amount"), PERCENT: _l("Percentage")})
# What the audit log says of the reports' records, and where their pages are.
audit.describe_subject(
    TargetProposal, _l("Proposed targets"), keys=(TargetProposal.agency_id, TargetProposal.year), machine=PROPOSAL,
    name=sa.select(Organization.name).where(Organization.id == TargetProposal.agency_id).scalar_subquery(),
    url=lambda agency_id, year: url_for("reports.proposal", agency_id=agency_id, year=year))
audit.describe_subject(OffPlatformPurchase, _l("Purchases made off the platform"), machine=OFF_PLATFORM,
                       name=OffPlatformPurchase.description,
                       actions=("off_platform_purchase.create", "off_platform_purchase.update"))
audit.describe_subject(ReportSetting, _l("Counting rule"), url=lambda _id: url_for("reports.counting"),
                       actions=("report_setting.update",))
audit.label_values("report_setting", "counting_point", COUNTING_POINT_LABELS)
audit.label_values("off_platform_purchase", "channel", CHANNEL_LABELS)
audit.label_values("off_platform_purchase", "category", LISTING_CATEGORIES)


@bp.app_template_global()
def reports_counting_point() -> str:
    """Contract or payment: said under every figure, on screen and on paper."""
    return counting_point()


def _year() -> int:
    year = request.args.get("year", type=int) or services.current_year()
    return year if 2000 <= year <= 2100 else services.current_year()


def _category() -> str:
    category = request.args.get("category") or SOCIAL_ECONOMY
    return category if category in queries.CATEGORIES else SOCIAL_ECONOMY


def category_labels() -> dict:
    return {SOCIAL_ECONOMY: _("Social economy (total)"), **CERTIFICATION_KINDS}


def _agency(agency_id: int) -> Organization:
    agency = db.get_or_404(Organization, agency_id)
    if not agency.is_agency:
        abort(404)
    require(can_view_agency(current_user, agency))
    return agency


VIEWS = ("agencies", "kinds", "industries", "enterprises", "months", "quarters")


def _view() -> str:
    view = request.args.get("view") or "agencies"
    return view if view in VIEWS else "agencies"


def view_labels() -> dict:
    return {"agencies": _("Agencies"), "kinds": _("Enterprise type"), "industries": _("Industry"),
            "enterprises": _("Enterprise"), "months": _("Month"), "quarters": _("Quarter")}


def _per_page() -> int:
    return current_app.config["PAGE_SIZE"]


@dataclass
class Line:
    """One line of a breakdown: what it is, how many purchases (when known), the won, the drill-down's filters."""

    label: str
    purchases: int | None
    amount_krw: int
    drill: dict


def _breakdown(view: str, year: int, category: str, rows=None, monthly=None) -> list[Line]:
    """The lines of a city breakdown other than the agencies'; `rows` is a page of enterprises when paginated."""
    if view == "kinds":
        figures = queries.by_kind(year)
        return [Line(str(label), None, figures.get(code, 0), {"category": code})
                for code, label in category_labels().items()]
    if view == "industries":
        english = current_locale() == "en"
        return [Line((name_en if english else name_ko) if industry_id else _("No industry given"),
                     count, int(won), {"industry_id": industry_id or 0})
                for industry_id, _code, name_ko, name_en, won, count in queries.by_industry(year, category)]
    if view == "enterprises":
        rows = db.session.execute(queries.by_enterprise(year, category)).all() if rows is None else rows
        return [Line(name, count, int(won), {"enterprise_id": enterprise_id})
                for enterprise_id, name, won, count in rows]
    monthly = queries.monthly(year, category) if monthly is None else monthly
    if view == "quarters":
        return [Line(_("Q%(quarter)d", quarter=q), None, won, {"quarter": q})
                for q, won in enumerate(queries.quarterly(monthly), start=1)]
    return [Line(_("Month %(month)d", month=m), None, won, {"month": m}) for m, won in enumerate(monthly, start=1)]


def _parts() -> dict:
    """Goods, services and works, with their labels."""
    return {part: LISTING_CATEGORIES[part] for part in PARTS}


def _digits(text: str) -> int | None:
    text = (text or "").replace(",", "").strip()
    if not text:
        return None
    if not text.isdigit():
        raise ValidationFailed(_("Amounts are whole, non-negative numbers of won."))
    return int(text)
