"""Procurement blueprint: purchase requests, quotes, comparison and award, direct orders, purchase orders,
messages and notifications."""
from __future__ import annotations

from datetime import date, timedelta

import sqlalchemy as sa
from flask import Blueprint, abort, current_app, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required

from market.accounts.models import Organization
from market.catalog import kinds
from market.catalog.models import Listing
from market.catalog.services import industry_by_code, industry_tree, public_enterprises
from market.core import audit, files
from market.core.actions import perform
from market.core.audit import history
from market.core.errors import DomainError
from market.core.notifications import mark_notifications_read, notifications_for
from market.core.pagination import paginate
from market.core.params import MAX_ID
from market.core.permissions import require
from market.core.timeutil import from_seoul, to_seoul, utcnow
from market.extensions import current_locale, db
from market.procurement import forms, services
from market.procurement.models import ProcurementFile, PurchaseOrder, PurchaseRequest, Quote
from market.procurement.permissions import (can_compare, can_download_file, can_see_quotes, can_submit_quote,
                                            can_view_order, can_view_request, is_buyer)
from market.procurement.states import (ACTION_LABELS, CONFIRM, NEEDS_REASON, ORDER, ORDER_ACTION_LABELS, QUOTE,
                                        REQUEST, WITH_EVIDENCE)

bp = Blueprint("procurement", __name__, url_prefix="/procurement")


def _request_page(request_id: int) -> str:
    return url_for("procurement.request_detail", request_id=request_id)


# What the audit log says of the buying records, and where their pages are (a quote is read on its request).
audit.describe_subject(PurchaseRequest, _l("Purchase request"), name=PurchaseRequest.title, url=_request_page,
                       machine=REQUEST, actions=("request.create", "request.update", "request.amend"))
audit.describe_subject(
    Quote, _l("Quote"), keys=(Quote.request_id,), url=_request_page, machine=QUOTE, actions=("quote.submit",),
    name=sa.select(PurchaseRequest.title).where(PurchaseRequest.id == Quote.request_id).scalar_subquery())
audit.describe_subject(PurchaseOrder, _l("Purchase order"), name=PurchaseOrder.number, machine=ORDER,
                       url=lambda order_id: url_for("procurement.order_detail", order_id=order_id),
                       actions=("order.place",))
audit.describe_subject(ProcurementFile, _l("File"), name=ProcurementFile.original_name)


@bp.app_context_processor
def unread_in_navigation() -> dict:
    """Unread messages and notifications, counted once per page for a person of an agency or enterprise."""
    if not getattr(current_user, "is_authenticated", False) or current_user.is_city_admin:
        return {"unread": None}  # also when mail is rendered outside a request
    if "unread" not in g:
        g.unread = services.unread_counts(current_user)
    return {"unread": g.unread}


@bp.app_template_global()
def work_summary() -> dict:
    """For the dashboards (which belong to no domain): what the person's organisation must do next."""
    return services.work_summary(current_user)


@bp.app_template_global()
def contract_ceiling(enterprise: Organization) -> dict:
    """The enterprise's single-quote private-contract ceiling, shown on its public page."""
    amount, basis = services.ceiling_for(enterprise)
    return {"amount": amount, "label": services.CEILING_LABELS[basis]}


def _agency_user() -> None:
    require(current_user.is_agency_user)


def _load_request(request_id: int) -> PurchaseRequest:
    purchase_request = db.get_or_404(PurchaseRequest, request_id)
    if not can_view_request(current_user, purchase_request):
        abort(404)  # another agency's request is not even acknowledged
    return purchase_request


def _load_order(order_id: int) -> PurchaseOrder:
    order = db.get_or_404(PurchaseOrder, order_id)
    if not can_view_order(current_user, order):
        abort(404)
    return order


# --- purchase requests ---

@bp.route("/requests")
@login_required
def requests():
    status = request.args.get("status") if request.args.get("status") in REQUEST.states else None
    stmt = services.requests_for(current_user)
    if status:
        stmt = stmt.where(PurchaseRequest.status == status)
    page = paginate(stmt.order_by(PurchaseRequest.created_at.desc(), PurchaseRequest.id.desc()),
                    current_app.config["PAGE_SIZE"])
    return render_template("procurement/requests.html", page=page, status=status, states=REQUEST.states)


