"""Reports blueprint: the city's and each agency's attainment, drill-down, targets (set by the city or proposed
by the agency), the agency's totals and shortfall reasons, exports, print views and performance certificates."""
from __future__ import annotations

import csv
import io

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from openpyxl import Workbook

from market.accounts.models import Organization
from market.catalog.kinds import CERTIFICATION_KINDS, LISTING_CATEGORIES
from market.core.actions import perform
from market.core.errors import DomainError, ValidationFailed
from market.core.permissions import city_admin_required, require
from market.core.timeutil import seoul_today
from market.extensions import db
from market.procurement.models import PurchaseOrder
from market.procurement.services import can_view_order
from market.reports import queries, services
from market.reports.models import ACTUAL, AMOUNT, PARTS, PERCENT, PLANNED, SOCIAL_ECONOMY, TargetProposal
from market.reports.states import PROPOSAL
from market.reports.statutory import denominator, statutory_rates

bp = Blueprint("reports", __name__, url_prefix="/reports")


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
    require(services.can_view_agency(current_user, agency))
    return agency


@bp.route("/")
@login_required
def index():
    if current_user.is_agency_user:
        return redirect(url_for("reports.agency", agency_id=current_user.organization_id))
    require(current_user.is_city_admin)
    year, category = _year(), _category()
    rows = services.city_table(year, category)
    monthly = queries.monthly(year, category)
    return render_template("reports/city.html", rows=rows, year=year, category=category, labels=category_labels(),
                           monthly=monthly, total=sum(r.actual_krw for r in rows),
                           target=sum(r.target_krw or 0 for r in rows), proposals=services.pending_proposals())


@bp.route("/print")
@city_admin_required
def city_print():
    year, category = _year(), _category()
    rows = services.city_table(year, category)
    return render_template("reports/print_city.html", rows=rows, year=year, category=category,
                           labels=category_labels(), total=sum(r.actual_krw for r in rows),
                           target=sum(r.target_krw or 0 for r in rows), today=seoul_today())


def _agency_page(agency, year: int, reasons: dict | None = None, status: int = 200):
    rows = services.agency_table(year, agency)
    monthly = queries.monthly(year, SOCIAL_ECONOMY, agency.id)
    stages = services.totals(year, agency.id).get(agency.id, {})
    return render_template("reports/agency.html", agency=agency, rows=rows, year=year, labels=category_labels(),
                           monthly=monthly, projection=services.projection(monthly, year),
                           target=next(r.target_krw for r in rows if r.category == SOCIAL_ECONOMY),
                           stages=stages, base=services.denominator_of(stages), parts=_parts(),
                           reasons=reasons if reasons is not None else {r.category: r.reason or "" for r in rows},
                           proposal=services.latest_proposal(year, agency.id), proposal_states=PROPOSAL.states,
                           can_report=services.can_report_for(current_user, agency),
                           can_enter_totals=services.can_enter_totals(current_user, agency)), status


@bp.route("/agencies/<int:agency_id>")
@login_required
def agency(agency_id: int):
    return _agency_page(_agency(agency_id), _year())


@bp.route("/agencies/<int:agency_id>/shortfall", methods=["POST"])
@login_required
def shortfall(agency_id: int):
    agency = _agency(agency_id)
    require(services.can_report_for(current_user, agency))
    year = _year()
    reasons = {c: request.form.get(f"reason-{c}", "") for c in queries.CATEGORIES if f"reason-{c}" in request.form}
    try:
        services.set_shortfall_reasons(current_user, agency, year, reasons)
    except DomainError as error:
        db.session.rollback()
        flash(error.message, "danger")
        return _agency_page(agency, year, reasons=reasons, status=400)
    db.session.commit()
    flash(_("The shortfall reasons have been saved."), "success")
    return redirect(url_for("reports.agency", agency_id=agency.id, year=year))


@bp.route("/agencies/<int:agency_id>/print")
@login_required
def agency_print(agency_id: int):
    agency = _agency(agency_id)
    year = _year()
    stages = services.totals(year, agency.id).get(agency.id, {})
    return render_template("reports/print_agency.html", agency=agency, rows=services.agency_table(year, agency),
                           year=year, labels=category_labels(), base=services.denominator_of(stages),
                           parts=_parts(), today=seoul_today())


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


