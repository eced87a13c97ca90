"""Reports blueprint: the city's and each agency's attainment, breakdowns, drill-down, targets (set by the city
or proposed by the agency), the agency's totals and shortfall reasons, exports, print views and performance
certificates; purchases recorded off the platform and their verification; the counting point."""
from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from sqlalchemy.orm import selectinload

from market.accounts.models import Organization
from market.catalog.kinds import CERTIFICATION_KINDS, LISTING_CATEGORIES
from market.catalog.models import EnterpriseProfile, Industry
from market.core import audit, files, tables
from market.core.actions import perform
from market.core.errors import DomainError, ValidationFailed
from market.core.pagination import paginate, paginate_rows
from market.core.params import MAX_ID, id_arg
from market.core.permissions import city_admin_required, require
from market.core.timeutil import seoul_today
from market.extensions import current_locale, db
from market.procurement.models import PurchaseOrder
from market.procurement.permissions import can_view_order
from market.reports import off_platform, queries, services, submission
from market.reports.counting import COUNTING_POINT_LABELS, counting_point, set_counting_point
from market.reports.forms import CHANNEL_LABELS, CountingPointForm, DecisionForm, OffPlatformForm
from market.reports.models import (ACTUAL, AMOUNT, CHANNELS, PARTS, PERCENT, PLANNED, SOCIAL_ECONOMY,
                                   OffPlatformPurchase, ReportSetting, TargetProposal)
from market.reports.permissions import (can_change_off_platform, can_decide_proposal, can_enter_totals,
                                        can_record_off_platform, can_report_for, can_set_targets, can_view_agency,
                                        can_view_off_platform)
from market.reports.states import ACTION_LABELS, OFF_PLATFORM, PROPOSAL
from market.reports.statutory import denominator, statutory_rates

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
        require(can_report_for(current_user, agency))
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
                           can_propose=can_report_for(current_user, agency),
                           **_targets_context(agency, year)), status


@bp.route("/proposals/<int:proposal_id>/<any(approve, return):action>", methods=["POST"])
@city_admin_required
def decide_proposal(proposal_id: int, action: str):
    proposal = db.get_or_404(TargetProposal, proposal_id)
    perform(lambda: services.decide_proposal(current_user, proposal, action, request.form.get("note")),
            lambda: _("The proposed targets are now: %(state)s.", state=PROPOSAL.state(proposal.status).label))
    return redirect(url_for("reports.proposal", agency_id=proposal.agency_id, year=proposal.year))


def _submission_table(year: int, found: list) -> tuple[list, list]:
    """The annual submission as one table: this year's plan beside last year's results, by category and channel."""
    labels, last = category_labels(), year - 1
    header = [_("Agency"), _("Category"),
              _("%(year)d planned purchases (won)", year=year), _("%(year)d target (won)", year=year),
              _("%(year)d target ratio (%%)", year=year),
              _("%(year)d total purchases (won)", year=last), _("%(year)d target (won)", year=last),
              _("%(year)d actual (won)", year=last), _("%(year)d ratio to total purchases (%%)", year=last),
              _("%(year)d attainment (%%)", year=last),
              *[_("%(year)d %(channel)s (won)", year=last, channel=label) for label in CHANNEL_LABELS.values()],
              _("%(year)d shortfall reason", year=last)]
    blank = lambda value: "" if value is None else value  # noqa: E731
    rows = [[r.agency.name, str(labels[r.category]), blank(r.plan_base_krw), blank(r.plan_target_krw),
             services.format_rate(r.plan_ratio_bp), blank(r.last_base_krw), blank(r.last_target_krw),
             r.last_actual_krw, services.format_rate(r.last_ratio_bp), blank(r.last_attainment_percent),
             *[r.last_by_channel[c] for c in CHANNELS], r.last_reason or ""] for r in found]
    return header, rows


@bp.route("/agencies/<int:agency_id>/submission")
@bp.route("/agencies/<int:agency_id>/submission.<any(csv, xlsx):fmt>")
@login_required
def agency_submission(agency_id: int, fmt: str | None = None):
    """The agency's annual plan and results submission, on screen (printable) or as a file."""
    agency, year = _agency(agency_id), _year()
    header, rows = _submission_table(year, submission.rows(year, agency.id))
    if fmt:
        return tables.download(fmt, f"submission-{year}-{agency.id}.{fmt}", header, rows)
    return render_template("reports/submission.html", agency=agency, year=year, header=header, rows=rows,
                           today=seoul_today())


@bp.route("/submission.<any(csv, xlsx):fmt>")
@city_admin_required
def city_submission(fmt: str):
    """Every agency's annual submission in one file, for the city's own report upwards."""
    year = _year()
    header, rows = _submission_table(year, submission.rows(year))
    return tables.download(fmt, f"submission-{year}.{fmt}", header, rows)


@bp.route("/agencies/<int:agency_id>/certificate")
@login_required
def certificate(agency_id: int):
    """구매실적 확인서: every counted purchase of the year, and the totals per category."""
    agency = _agency(agency_id)
    year = _year()
    purchases = services.counted_purchases(year, agency.id)
    return render_template("reports/certificate.html", agency=agency, year=year, purchases=purchases,
                           channel_labels=CHANNEL_LABELS,
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
                           counted=services.order_count(order), issuer=services.support_center(),
                           today=seoul_today(), number=f"GS-C-{order.number}-{seoul_today():%Y%m%d}")


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