def _request_form(formdata=None, purchase_request: PurchaseRequest | None = None) -> forms.RequestForm:
    data = None
    if formdata is None:
        data = {"category": "goods", "audience": "invited", "items": []}
        if purchase_request is not None:
            data.update(title=purchase_request.title, purpose=purchase_request.purpose,
                        category=purchase_request.category, delivery_place=purchase_request.delivery_place,
                        delivery_date=purchase_request.delivery_date,
                        quote_deadline=to_seoul(purchase_request.quote_deadline),
                        budget_krw=purchase_request.budget_krw, budget_visible=purchase_request.budget_visible,
                        audience=purchase_request.audience,
                        industry=purchase_request.industry.code if purchase_request.industry else "",
                        recipients=[r.organization_id for r in purchase_request.recipients],
                        items=[{"description": i.description, "specification": i.specification,
                                "quantity": i.quantity, "unit": i.unit, "listing_id": i.listing_id or ""}
                               for i in purchase_request.items])
        else:
            data.update(_prefill_from_args())
    form = forms.RequestForm(formdata=formdata, data=data)
    if formdata is not None and "more_items" in formdata:
        for _row in range(3):
            if len(form.items) < form.items.max_entries:
                form.items.append_entry()
    enterprises = db.session.scalars(public_enterprises().order_by(Organization.name)).all()
    form.recipients.choices = [(o.id, o.name) for o in enterprises]
    form.industry.choices = [("", "—")] + [(i.code, i.name(current_locale())) for i in industry_tree()]
    return form


def _prefill_from_args() -> dict:
    """A request started from a listing's or an enterprise's "request a quote" button, or from a direct order
    that went above the private-contract ceiling."""
    data: dict = {}
    enterprise_id = request.args.get("enterprise", type=int)
    listing_ids = [i for i in request.args.getlist("listing", type=int) if i <= MAX_ID]  # a larger id names no listing
    quantities = request.args.getlist("qty", type=int)
    listings = db.session.scalars(db.select(Listing).where(Listing.id.in_(listing_ids),
                                                           Listing.status == "published")).all() if listing_ids else []
    by_id = {listing.id: listing for listing in listings}
    items = []
    for n, listing_id in enumerate(listing_ids):
        listing = by_id.get(listing_id)
        if listing is not None:
            items.append({"description": listing.title, "unit": listing.unit, "listing_id": listing.id,
                          "quantity": quantities[n] if n < len(quantities) else max(listing.min_order, 1)})
            enterprise_id = enterprise_id or listing.organization_id
    if items:
        data.update(items=items, title=items[0]["description"], category=listings[0].category)
    if enterprise_id:
        data["recipients"] = [enterprise_id]
    if request.args.get("place"):
        data["delivery_place"] = request.args["place"][:200]
    delivery_date = request.args.get("date", "")
    if len(delivery_date) == 10 and delivery_date[4] == "-":
        try:
            data["delivery_date"] = date.fromisoformat(delivery_date)
        except ValueError:
            pass  # a malformed date in a prefilled link is simply not prefilled
    data["quote_deadline"] = (to_seoul(utcnow()) + timedelta(days=7)).replace(hour=18, minute=0, second=0,
                                                                                microsecond=0)
    return data


def _request_data(form: forms.RequestForm) -> services.RequestData:
    items = [services.ItemData(description=entry.form.description.data or "", quantity=entry.form.quantity.data or 0,
                               unit=entry.form.unit.data, specification=entry.form.specification.data or "",
                               listing_id=int(entry.form.listing_id.data) if (entry.form.listing_id.data or "").isdigit()
                               else None)
             for entry in form.items if (entry.form.description.data or "").strip()]
    deadline = from_seoul(form.quote_deadline.data)  # typed in Korea time
    return services.RequestData(
        title=form.title.data, purpose=form.purpose.data or "", category=form.category.data,
        delivery_place=form.delivery_place.data or "", delivery_date=form.delivery_date.data,
        quote_deadline=deadline, budget_krw=form.budget_krw.data, budget_visible=form.budget_visible.data,
        audience=form.audience.data, industry=industry_by_code(form.industry.data),
        items=items, recipient_ids=form.recipients.data or [])


