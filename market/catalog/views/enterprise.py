"""An enterprise's own profile, logo and certifications."""
from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from market.accounts.models import Organization
from market.catalog import forms, kinds, services
from market.catalog.models import Certification
from market.catalog.permissions import can_edit_certification
from market.catalog.states import CERTIFICATION
from market.catalog.views.common import _enterprise_user, bp
from market.core.actions import perform
from market.core.errors import DomainError
from market.core.permissions import require
from market.core.timeutil import seoul_today
from market.extensions import current_locale, db


def _enterprise_form(organization: Organization, formdata=None) -> forms.EnterpriseForm:
    profile = organization.profile
    form = forms.EnterpriseForm(formdata=formdata, data=None if formdata is not None else {
        "name": organization.name, "name_en": organization.name_en, "phone": organization.phone,
        "address": organization.address,
        **({} if profile is None else {
            "business_number": profile.business_number, "representative": profile.representative,
            "email": profile.email, "website": profile.website, "area": profile.area or "",
            "employees": profile.employees, "vulnerable_employees": profile.vulnerable_employees,
            "founded_year": profile.founded_year, "description": profile.description,
            "main_industry": profile.main_industry.code if profile.main_industry else "",
            "secondary_industries": [i.code for i in profile.secondary_industries]})})
    tree = services.industry_tree()
    form.main_industry.choices = forms.industry_choices(tree, current_locale(), "—")
    form.secondary_industries.choices = forms.industry_choices(tree, current_locale())
    return form


@bp.route("/catalog/profile", methods=["GET", "POST"])
@login_required
def edit_profile():
    organization = _enterprise_user()
    form = _enterprise_form(organization, request.form if request.method == "POST" else None)
    if request.method == "POST" and form.validate():
        try:
            services.update_enterprise(
                current_user, organization, name=form.name.data, name_en=form.name_en.data, phone=form.phone.data,
                address=form.address.data, main_industry=services.industry_by_code(form.main_industry.data),
                secondary=[services.industry_by_code(c) for c in form.secondary_industries.data or []],
                **{f: form[f].data for f in services.PROFILE_FIELDS})
        except DomainError as error:
            db.session.rollback()
            form.business_number.errors.append(error.message)
        else:
            db.session.commit()
            flash(_("The profile has been saved."), "success")
            return redirect(url_for("catalog.edit_profile"))
    status = 400 if request.method == "POST" else 200
    return render_template("catalog/manage/profile.html", form=form, organization=organization,
                           image_form=forms.ImageForm()), status


@bp.route("/catalog/profile/logo", methods=["POST"])
@login_required
def upload_logo():
    organization = _enterprise_user()
    form = forms.ImageForm()
    if form.validate_on_submit():
        perform(lambda: services.set_logo(current_user, organization, form.image.data.stream),
                _("The logo has been saved."))
    else:
        flash(_("Choose a file."), "danger")
    return redirect(url_for("catalog.edit_profile"))


def _certification_values(form: forms.CertificationForm) -> dict:
    return {"kind": form.kind.data, "number": form.number.data, "designated_by": form.designated_by.data or None,
            "valid_from": form.valid_from.data, "valid_to": form.valid_to.data}


@bp.route("/catalog/certifications", methods=["GET", "POST"])
@login_required
def certifications():
    organization = _enterprise_user()
    form = forms.CertificationForm()
    if form.validate_on_submit():
        try:
            services.submit_certification(current_user, organization, **_certification_values(form))
        except DomainError as error:
            db.session.rollback()
            form.kind.errors.append(error.message)
        else:
            db.session.commit()
            flash(_("The certification has been sent to the support center for verification."), "success")
            return redirect(url_for("catalog.certifications"))
    status = 400 if request.method == "POST" else 200
    return render_template("catalog/manage/certifications.html", form=form, organization=organization,
                           certifications=organization.certifications, states=CERTIFICATION.states,
                           kinds=kinds.CERTIFICATION_KINDS, today=seoul_today()), status


@bp.route("/catalog/certifications/<int:cert_id>/edit", methods=["GET", "POST"])
@login_required
def edit_certification(cert_id: int):
    certification = db.get_or_404(Certification, cert_id)
    require(can_edit_certification(current_user, certification))
    form = forms.CertificationForm(obj=certification if request.method == "GET" else None)
    if form.validate_on_submit():
        try:
            services.update_certification(current_user, certification, **_certification_values(form))
        except DomainError as error:
            db.session.rollback()
            form.kind.errors.append(error.message)
        else:
            db.session.commit()
            flash(_("The certification has been sent to the support center for verification."), "success")
            return redirect(url_for("catalog.certifications"))
    status = 400 if request.method == "POST" else 200
    return render_template("catalog/manage/certification_form.html", form=form, certification=certification), status