@bp.route("/agencies/<int:agency_id>/totals", methods=["GET", "POST"])
@login_required
def totals(agency_id: int):
    agency = _agency(agency_id)
    require(services.can_enter_totals(current_user, agency))
    year = _year()
    stages = services.totals(year, agency.id).get(agency.id, {})
    if request.method == "GET":
        values = {f"{stage}-{part}": stages[stage].part(part) if stage in stages else ""
                  for stage in (PLANNED, ACTUAL) for part in PARTS}
        return render_template("reports/totals.html", agency=agency, year=year, values=values, parts=_parts())
    values = {f"{stage}-{part}": request.form.get(f"{stage}-{part}", "").strip()
              for stage in (PLANNED, ACTUAL) for part in PARTS}
    try:
        for stage in (PLANNED, ACTUAL):
            amounts = {part: _digits(values[f"{stage}-{part}"]) for part in PARTS}
            if all(v is None for v in amounts.values()):
                services.set_totals(current_user, agency, year, stage, None)
            elif any(v is None for v in amounts.values()):
                raise ValidationFailed(_("Enter goods, services and works (0 when there are none)."))
            else:
                services.set_totals(current_user, agency, year, stage, amounts)
    except DomainError as error:
        db.session.rollback()
        flash(error.message, "danger")
        return render_template("reports/totals.html", agency=agency, year=year, values=values, parts=_parts()), 400
    db.session.commit()
    flash(_("The total purchases have been saved."), "success")
    return redirect(url_for("reports.agency", agency_id=agency.id, year=year))


@bp.route("/agencies/<int:agency_id>/orders")
@login_required
def orders(agency_id: int):
    agency = _agency(agency_id)
    year, category = _year(), _category()
    found = db.session.scalars(queries.orders_behind(year, category, agency.id)).all()
    return render_template("reports/orders.html", agency=agency, orders=found, year=year, category=category,
                           labels=category_labels(), total=sum(o.total_krw for o in found))


def _form_values(goals: dict) -> dict[str, dict]:
    """What the targets form shows for each category, from goals (standing, proposed or statutory)."""
    values = {}
    for category in queries.CATEGORIES:
        goal = goals.get(category)
        if goal is None:
            values[category] = {"basis": AMOUNT, "value": "", "works": ""}
        elif goal.basis == PERCENT:
            values[category] = {"basis": PERCENT, "value": services.format_rate(goal.rate_bp),
                                "works": services.format_rate(goal.works_rate_bp)}
        else:
            values[category] = {"basis": AMOUNT, "value": goal.amount_krw, "works": ""}
    return values


def _posted_values() -> dict[str, dict]:
    return {c: {"basis": request.form.get(f"basis-{c}") or AMOUNT, "value": request.form.get(f"target-{c}", "").strip(),
                "works": request.form.get(f"works-{c}", "").strip()} for c in queries.CATEGORIES}


def _parse_goals(values: dict[str, dict]) -> dict:
    """Goals from the form: won, or a percentage (with a rate on works where the category leaves works out)."""
    goals = {}
    for category, value in values.items():
        if value["basis"] == PERCENT and value["value"]:
            works = value["works"] if "works" not in denominator(category) else ""
            goals[category] = services.Goal(PERCENT, rate_bp=services.parse_rate(value["value"]),
                                            works_rate_bp=services.parse_rate(works) if works else None)
        elif value["basis"] in (AMOUNT, PERCENT):
            amount = _digits(value["value"]) if value["basis"] == AMOUNT else None
            goals[category] = None if amount is None else services.Goal(AMOUNT, amount_krw=amount)
        else:
            raise ValidationFailed(_("A target is an amount in won or a percentage."))
    return goals


def _targets_context(agency, year: int) -> dict:
    stages = services.totals(year, agency.id).get(agency.id, {})
    return {"agency": agency, "year": year, "labels": category_labels(), "statutory": statutory_rates(year),
            "denominators": {c: denominator(c) for c in queries.CATEGORIES}, "parts": _parts(),
            "base": services.denominator_of(stages), "effective": services.targets(year, agency.id),
            "format_rate": services.format_rate}


@bp.route("/agencies/<int:agency_id>/targets", methods=["GET", "POST"])
@city_admin_required
def targets(agency_id: int):
    agency = _agency(agency_id)
    year = _year()
    if request.method == "GET":
        return render_template("reports/targets.html", values=_form_values(services.form_defaults(year, agency.id)),
                               **_targets_context(agency, year))
    values = _posted_values()
    try:
        services.set_targets(current_user, agency, year, _parse_goals(values))
    except DomainError as error:
        db.session.rollback()
        flash(error.message, "danger")
        return render_template("reports/targets.html", values=values, **_targets_context(agency, year)), 400
    db.session.commit()
    flash(_("The targets have been saved."), "success")
    return redirect(url_for("reports.agency", agency_id=agency.id, year=year))


