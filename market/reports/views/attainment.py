"""Attainment pages: the city's dashboard and breakdowns, each agency's page, totals and shortfall reasons,
the drill-down to purchases, exports and print views; the counting point."""
from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy.orm import selectinload

from market.accounts.models import Organization
from market.catalog.models import EnterpriseProfile, Industry
from market.core import tables
from market.core.actions import perform
from market.core.errors import DomainError, ValidationFailed
from market.core.pagination import paginate, paginate_rows
from market.core.params import MAX_ID, id_arg
from market.core.permissions import city_admin_required, require
from market.core.timeutil import seoul_today
from market.extensions import db
from market.reports import off_platform, queries, services
from market.reports.counting import counting_point, set_counting_point
from market.reports.forms import CHANNEL_LABELS, CountingPointForm
from market.reports.models import ACTUAL, CHANNELS, PARTS, PLANNED, SOCIAL_ECONOMY
from market.reports.permissions import can_enter_totals, can_report_for
from market.reports.states import PROPOSAL
from market.reports.views.common import (_agency, _breakdown, _category, _digits, _parts, _per_page, _view, _year, bp,
                                         category_labels, view_labels)


@bp.route("/")
@login_required
def index():
    if current_user.is_agency_user:
        return redirect(url_for("reports.agency", agency_id=current_user.organization_id))
    require(current_user.is_city_admin)
    year, category, view = _year(), _category(), _view()
    figures = queries.figures(year, category)
    rows = services.city_table(year, category, figures.actuals())
    monthly = figures.monthly()
    page = lines = None
    if view == "enterprises":
        page = paginate_rows(queries.by_enterprise(year, category), _per_page())
        lines = _breakdown(view, year, category, page.items)
    elif view != "agencies":
        lines = _breakdown(view, year, category, monthly=monthly)
    return render_template("reports/city.html", rows=rows, year=year, category=category, labels=category_labels(),
                           monthly=monthly, total=sum(r.actual_krw for r in rows),
                           target=sum(r.target_krw or 0 for r in rows), view=view, views=view_labels(),
                           lines=lines, page=page, channels=queries.channel_totals(figures.by_channel()),
                           channel_labels=CHANNEL_LABELS,
                           to_verify=off_platform.awaiting_verification(),
                           proposals=services.pending_proposals())


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
    figures = queries.figures(year, SOCIAL_ECONOMY, agency.id)
    monthly = figures.monthly()
    stages = services.totals(year, agency.id).get(agency.id, {})
    gap = paginate(queries.gap_enterprises(year - 1, agency.id, seoul_today())
                   .options(selectinload(Organization.profile).selectinload(EnterpriseProfile.main_industry)),
                   _per_page())
    return render_template("reports/agency.html", agency=agency, rows=rows, year=year, labels=category_labels(),
                           monthly=monthly, projection=services.projection(monthly, year),
                           target=next(r.target_krw for r in rows if r.category == SOCIAL_ECONOMY),
                           stages=stages, base=services.denominator_of(stages), parts=_parts(),
                           reasons=reasons if reasons is not None else {r.category: r.reason or "" for r in rows},
                           proposal=services.latest_proposal(year, agency.id), proposal_states=PROPOSAL.states,
                           can_report=can_report_for(current_user, agency),
                           can_enter_totals=can_enter_totals(current_user, agency),
                           channels=queries.channel_totals(figures.by_channel()),
                           channel_labels=CHANNEL_LABELS, gap=gap), status


@bp.route("/agencies/<int:agency_id>")
@login_required
def agency(agency_id: int):
    return _agency_page(_agency(agency_id), _year())


@bp.route("/agencies/<int:agency_id>/shortfall", methods=["POST"])
@login_required
def shortfall(agency_id: int):
    agency = _agency(agency_id)
    require(can_report_for(current_user, agency))
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


@bp.route("/agencies/<int:agency_id>/totals", methods=["GET", "POST"])
@login_required
def totals(agency_id: int):
    agency = _agency(agency_id)
    require(can_enter_totals(current_user, agency))
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


def _drill_filters() -> dict:
    """The drill-down's filters from the query string; anything unknown or malformed is ignored."""
    args, found = request.args, {}
    if args.get("channel") in CHANNELS:
        found["channel"] = args["channel"]
    for name, low, high in (("month", 1, 12), ("quarter", 1, 4), ("enterprise_id", 1, MAX_ID),
                            ("industry_id", 0, MAX_ID)):
        value = args.get(name, type=int)
        if value is not None and low <= value <= high:
            found[name] = value
    return found


def _drill_down(agency: Organization | None):
    year, category, filters = _year(), _category(), _drill_filters()
    statement = queries.purchases_behind(year, category, agency.id if agency else None, **filters)
    enterprise = db.session.get(Organization, filters["enterprise_id"]) if "enterprise_id" in filters else None
    industry = db.session.get(Industry, filters["industry_id"]) if filters.get("industry_id") else None
    return render_template("reports/orders.html", agency=agency, page=paginate_rows(statement, _per_page()),
                           total=queries.total_of(statement), year=year, category=category, filters=filters,
                           labels=category_labels(), channel_labels=CHANNEL_LABELS, enterprise=enterprise,
                           industry=industry, counting_point=counting_point())


@bp.route("/agencies/<int:agency_id>/orders")
@login_required
def orders(agency_id: int):
    return _drill_down(_agency(agency_id))


@bp.route("/purchases")
@city_admin_required
def purchases():
    agency_id = id_arg("agency_id")
    return _drill_down(_agency(agency_id) if agency_id else None)


@bp.route("/city.<any(csv, xlsx):fmt>")
@city_admin_required
def export(fmt: str):
    year, category, view = _year(), _category(), _view()
    labels = category_labels()
    if view == "agencies":
        channels = queries.by_channel(year, category)
        header = [_("Agency"), _("Category"), _("Target (won)"), _("Actual (won)"), _("Attainment (%)"),
                  *[_("%(channel)s (won)", channel=label) for label in CHANNEL_LABELS.values()], _("Shortfall reason")]
        rows = [[r.agency.name, str(labels[category]), "" if r.target_krw is None else r.target_krw, r.actual_krw,
                 "" if r.percent is None else r.percent, *[channels.get((r.agency.id, c), 0) for c in CHANNELS],
                 r.reason or ""] for r in services.city_table(year, category)]
        return tables.download(fmt, f"attainment-{year}-{category}.{fmt}", header, rows)
    lines = _breakdown(view, year, category)
    counts = view in ("industries", "enterprises")
    # By enterprise type, each line is a category of its own; the other breakdowns are of the chosen category.
    per_category = view != "kinds"
    header = [view_labels()[view], *([_("Category")] if per_category else []), *([_("Purchases")] if counts else []),
              _("Amount (won)")]
    rows = [[line.label, *([str(labels[category])] if per_category else []), *([line.purchases] if counts else []),
             line.amount_krw] for line in lines]
    return tables.download(fmt, f"{view}-{year}-{category}.{fmt}", header, rows)


@bp.route("/counting", methods=["GET", "POST"])
@city_admin_required
def counting():
    form = CountingPointForm(counting_point=counting_point())
    if form.validate_on_submit():
        if perform(lambda: set_counting_point(current_user, form.counting_point.data),
                   _("The counting rule has been saved.")):
            return redirect(url_for("reports.index"))
    return render_template("reports/counting.html", form=form), 400 if request.method == "POST" else 200