@bp.route("/requests/new", methods=["GET", "POST"])
@login_required
def new_request():
    _agency_user()
    form = _request_form(request.form if request.method == "POST" else None)
    if request.method == "POST" and "more_items" not in request.form and form.validate():
        try:
            purchase_request = services.create_request(current_user, _request_data(form),
                                                       send="send" in request.form,
                                                       attachments=request.files.getlist("attachments"))
        except DomainError as error:
            db.session.rollback()
            form.title.errors.append(error.message)
        else:
            db.session.commit()
            flash(_("The request has been sent.") if purchase_request.status == "open"
                  else _("The request has been saved as a draft."), "success")
            return redirect(url_for("procurement.request_detail", request_id=purchase_request.id))
    status = 400 if request.method == "POST" and "more_items" not in request.form else 200
    return render_template("procurement/request_form.html", form=form, purchase_request=None), status


@bp.route("/requests/<int:request_id>/edit", methods=["GET", "POST"])
@login_required
def edit_request(request_id: int):
    purchase_request = _load_request(request_id)
    require(is_buyer(current_user, purchase_request))
    form = _request_form(request.form if request.method == "POST" else None, purchase_request)
    if request.method == "POST" and "more_items" not in request.form and form.validate():
        try:
            services.update_request(current_user, purchase_request, _request_data(form), note=form.note.data,
                                    attachments=request.files.getlist("attachments"))
        except DomainError as error:
            db.session.rollback()
            form.title.errors.append(error.message)
        else:
            db.session.commit()
            flash(_("The request has been saved."), "success")
            return redirect(url_for("procurement.request_detail", request_id=purchase_request.id))
    status = 400 if request.method == "POST" and "more_items" not in request.form else 200
    return render_template("procurement/request_form.html", form=form, purchase_request=purchase_request), status


@bp.route("/requests/<int:request_id>/<any(send, withdraw, close):action>", methods=["POST"])
@login_required
def request_action(request_id: int, action: str):
    purchase_request = _load_request(request_id)
    form = forms.ReasonForm()
    act = {"send": lambda: services.send_request(current_user, purchase_request),
           "withdraw": lambda: services.withdraw_request(current_user, purchase_request, form.note.data),
           "close": lambda: services.close_request(current_user, purchase_request)}[action]
    perform(act, lambda: _("The request is now: %(state)s.", state=REQUEST.state(purchase_request.status).label))
    return redirect(url_for("procurement.request_detail", request_id=request_id))


@bp.route("/requests/<int:request_id>")
@login_required
def request_detail(request_id: int):
    purchase_request = _load_request(request_id)
    buyer = is_buyer(current_user, purchase_request)
    own_quote = None if buyer else services.quote_of(purchase_request, current_user.organization_id)
    messages, thread_enterprise, conversations = [], None, []
    if current_user.is_enterprise_user:
        thread_enterprise = current_user.organization_id
        messages = services.thread_messages(services.thread_key("request", request_id), thread_enterprise,
                                            current_user)
        db.session.commit()
    elif buyer:
        conversations = services.request_conversations(purchase_request, current_user)
        db.session.commit()
    return render_template(
        "procurement/request_detail.html", purchase_request=purchase_request, is_buyer=buyer,
        state=REQUEST.state(purchase_request.status), quote_states=QUOTE.states, own_quote=own_quote,
        can_compare=can_compare(purchase_request), quote_form=forms.QuoteForm(obj=own_quote),
        reason_form=forms.ReasonForm(), message_form=forms.MessageForm(), messages=messages,
        thread_enterprise=thread_enterprise, conversations=conversations,
        history=history(purchase_request) if buyer else [],
        may_answer=(purchase_request.status == "open" and not purchase_request.deadline_passed
                    and can_submit_quote(current_user, purchase_request)),
        categories=kinds.LISTING_CATEGORIES)


