"""Catalog blueprint: the public directory, listings, search and statistics; each enterprise's own catalog;
the support center's verification of certifications and its industry taxonomy."""
from __future__ import annotations

import sqlalchemy as sa
from flask import Blueprint, Response, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required

from market.accounts.models import Organization
from market.catalog import forms, kinds, services, transfer
from market.catalog.areas import AREAS
from market.catalog.models import Certification, Industry, Listing, ListingImage
from market.catalog.states import ACTION_LABELS, CERTIFICATION, LISTING
from market.core import audit
from market.core.actions import perform
from market.core.errors import DomainError
from market.core import storage
from market.core.images import is_stored_name
from market.core.images import key_of as image_key
from market.core.page_cache import public_page
from market.core.pagination import page_number, paginate, paginate_capped
from market.core.params import id_arg, int_arg
from market.core.permissions import city_admin_required, require, safe_referrer
from market.extensions import current_locale, db

bp = Blueprint("catalog", __name__)

# Histories and the audit log show the catalog's codes by their labels.
audit.label_values("certification", "kind", kinds.CERTIFICATION_KINDS)
audit.label_values("listing", "category", kinds.LISTING_CATEGORIES)
audit.label_values("organization", "incomplete", services.PROFILE_NEEDS)
audit.label_fields({"incomplete": _l("Approved without")})
# What the audit log says of the catalog's records, and where their pages are: a certification is judged on
# its enterprise's page, an item group under its industry.
audit.describe_subject(
    Certification, _l("Certification"), keys=(Certification.organization_id,), machine=CERTIFICATION,
    name=sa.select(Organization.name).where(Organization.id == Certification.organization_id).scalar_subquery(),
    url=lambda org_id: url_for("accounts.organization_detail", org_id=org_id, _anchor="enterprise-review"),
    actions=("certification.submit", "certification.update"))
audit.describe_subject(
    Industry, _l("Industry"), name=Industry.name_ko, keys=(sa.func.coalesce(Industry.parent_id, Industry.id),),
    url=lambda industry_id: url_for("catalog.admin_industries", _anchor=f"industry-{industry_id}"),
    actions=("industry.update", "industry.create"))
audit.describe_subject(Listing, _l("Listing"), name=Listing.title, machine=LISTING,
                       url=lambda listing_id: url_for("catalog.listing_detail", listing_id=listing_id))


@bp.app_context_processor
def catalog_labels() -> dict:
    """Labels of certification kinds and listing types, for any template."""
    return {"cert_kinds": kinds.CERTIFICATION_KINDS, "listing_categories": kinds.LISTING_CATEGORIES}


@bp.app_context_processor
def organization_panels() -> dict:
    """Panels the city's page of an organisation shows before its decision (accounts does not know the catalog)."""
    return {"organization_panels": ["catalog/admin/_enterprise_review.html"]}


@bp.app_template_global()
def enterprise_review(organization: Organization) -> dict:
    """What the city reads to judge an enterprise: its profile, certifications, listings and what is missing."""
    return {"profile": organization.profile, "certifications": organization.certifications,
            "listings": services.listing_counts(organization), "gaps": services.profile_gaps(organization),
            "states": CERTIFICATION.states, "designations": kinds.DESIGNATIONS, "today": services.seoul_today()}


@bp.app_template_global()
def catalog_highlights() -> dict:
    """For the home page (which belongs to no domain): featured listings and enterprises, the totals."""
    return services.highlights()


def _enterprise_user():
    """The enterprise of the logged-in enterprise person (403 for anyone else)."""
    require(current_user.is_enterprise_user)
    return current_user.organization


# --- public pages ---

