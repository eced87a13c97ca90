"""Purchases made off the platform: recorded by the agency with their evidence, verified by the support center."""
from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from market.core import files
from market.core.actions import perform
from market.core.errors import DomainError
from market.core.pagination import paginate
from market.core.permissions import city_admin_required, require
from market.extensions import db
from market.reports import off_platform
from market.reports.forms import CHANNEL_LABELS, DecisionForm, OffPlatformForm
from market.reports.models import OffPlatformPurchase
from market.reports.permissions import can_change_off_platform, can_record_off_platform, can_view_off_platform
from market.reports.states import ACTION_LABELS, OFF_PLATFORM
from market.reports.views.common import _per_page, bp


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