@bp.route("/requests/<int:request_id>/quote", methods=["POST"])
@login_required
def submit_quote(request_id: int):
    purchase_request = _load_request(request_id)
    require(current_user.is_enterprise_user)
    form = forms.QuoteForm()
    prices, bad = {}, False
    for item in purchase_request.items:
        raw = (request.form.get(f"price-{item.id}") or "").replace(",", "").strip()
        if raw.isdigit() and len(raw) <= 12:
            prices[item.id] = int(raw)
        else:
            bad = True
    if bad or not form.validate_on_submit():
        flash(_("Give a unit price in whole won for every item."), "danger")
        return redirect(url_for("procurement.request_detail", request_id=request_id))
    perform(lambda: services.submit_quote(current_user, purchase_request, prices=prices,
                                          valid_until=form.valid_until.data, lead_time_days=form.lead_time_days.data,
                                          notes=form.notes.data or "", attachments=request.files.getlist("attachments")),
            _("Your quote has been sent. You can revise it until the deadline."))
    return redirect(url_for("procurement.request_detail", request_id=request_id))


@bp.route("/requests/<int:request_id>/decline", methods=["POST"])
@login_required
def decline_request(request_id: int):
    purchase_request = _load_request(request_id)
    require(current_user.is_enterprise_user)
    form = forms.ReasonForm()
    form.validate_on_submit()
    perform(lambda: services.decline_request(current_user, purchase_request, form.note.data or ""),
            _("You have declined this request."))
    return redirect(url_for("procurement.request_detail", request_id=request_id))


@bp.route("/requests/<int:request_id>/compare")
@login_required
def compare(request_id: int):
    purchase_request = _load_request(request_id)
    require(can_see_quotes(current_user, purchase_request))
    if not can_compare(purchase_request):
        flash(_("Quotes open after the deadline, or once every invited enterprise has answered."), "info")
        return redirect(url_for("procurement.request_detail", request_id=request_id))
    return render_template("procurement/compare.html", purchase_request=purchase_request,
                           rows=services.comparison(purchase_request), quote_states=QUOTE.states,
                           declined=[q for q in purchase_request.quotes if q.status == "declined"])


@bp.route("/quotes/<int:quote_id>/accept", methods=["POST"])
@login_required
def accept_quote(quote_id: int):
    quote = db.get_or_404(Quote, quote_id)
    _load_request(quote.request_id)
    try:
        order = services.accept_quote(current_user, quote)
    except DomainError as error:
        db.session.rollback()
        flash(error.message, "danger")
        return redirect(url_for("procurement.request_detail", request_id=quote.request_id))
    db.session.commit()
    flash(_("Purchase order %(number)s has been placed with %(enterprise)s.", number=order.number,
            enterprise=order.enterprise.name), "success")
    return redirect(url_for("procurement.order_detail", order_id=order.id))


# --- direct orders ---

@bp.route("/direct/<int:enterprise_id>", methods=["GET", "POST"])
@login_required
def direct_order(enterprise_id: int):
    _agency_user()
    enterprise = db.get_or_404(Organization, enterprise_id)
    if not (enterprise.is_enterprise and enterprise.is_approved):
        abort(404)
    listings = db.session.scalars(db.select(Listing).where(
        Listing.organization_id == enterprise.id, Listing.status == "published",
        Listing.unit_price_krw.is_not(None)).order_by(Listing.position)).all()
    form = forms.DirectOrderForm()
    ceiling, basis = services.ceiling_for(enterprise)
    quantities = {listing.id: request.form.get(f"qty-{listing.id}", "").strip() for listing in listings}
    exceeded = None
    if form.validate_on_submit():
        cart = [(listing, int(quantities[listing.id])) for listing in listings
                if quantities[listing.id].isdigit() and int(quantities[listing.id]) > 0]
        try:
            order = services.place_direct_order(current_user, enterprise, cart,
                                                delivery_place=form.delivery_place.data,
                                                delivery_date=form.delivery_date.data)
        except services.CeilingExceeded as error:
            db.session.rollback()
            exceeded = {"message": error.message, "listing": [l.id for l, q in cart], "qty": [q for l, q in cart]}
        except DomainError as error:
            db.session.rollback()
            form.delivery_place.errors.append(error.message)
        else:
            db.session.commit()
            flash(_("Purchase order %(number)s has been placed; %(enterprise)s will confirm it.",
                    number=order.number, enterprise=enterprise.name), "success")
            return redirect(url_for("procurement.order_detail", order_id=order.id))
    status = 400 if request.method == "POST" else 200
    return render_template("procurement/direct_order.html", enterprise=enterprise, listings=listings, form=form,
                           quantities=quantities, ceiling=ceiling, basis_label=services.CEILING_LABELS[basis],
                           exceeded=exceeded), status