# --- purchases made off the platform ---

def _own_agency_user() -> None:
    require(can_record_off_platform(current_user))


def _visible(purchase_id: int) -> OffPlatformPurchase:
    purchase = db.get_or_404(OffPlatformPurchase, purchase_id)
    if not can_view_off_platform(current_user, purchase):
        abort(404)
    return purchase


def _purchase_form(obj=None) -> OffPlatformForm:
    form = OffPlatformForm(obj=obj)
    form.enterprise_id.choices = [(0, _("Choose an enterprise"))] + \
        [(org_id, name) for org_id, name in off_platform.enterprises()]
    return form


def _purchase_data(form: OffPlatformForm) -> off_platform.PurchaseData:
    return off_platform.PurchaseData(enterprise_id=form.enterprise_id.data or None,
                                     contract_date=form.contract_date.data, amount_krw=form.amount_krw.data,
                                     category=form.category.data, channel=form.channel.data,
                                     description=form.description.data or "")


@bp.route("/off-platform")
@login_required
def off_platform_list():
    _own_agency_user()
    page = paginate(off_platform.agency_purchases(current_user.organization_id), _per_page())
    return render_template("reports/off_platform_list.html", page=page, states=OFF_PLATFORM.states,
                           channel_labels=CHANNEL_LABELS)


@bp.route("/off-platform/new", methods=["GET", "POST"])
@login_required
def off_platform_new():
    _own_agency_user()
    form = _purchase_form()
    if form.validate_on_submit():
        try:
            off_platform.record(current_user, _purchase_data(form), form.evidence.data)
        except DomainError as error:
            db.session.rollback()
            flash(error.message, "danger")
        else:
            db.session.commit()
            flash(_("The purchase has been sent to the support center for verification."), "success")
            return redirect(url_for("reports.off_platform_list"))
    return render_template("reports/off_platform_form.html", form=form, purchase=None,
                           accept=files.ACCEPT_DOCUMENTS), 400 if request.method == "POST" else 200


@bp.route("/off-platform/<int:purchase_id>/edit", methods=["GET", "POST"])
@login_required
def off_platform_edit(purchase_id: int):
    purchase = _visible(purchase_id)
    require(can_change_off_platform(current_user, purchase))
    form = _purchase_form(obj=purchase if request.method == "GET" else None)
    if form.validate_on_submit():
        try:
            off_platform.update(current_user, purchase, _purchase_data(form), form.evidence.data)
        except DomainError as error:
            db.session.rollback()
            flash(error.message, "danger")
        else:
            db.session.commit()
            flash(_("The purchase has been saved and awaits verification."), "success")
            return redirect(url_for("reports.off_platform_list"))
    return render_template("reports/off_platform_form.html", form=form, purchase=purchase,
                           accept=files.ACCEPT_DOCUMENTS), 400 if request.method == "POST" else 200


@bp.route("/off-platform/<int:purchase_id>/delete", methods=["POST"])
@login_required
def off_platform_delete(purchase_id: int):
    purchase = _visible(purchase_id)
    require(can_change_off_platform(current_user, purchase))
    perform(lambda: off_platform.delete(current_user, purchase), _("The purchase has been deleted."))
    return redirect(url_for("reports.off_platform_list"))


@bp.route("/off-platform/<int:purchase_id>/evidence")
@login_required
def off_platform_evidence(purchase_id: int):
    purchase = _visible(purchase_id)
    return files.attachment(purchase.evidence_stored_name, purchase.evidence_name, purchase.evidence_kind)


@bp.route("/off-platform/review")
@city_admin_required
def off_platform_review():
    status = request.args.get("status", "recorded")
    status = status if status in OFF_PLATFORM.states else "recorded"
    page = paginate(off_platform.review_queue(status), _per_page())
    return render_template("reports/off_platform_review.html", page=page, status=status,
                           states=OFF_PLATFORM.states, machine=OFF_PLATFORM, action_labels=ACTION_LABELS,
                           channel_labels=CHANNEL_LABELS, form=DecisionForm())


@bp.route("/off-platform/<int:purchase_id>/<any(verify, reject):action>", methods=["POST"])
@city_admin_required
def off_platform_decide(purchase_id: int, action: str):
    purchase = db.get_or_404(OffPlatformPurchase, purchase_id)
    form = DecisionForm()
    if form.validate_on_submit():
        perform(lambda: off_platform.decide(current_user, purchase, action, form.note.data),
                lambda: _("%(agency)s: the purchase from %(enterprise)s is now %(state)s.",
                          agency=purchase.agency.name, enterprise=purchase.enterprise.name,
                          state=OFF_PLATFORM.state(purchase.status).label))
    return redirect(url_for("reports.off_platform_review"))


@bp.route("/counting", methods=["GET", "POST"])
@city_admin_required
def counting():
    form = CountingPointForm(counting_point=counting_point())
    if form.validate_on_submit():
        if perform(lambda: set_counting_point(current_user, form.counting_point.data),
                   _("The counting rule has been saved.")):
            return redirect(url_for("reports.index"))
    return render_template("reports/counting.html", form=form), 400 if request.method == "POST" else 200