@bp.route("/agencies/<int:agency_id>/proposal", methods=["GET", "POST"])
@login_required
def proposal(agency_id: int):
    """The agency's manager proposes its targets; the city reads the proposal here and decides."""
    agency = _agency(agency_id)
    year = _year()
    latest = services.latest_proposal(year, agency.id)
    if request.method == "POST":
        require(services.can_report_for(current_user, agency))
        values = _posted_values()
        try:
            services.propose_targets(current_user, agency, year, _parse_goals(values))
        except DomainError as error:
            db.session.rollback()
            flash(error.message, "danger")
            status = 400
        else:
            db.session.commit()
            flash(_("Your targets have been sent to the support center for approval."), "success")
            return redirect(url_for("reports.proposal", agency_id=agency.id, year=year))
    else:
        # A pending or returned proposal is amended from where it stands; after approval, the targets are it.
        values, status = _form_values(services.proposal_goals(latest) if latest and latest.status != "approved"
                                      else services.form_defaults(year, agency.id)), 200
    proposed = services.proposal_goals(latest) if latest else {}
    base = services.denominator_of(services.totals(year, agency.id).get(agency.id, {}))
    return render_template("reports/proposal.html", values=values, proposal=latest, states=PROPOSAL.states,
                           proposed={c: g.won(c, base) for c, g in proposed.items()}, proposed_goals=proposed,
                           standing=services.standing_goals(year, agency.id),
                           can_propose=services.can_report_for(current_user, agency),
                           **_targets_context(agency, year)), status


@bp.route("/proposals/<int:proposal_id>/<any(approve, return):action>", methods=["POST"])
@city_admin_required
def decide_proposal(proposal_id: int, action: str):
    proposal = db.get_or_404(TargetProposal, proposal_id)
    perform(lambda: services.decide_proposal(current_user, proposal, action, request.form.get("note")),
            lambda: _("The proposed targets are now: %(state)s.", state=PROPOSAL.state(proposal.status).label))
    return redirect(url_for("reports.proposal", agency_id=proposal.agency_id, year=proposal.year))


@bp.route("/agencies/<int:agency_id>/certificate")
@login_required
def certificate(agency_id: int):
    """구매실적 확인서: every counted purchase of the year, and the totals per category."""
    agency = _agency(agency_id)
    year = _year()
    purchases = services.counted_purchases(year, agency.id)
    return render_template("reports/certificate.html", agency=agency, year=year, purchases=purchases,
                           sums=services.category_totals(purchases), labels=category_labels(),
                           issuer=services.support_center(), today=seoul_today(),
                           number=f"GS-C-{year}-{agency.id:05d}-{seoul_today():%Y%m%d}")


@bp.route("/orders/<int:order_id>/certificate")
@login_required
def order_certificate(order_id: int):
    """The certificate of one order, for the enterprise (or agency) to submit: where it counts, and how much."""
    order = db.get_or_404(PurchaseOrder, order_id)
    if not can_view_order(current_user, order):
        abort(404)
    return render_template("reports/order_certificate.html", order=order, labels=category_labels(),
                           categories=services.order_categories(order), issuer=services.support_center(),
                           today=seoul_today(), number=f"GS-C-{order.number}-{seoul_today():%Y%m%d}")


@bp.route("/city.<any(csv, xlsx):fmt>")
@city_admin_required
def export(fmt: str):
    year, category = _year(), _category()
    labels = category_labels()
    header = [_("Agency"), _("Category"), _("Target (won)"), _("Actual (won)"), _("Attainment (%)"),
              _("Shortfall reason")]
    rows = [[r.agency.name, str(labels[category]), "" if r.target_krw is None else r.target_krw, r.actual_krw,
             "" if r.percent is None else r.percent, r.reason or ""] for r in services.city_table(year, category)]
    name = f"attainment-{year}-{category}.{fmt}"
    if fmt == "csv":
        buffer = io.StringIO()
        csv.writer(buffer).writerows([header, *rows])
        return Response(buffer.getvalue().encode("utf-8-sig"), mimetype="text/csv; charset=utf-8",
                        headers={"Content-Disposition": f"attachment; filename={name}"})
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = str(year)
    for row in [header, *rows]:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return Response(buffer.getvalue(), headers={"Content-Disposition": f"attachment; filename={name}"},
                    mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