# --- purchase orders ---

@bp.route("/orders")
@login_required
def orders():
    status = request.args.get("status") if request.args.get("status") in ORDER.states else None
    stmt = services.orders_for(current_user)
    if status:
        stmt = stmt.where(PurchaseOrder.status == status)
    page = paginate(stmt.order_by(PurchaseOrder.placed_at.desc(), PurchaseOrder.id.desc()),
                    current_app.config["PAGE_SIZE"])
    return render_template("procurement/orders.html", page=page, status=status, states=ORDER.states,
                           counts=services.order_status_counts(current_user))


@bp.route("/orders/<int:order_id>")
@login_required
def order_detail(order_id: int):
    order = _load_order(order_id)
    messages = []
    if not current_user.is_city_admin:
        messages = services.thread_messages(services.thread_key("order", order.id), order.enterprise_id,
                                            current_user)
        db.session.commit()
    return render_template("procurement/order_detail.html", order=order, state=ORDER.state(order.status),
                           actions=[a for a in ORDER.allowed_actions(order, current_user) if a not in WITH_EVIDENCE],
                           action_labels=ORDER_ACTION_LABELS, confirm=CONFIRM,
                           needs_reason=NEEDS_REASON, reason_form=forms.ReasonForm(), history=history(order),
                           message_form=forms.MessageForm(), messages=messages,
                           ceiling_label=None, categories=kinds.LISTING_CATEGORIES)


@bp.route("/orders/<int:order_id>/<any(confirm, decline, cancel, deliver, inspect, reject, invoice, close, dispute, settle):action>",
          methods=["POST"])
@login_required
def order_action(order_id: int, action: str):
    order = _load_order(order_id)
    form = forms.ReasonForm()
    form.validate_on_submit()
    perform(lambda: services.move_order(current_user, order, action, form.note.data),
            lambda: _("Purchase order %(number)s is now: %(state)s.", number=order.number,
                      state=ORDER.state(order.status).label))
    return redirect(url_for("procurement.order_detail", order_id=order.id))


@bp.route("/orders/<int:order_id>/<any(print, inspection):document>")
@login_required
def order_document(order_id: int, document: str):
    order = _load_order(order_id)
    template = "procurement/print_order.html" if document == "print" else "procurement/print_inspection.html"
    return render_template(template, order=order, history=history(order), categories=kinds.LISTING_CATEGORIES,
                           states=ORDER.states)


# --- messages and notifications ---

@bp.route("/messages/<any(request, order):kind>/<int:object_id>", methods=["POST"])
@login_required
def post_message(kind: str, object_id: int):
    form = forms.MessageForm()
    if kind == "order":
        subject = _load_order(object_id)
        back = url_for("procurement.order_detail", order_id=object_id)
    else:
        subject = _load_request(object_id)
        back = url_for("procurement.request_detail", request_id=object_id)
    if not form.validate_on_submit():
        flash(_("Write a message (at most 5,000 characters)."), "danger")
        return redirect(back)

    def post():
        enterprise_id = subject.enterprise_id if kind == "order" else services.request_conversation(
            current_user, subject, request.form.get("enterprise_id", type=int))
        services.post_message(current_user, thread=services.thread_key(kind, object_id), agency_id=subject.agency_id,
                              enterprise_id=enterprise_id, body=form.body.data,
                              attachments=request.files.getlist("attachments"))

    perform(post, _("Your message has been sent."))
    return redirect(back + "#messages")


@bp.route("/files/<int:file_id>")
@login_required
def download(file_id: int):
    document = db.get_or_404(ProcurementFile, file_id)
    if not can_download_file(current_user, document):
        abort(404)
    return files.attachment(document.stored_name, document.original_name, document.kind)


@bp.route("/notifications")
@login_required
def notifications():
    items = notifications_for(current_user)
    mark_notifications_read(current_user)
    db.session.commit()
    return render_template("procurement/notifications.html", items=items)