@bp.route("/enterprises")
@public_page
def directory():
    industry = services.industry_by_code(request.args.get("industry"))
    kind = request.args.get("type") if request.args.get("type") in kinds.CERTIFICATION_KINDS else None
    area = request.args.get("area") if request.args.get("area") in AREAS else None
    q = (request.args.get("q") or "").strip()[:100]
    sort = request.args.get("sort") if request.args.get("sort") in ("name", "newest") else "name"
    page = paginate_capped(services.directory_query(industry=industry, kind=kind, area=area, q=q, sort=sort),
                           per_page=current_app.config["PAGE_SIZE"])
    held = services.valid_kinds_by_enterprise([org.id for org in page.items])
    return render_template("catalog/directory.html", page=page, held=held, tree=services.industry_tree(),
                           industry=industry, kind=kind, area=area, q=q, sort=sort, areas=AREAS,
                           kinds=kinds.CERTIFICATION_KINDS)


@bp.route("/enterprises/<int:org_id>")
@public_page
def enterprise_detail(org_id: int):
    organization = db.get_or_404(Organization, org_id)
    own_or_city = current_user.is_authenticated and (
        current_user.organization_id == org_id or current_user.is_city_admin)
    if not organization.is_enterprise or (not organization.is_approved and not own_or_city):
        abort(404)
    listings = db.session.scalars(services.enterprise_catalog(organization)).all()
    return render_template("catalog/enterprise.html", organization=organization, profile=organization.profile,
                           certifications=organization.certifications, listings=listings,
                           today=services.seoul_today(), cert_states=CERTIFICATION.states,
                           kinds=kinds.CERTIFICATION_KINDS)


@bp.route("/listings")
@public_page
def listings():
    industry = services.industry_by_code(request.args.get("industry"))
    category = request.args.get("category") if request.args.get("category") in kinds.LISTING_CATEGORIES else None
    q = (request.args.get("q") or "").strip()[:100]
    price_min = int_arg("price_min", 0, forms.MAX_PRICE_KRW)
    price_max = int_arg("price_max", 0, forms.MAX_PRICE_KRW)
    sort = request.args.get("sort") if request.args.get("sort") in ("relevance", "price", "newest") else "relevance"
    page = services.listings_page(per_page=current_app.config["PAGE_SIZE"], q=q, industry=industry,
                                  category=category, price_min=price_min, price_max=price_max, sort=sort)
    enterprises = None
    if q and page_number() == 1:
        enterprises = services.enterprises_matching(q)
    return render_template("catalog/listings.html", page=page, tree=services.industry_tree(), industry=industry,
                           category=category, q=q, price_min=price_min, price_max=price_max, sort=sort,
                           categories=kinds.LISTING_CATEGORIES, enterprises=enterprises, max_price=forms.MAX_PRICE_KRW)


@bp.route("/listings/<int:listing_id>")
@public_page
def listing_detail(listing_id: int):
    listing = db.get_or_404(Listing, listing_id)
    public = listing.status == "published" and listing.organization.is_approved
    if not public and not (current_user.is_authenticated and (
            services.can_edit_listing(current_user, listing) or current_user.is_city_admin)):
        abort(404)
    return render_template("catalog/listing.html", listing=listing, state=LISTING.state(listing.status),
                           categories=kinds.LISTING_CATEGORIES, public=public)


@bp.route("/statistics")
@public_page
def statistics():
    return render_template("catalog/statistics.html", stats=services.statistics(), kinds=kinds.CERTIFICATION_KINDS,
                           categories=kinds.LISTING_CATEGORIES)


@bp.route("/media/<filename>")
def media(filename: str):
    if not is_stored_name(filename):
        abort(404)
    response = storage.send(image_key(filename), mimetype="image/jpeg", max_age=7 * 24 * 3600)
    if response is None:
        abort(404)
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Content-Security-Policy"] = "default-src 'none'"
    return response


# --- an enterprise's own profile and certifications ---

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
                           kinds=kinds.CERTIFICATION_KINDS, today=services.seoul_today()), status


@bp.route("/catalog/certifications/<int:cert_id>/edit", methods=["GET", "POST"])
@login_required
def edit_certification(cert_id: int):
    certification = db.get_or_404(Certification, cert_id)
    require(services.can_edit_enterprise(current_user, certification.organization)
            and not current_user.is_city_admin)
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


