"""Reports blueprint: the city's and each agency's attainment, drill-down, targets and exports."""
from __future__ import annotations

import csv
import io

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from openpyxl import Workbook

from market.accounts.models import Organization
from market.catalog.kinds import CERTIFICATION_KINDS
from market.core.errors import DomainError
from market.core.permissions import city_admin_required, require
from market.extensions import db
from market.reports import queries, services
from market.reports.models import SOCIAL_ECONOMY

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
                           target=sum(r.target_krw or 0 for r in rows))


@bp.route("/agencies/<int:agency_id>")
@login_required
def agency(agency_id: int):
    agency = _agency(agency_id)
    year = _year()
    rows = services.agency_table(year, agency)
    monthly = queries.monthly(year, SOCIAL_ECONOMY, agency.id)
    return render_template("reports/agency.html", agency=agency, rows=rows, year=year, labels=category_labels(),
                           monthly=monthly, projection=services.projection(monthly, year),
                           target=next(r.target_krw for r in rows if r.category == SOCIAL_ECONOMY))


@bp.route("/agencies/<int:agency_id>/orders")
@login_required
def orders(agency_id: int):
    agency = _agency(agency_id)
    year, category = _year(), _category()
    found = db.session.scalars(queries.orders_behind(year, category, agency.id)).all()
    return render_template("reports/orders.html", agency=agency, orders=found, year=year, category=category,
                           labels=category_labels(), total=sum(o.total_krw for o in found))


@bp.route("/agencies/<int:agency_id>/targets", methods=["GET", "POST"])
@city_admin_required
def targets(agency_id: int):
    agency = _agency(agency_id)
    year = _year()
    current = services.targets(year, agency.id)
    values = {c: request.form.get(f"target-{c}", "").replace(",", "").strip() for c in queries.CATEGORIES} \
        if request.method == "POST" else {c: current.get((agency.id, c), "") for c in queries.CATEGORIES}
    if request.method == "POST":
        bad = [c for c, v in values.items() if v and not v.isdigit()]
        if bad:
            flash(_("A target is a whole, non-negative number of won."), "danger")
        else:
            try:
                services.set_targets(current_user, agency, year, {c: int(v) if v else None for c, v in values.items()})
            except DomainError as error:
                db.session.rollback()
                flash(error.message, "danger")
            else:
                db.session.commit()
                flash(_("The targets have been saved."), "success")
                return redirect(url_for("reports.agency", agency_id=agency.id, year=year))
    return render_template("reports/targets.html", agency=agency, year=year, values=values,
                           labels=category_labels(), invalid=request.method == "POST"), \
        400 if request.method == "POST" else 200


@bp.route("/city.<any(csv, xlsx):fmt>")
@city_admin_required
def export(fmt: str):
    year, category = _year(), _category()
    labels = category_labels()
    header = [_("Agency"), _("Category"), _("Target (won)"), _("Actual (won)"), _("Attainment (%)")]
    rows = [[r.agency.name, str(labels[category]), "" if r.target_krw is None else r.target_krw, r.actual_krw,
             "" if r.percent is None else r.percent] for r in services.city_table(year, category)]
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
