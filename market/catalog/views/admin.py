"""The support center's pages: certifications to verify and the industry taxonomy."""
from __future__ import annotations

from flask import current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from market.accounts.models import Organization
from market.catalog import forms, kinds, services
from market.catalog.models import Certification, Industry
from market.catalog.states import ACTION_LABELS, CERTIFICATION
from market.catalog.views.common import bp
from market.core.actions import perform
from market.core.pagination import paginate
from market.core.params import id_arg
from market.core.permissions import city_admin_required
from market.core.timeutil import seoul_today
from market.extensions import db


@bp.route("/catalog/admin/certifications")
@city_admin_required
def admin_certifications():
    status = request.args.get("status", "pending")
    status = status if status in CERTIFICATION.states else "pending"
    org_id = id_arg("organization")
    organization = db.session.get(Organization, org_id) if org_id else None
    page = paginate(services.certifications_query(status, organization and organization.id),
                    current_app.config["PAGE_SIZE"])
    return render_template("catalog/admin/certifications.html", page=page, status=status, organization=organization,
                           states=CERTIFICATION.states, kinds=kinds.CERTIFICATION_KINDS,
                           designations=kinds.DESIGNATIONS, action_labels=ACTION_LABELS, machine=CERTIFICATION,
                           form=forms.DecisionForm(), today=seoul_today())


@bp.route("/catalog/admin/certifications/<int:cert_id>/<any(verify, reject, revoke):action>", methods=["POST"])
@city_admin_required
def decide_certification(cert_id: int, action: str):
    certification = db.get_or_404(Certification, cert_id)
    form = forms.DecisionForm()
    if form.validate_on_submit():
        done = perform(lambda: services.decide_certification(current_user, certification, action, form.note.data),
                       lambda: _("%(organization)s: %(kind)s is now %(state)s.",
                                 organization=certification.organization.name,
                                 kind=kinds.CERTIFICATION_KINDS[certification.kind],
                                 state=CERTIFICATION.state(certification.status).label))
        if not done:
            return redirect(url_for("catalog.admin_certifications", status=certification.status))
    return redirect(url_for("catalog.admin_certifications"))


@bp.route("/catalog/admin/industries")
@city_admin_required
def admin_industries():
    return render_template("catalog/admin/industries.html", tree=services.industry_tree(),
                           form=forms.IndustryForm(), group_form=forms.ItemGroupForm())


@bp.route("/catalog/admin/industries/<int:industry_id>", methods=["POST"])
@city_admin_required
def edit_industry(industry_id: int):
    industry = db.get_or_404(Industry, industry_id)
    form = forms.IndustryForm()
    if form.validate_on_submit():
        services.update_industry(current_user, industry, name_ko=form.name_ko.data, name_en=form.name_en.data)
        db.session.commit()
        flash(_("The industry has been saved."), "success")
    else:
        flash(_("Both names are required (at most 80 and 120 characters)."), "danger")
    return redirect(url_for("catalog.admin_industries") + f"#industry-{industry.id}")


@bp.route("/catalog/admin/industries/<int:industry_id>/groups", methods=["POST"])
@city_admin_required
def add_item_group(industry_id: int):
    parent = db.get_or_404(Industry, industry_id)
    form = forms.ItemGroupForm()
    if form.validate_on_submit():
        perform(lambda: services.add_item_group(current_user, parent, code=form.code.data, name_ko=form.name_ko.data,
                                                name_en=form.name_en.data),
                _("The item group has been added."))
    else:
        flash(_("Check the code and both names."), "danger")
    return redirect(url_for("catalog.admin_industries") + f"#industry-{parent.id}")