# --- an enterprise's own listings ---

def _own_listing(listing_id: int) -> Listing:
    listing = db.get_or_404(Listing, listing_id)
    if not services.can_edit_listing(current_user, listing):
        abort(404)  # another enterprise's draft is not even acknowledged
    return listing


def _listing_form(formdata=None, listing: Listing | None = None) -> forms.ListingForm:
    data = None
    if listing is not None and formdata is None:
        data = {name: getattr(listing, name) for name in services.LISTING_FIELDS}
        data.update(industry=listing.industry.code, group=listing.group.code if listing.group else "",
                    price_on_request=listing.unit_price_krw is None)
    form = forms.ListingForm(formdata=formdata, data=data)
    tree = services.industry_tree()
    form.industry.choices = forms.industry_choices(tree, current_locale(), "—")
    form.group.choices = forms.group_choices(tree, current_locale(), "—")
    return form


def _field_of(form: forms.ListingForm, error: DomainError):
    """Where the form shows a refusal of the service: under the input it names, otherwise under the industry."""
    return form[error.field] if error.field in form else form.industry


@bp.route("/catalog/listings")
@login_required
def my_listings():
    organization = _enterprise_user()
    show = "archived" if request.args.get("show") == "archived" else None
    stmt = (services.archived_listings(organization) if show
            else services.enterprise_catalog(organization, include_unpublished=True))
    listings = db.session.scalars(stmt).all()
    return render_template("catalog/manage/listings.html", listings=listings, organization=organization,
                           show=show, states=LISTING.states, categories=kinds.LISTING_CATEGORIES,
                           can_publish=services.can_publish(organization), action_labels=ACTION_LABELS,
                           machine=LISTING)


@bp.route("/catalog/listings/new", methods=["GET", "POST"])
@login_required
def new_listing():
    organization = _enterprise_user()
    form = _listing_form(request.form if request.method == "POST" else None)
    if request.method == "POST" and form.validate():
        try:
            listing = services.create_listing(current_user, organization, form.data_for_service())
        except DomainError as error:
            db.session.rollback()
            _field_of(form, error).errors.append(error.message)
        else:
            db.session.commit()
            flash(_("The listing has been saved as a draft. Add images, then publish it."), "success")
            return redirect(url_for("catalog.edit_listing", listing_id=listing.id))
    status = 400 if request.method == "POST" else 200
    return render_template("catalog/manage/listing_form.html", form=form, listing=None), status


@bp.route("/catalog/listings/<int:listing_id>/edit", methods=["GET", "POST"])
@login_required
def edit_listing(listing_id: int):
    listing = _own_listing(listing_id)
    form = _listing_form(request.form if request.method == "POST" else None, listing)
    if request.method == "POST" and form.validate():
        try:
            services.update_listing(current_user, listing, form.data_for_service())
        except DomainError as error:
            db.session.rollback()
            _field_of(form, error).errors.append(error.message)
        else:
            db.session.commit()
            flash(_("The listing has been saved."), "success")
            return redirect(url_for("catalog.edit_listing", listing_id=listing.id))
    status = 400 if request.method == "POST" else 200
    return render_template("catalog/manage/listing_form.html", form=form, listing=listing,
                           image_form=forms.ImageForm(), state=LISTING.state(listing.status),
                           max_images=services.MAX_IMAGES, actions=LISTING.allowed_actions(listing, current_user),
                           action_labels=ACTION_LABELS, can_publish=services.can_publish(listing.organization)), status


@bp.route("/catalog/listings/<int:listing_id>/<any(publish, unpublish, archive, restore):action>",
          methods=["POST"])
@login_required
def listing_action(listing_id: int, action: str):
    listing = _own_listing(listing_id)
    perform(lambda: services.change_listing_status(current_user, listing, action),
            lambda: _("“%(title)s” is now: %(state)s.", title=listing.title, state=LISTING.state(listing.status).label))
    return redirect(safe_referrer(url_for("catalog.my_listings")))


