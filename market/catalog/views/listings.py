"""An enterprise's own listings: editing, publication, order, images, import and export."""
from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from market.catalog import forms, kinds, services, transfer
from market.catalog.models import Listing, ListingImage
from market.catalog.permissions import can_edit_listing
from market.catalog.states import ACTION_LABELS, LISTING
from market.catalog.views.common import _enterprise_user, bp
from market.core import tables
from market.core.actions import perform
from market.core.errors import DomainError
from market.core.permissions import safe_referrer
from market.extensions import current_locale, db


def _own_listing(listing_id: int) -> Listing:
    listing = db.get_or_404(Listing, listing_id)
    if not can_edit_listing(current_user, listing):
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
    # The rows are read here, not as the CSV streams: the request's session is gone by then.
    rows = [transfer.export_values(listing) for listing in
            db.session.scalars(services.enterprise_catalog(organization, include_unpublished=True))]
    return tables.download(fmt, f"listings.{fmt}", list(transfer.COLUMNS), rows)