@bp.route("/catalog/listings/<int:listing_id>/duplicate", methods=["POST"])
@login_required
def duplicate_listing(listing_id: int):
    copy = services.duplicate_listing(current_user, _own_listing(listing_id))
    db.session.commit()
    flash(_("A copy has been saved as a draft."), "success")
    return redirect(url_for("catalog.edit_listing", listing_id=copy.id))


@bp.route("/catalog/listings/<int:listing_id>/move/<any(up, down):direction>", methods=["POST"])
@login_required
def move_listing(listing_id: int, direction: str):
    services.move_listing(current_user, _own_listing(listing_id), direction)
    db.session.commit()
    return redirect(url_for("catalog.my_listings"))


@bp.route("/catalog/listings/<int:listing_id>/images", methods=["POST"])
@login_required
def upload_image(listing_id: int):
    listing = _own_listing(listing_id)
    form = forms.ImageForm()
    if form.validate_on_submit():
        perform(lambda: services.add_listing_image(current_user, listing, form.image.data.stream),
                _("The image has been added."))
    else:
        flash(_("Choose a file."), "danger")
    return redirect(url_for("catalog.edit_listing", listing_id=listing.id))


@bp.route("/catalog/images/<int:image_id>/delete", methods=["POST"])
@login_required
def delete_image(image_id: int):
    image = db.get_or_404(ListingImage, image_id)
    listing = _own_listing(image.listing_id)
    services.remove_listing_image(current_user, image)
    db.session.commit()
    flash(_("The image has been removed."), "success")
    return redirect(url_for("catalog.edit_listing", listing_id=listing.id))


@bp.route("/catalog/import", methods=["GET", "POST"])
@login_required
def import_listings():
    organization = _enterprise_user()
    form = forms.ImportForm()
    if form.validate_on_submit():
        try:
            rows = transfer.read_rows(form.file.data.filename, form.file.data.stream)
        except DomainError as error:
            form.file.errors.append(error.message)
        else:
            checked = transfer.check_rows(organization, rows)
            token = None
            if not any(row.errors for row in checked):
                token = transfer.save_pending(organization.id, rows)
                db.session.commit()  # the pending import is kept for the confirmation, which may reach another server
            return render_template("catalog/manage/import_preview.html", rows=checked, token=token,
                                   counts=transfer.count_actions(checked), states=LISTING.states), \
                200 if token else 400
    status = 400 if request.method == "POST" else 200
    return render_template("catalog/manage/import.html", form=form, columns=transfer.COLUMNS), status


@bp.route("/catalog/import/confirm", methods=["POST"])
@login_required
def confirm_import():
    organization = _enterprise_user()
    token = request.form.get("token", "")
    try:
        rows = transfer.load_pending(token, organization.id)
        counts = transfer.import_rows(current_user, organization, rows)
    except DomainError as error:
        db.session.rollback()
        flash(error.message, "danger")
        return redirect(url_for("catalog.import_listings"))
    transfer.discard_pending(token)
    db.session.commit()
    flash(_("Imported: %(create)d new drafts, %(update)d listings updated, %(unchanged)d unchanged.", **counts),
          "success")
    return redirect(url_for("catalog.my_listings"))


@bp.route("/catalog/export.<any(csv, xlsx):fmt>")
@login_required
def export_listings(fmt: str):
    organization = _enterprise_user()
    listings = db.session.scalars(services.enterprise_catalog(organization, include_unpublished=True)).all()
    if fmt == "csv":
        body, mimetype = transfer.export_csv(listings), "text/csv; charset=utf-8"
    else:
        body, mimetype = transfer.export_xlsx(listings), \
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    return Response(body, mimetype=mimetype,
                    headers={"Content-Disposition": f"attachment; filename=listings.{fmt}"})


# --- the support center ---

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
                           form=forms.DecisionForm(), today=services.seoul_today())


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
