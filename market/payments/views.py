"""Payments blueprint: paying an order (card checkout, transfer receipt), refunds, the ledger, the provider's
webhook and an enterprise's payment account."""
from __future__ import annotations

import logging

import sqlalchemy as sa
from flask import Blueprint, abort, current_app, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from sqlalchemy.exc import IntegrityError

from market.accounts.models import Organization
from market.core import audit, security
from market.core.actions import perform
from market.core.errors import DomainError
from market.core.mail import site_url_for
from market.core.pagination import paginate
from market.core.permissions import require
from market.core.timeutil import seoul_today
from market.extensions import csrf, db, limiter
from market.payments import forms, gateway, services
from market.payments.models import Payment, PaymentAccount, Refund, TransferAccount
from market.payments.permissions import can_manage_payment_accounts, can_view_payments, is_payee
from market.payments.states import PAYMENT, REFUND
from market.procurement.forms import ReasonForm
from market.procurement.models import PurchaseOrder
from market.procurement.permissions import is_buyer

bp = Blueprint("payments", __name__, url_prefix="/payments")
# "Pay by card" and "Connect" are forms whose answer redirects to the provider's pages.
bp.record_once(lambda state: security.allow(state.app, "form-action", gateway.page_origins))
log = logging.getLogger(__name__)
bp.add_app_template_global(can_manage_payment_accounts)  # the account page decides with it too


def _order_page(order_id: int) -> str:
    return url_for("procurement.order_detail", order_id=order_id, _anchor="payment")


# What the audit log says of the payment records: a payment or refund is read on its order, an account on its
# enterprise's page.
for _model, _label, _machine in ((Payment, _l("Payment"), PAYMENT), (Refund, _l("Refund"), REFUND)):
    audit.describe_subject(
        _model, _label, keys=(_model.order_id,), url=_order_page, machine=_machine,
        name=sa.select(PurchaseOrder.number).where(PurchaseOrder.id == _model.order_id).scalar_subquery())
for _model, _label in ((PaymentAccount, _l("Card payments")), (TransferAccount, _l("Bank account for transfers"))):
    audit.describe_subject(
        _model, _label, keys=(_model.organization_id,),
        url=lambda org_id: url_for("accounts.organization_detail", org_id=org_id),
        name=sa.select(Organization.name).where(Organization.id == _model.organization_id).scalar_subquery())


@bp.app_context_processor
def order_panels():
    """Panels the order page shows below its lifecycle (procurement does not know payments exist)."""
    return {"order_panels": ["payments/_order.html"]}


@bp.app_template_global()
def payment_panel(order: PurchaseOrder) -> dict:
    payment = services.succeeded_payment(order)
    return {
        "payments": services.payments_of(order), "refunds": services.refunds_of(order), "paid": payment,
        "card": services.card_option(order), "machine": PAYMENT, "refund_machine": REFUND,
        "is_buyer": is_buyer(current_user, order), "is_payee": is_payee(current_user, order),
        "can_refund": bool(payment and order.status in services.REFUNDABLE_ORDER_STATES
                           and is_buyer(current_user, order)),
        "decision_form": ReasonForm(),
        "transfer_account": services.transfer_account_of(order.enterprise) if order.status == "invoiced" else None,
    }


def _order(order_id: int) -> PurchaseOrder:
    order = db.get_or_404(PurchaseOrder, order_id)
    if not can_view_payments(current_user, order):
        abort(404)
    return order


def _back(order: PurchaseOrder):
    return redirect(url_for("procurement.order_detail", order_id=order.id))


@bp.route("/")
@login_required
def index():
    scope = None if current_user.is_city_admin else current_user.organization
    page = paginate(services.ledger(scope), current_app.config["PAGE_SIZE"])
    return render_template("payments/index.html", page=page)


# --- card payment ---

@bp.route("/orders/<int:order_id>/card", methods=["POST"])
@login_required
def pay_by_card(order_id: int):
    order = _order(order_id)
    require(is_buyer(current_user, order))
    try:
        address = services.start_card_payment(
            current_user, order,
            success_url=site_url_for("payments.returned", order_id=order.id) + "?session_id={CHECKOUT_SESSION_ID}",
            cancel_url=site_url_for("payments.cancelled", order_id=order.id))
    except DomainError as error:
        db.session.rollback()
        flash(error.message, "danger")
        return _back(order)
    db.session.commit()
    return redirect(address, code=303)


@bp.route("/orders/<int:order_id>/return")
@login_required
def returned(order_id: int):
    """Where the checkout sends the buyer back. It proves nothing: the page waits for the verified event."""
    order = _order(order_id)
    if services.succeeded_payment(order):
        flash(_("Payment received: purchase order %(number)s is paid.", number=order.number), "success")
        return _back(order)
    if not services.pending_card_payment(order):
        return _back(order)
    return render_template("payments/waiting.html", order=order)


@bp.route("/orders/<int:order_id>/cancelled")
@login_required
def cancelled(order_id: int):
    order = _order(order_id)
    if services.pending_card_payment(order):
        flash(_("The card payment was not completed. Nothing was charged; you can try again."), "info")
    return _back(order)


# --- bank transfer ---

@bp.route("/orders/<int:order_id>/transfer", methods=["GET", "POST"])
@login_required
def transfer(order_id: int):
    order = _order(order_id)
    require(is_payee(current_user, order))
    problem = services.payable_problem(order)
    if problem:
        flash(problem, "info")
        return _back(order)
    form = forms.TransferForm()
    if request.method == "GET":
        form.amount_krw.data, form.received_on.data = order.total_krw, seoul_today()
    if form.validate_on_submit():
        if perform(lambda: services.record_transfer(current_user, order, form.received_on.data,
                                                    form.amount_krw.data, form.reference.data or ""),
                   _("The transfer has been recorded: purchase order %(number)s is paid.", number=order.number)):
            return _back(order)
    status = 400 if request.method == "POST" else 200
    return render_template("payments/transfer.html", order=order, form=form), status


# --- refunds ---

@bp.route("/orders/<int:order_id>/refund", methods=["GET", "POST"])
@login_required
def refund(order_id: int):
    order = _order(order_id)
    require(is_buyer(current_user, order))
    problem = services.refund_problem(order)
    if problem:
        flash(problem, "info")
        return _back(order)
    paid = services.succeeded_payment(order)
    form = forms.RefundForm()
    if form.validate_on_submit():
        if perform(lambda: services.request_refund(current_user, order, form.amount_krw.data, form.reason.data),
                   _("Your refund request has been sent to the enterprise.")):
            return _back(order)
    status = 400 if request.method == "POST" else 200
    return render_template("payments/refund.html", order=order, form=form, paid=paid,
                           available=paid.refundable_krw - services.open_refund_krw(paid)), status


@bp.route("/refunds/<int:refund_id>/<any(approve, reject, sent):decision>", methods=["POST"])
@login_required
def decide_refund(refund_id: int, decision: str):
    refund = db.get_or_404(Refund, refund_id)
    order = _order(refund.order_id)
    require(is_payee(current_user, order))
    form = ReasonForm()
    form.validate_on_submit()
    perform(lambda: services.decide_refund(current_user, refund, decision, form.note.data),
            lambda: _("Refund: %(state)s.", state=REFUND.state(refund.status).label))
    return _back(order)


# --- an enterprise's payment account ---

def _account_page(bank_form: forms.TransferAccountForm | None = None, status: int = 200, **context):
    """Both ways the enterprise is paid: its card account at the provider and its bank account for transfers."""
    organization = current_user.organization
    transfer_account = services.transfer_account_of(organization)
    if bank_form is None:
        bank_form = forms.TransferAccountForm(obj=transfer_account)
    return render_template("payments/account.html", account=services.account_of(organization),
                           configured=gateway.configured(), transfer_account=transfer_account,
                           bank_form=bank_form, **context), status


@bp.route("/account")
@login_required
def account():
    require(current_user.is_enterprise_user)
    return _account_page()


@bp.route("/account/bank", methods=["POST"])
@login_required
def transfer_account():
    require(can_manage_payment_accounts(current_user))
    form = forms.TransferAccountForm()
    if form.validate_on_submit() and perform(
            lambda: services.save_transfer_account(current_user, bank_code=form.bank_code.data,
                                                   account_number=form.account_number.data, holder=form.holder.data),
            _("Your bank account for transfers has been saved.")):
        return redirect(url_for("payments.account"))
    return _account_page(form, 400)


@bp.route("/account/connect", methods=["POST"])
@login_required
def connect():
    require(current_user.is_enterprise_user)
    try:
        address = services.connect_account(current_user, refresh_url=site_url_for("payments.account_refresh"),
                                           return_url=site_url_for("payments.account_return"))
    except DomainError as error:
        db.session.rollback()
        flash(error.message, "danger")
        return redirect(url_for("payments.account"))
    db.session.commit()
    return redirect(address, code=303)


@bp.route("/account/refresh")
@login_required
def account_refresh():
    """The provider's onboarding link expired: start a fresh one."""
    require(can_manage_payment_accounts(current_user))
    return _account_page(expired=True)


@bp.route("/account/return")
@login_required
def account_return():
    require(current_user.is_enterprise_user)
    if not gateway.configured():
        return redirect(url_for("payments.account"))
    try:
        found = services.refresh_account(current_user)
    except DomainError as error:
        db.session.rollback()
        flash(error.message, "danger")
    else:
        db.session.commit()
        if found and found.ready:
            flash(_("Your payment account is connected: buyers can now pay you by card."), "success")
        else:
            flash(_("Your payment account is not complete yet. The provider may still be checking it."), "info")
    return redirect(url_for("payments.account"))


# --- the provider's webhook ---

@bp.route("/stripe/webhook", methods=["POST"])
@csrf.exempt
@limiter.exempt
def stripe_webhook():
    if not gateway.webhook_configured():
        abort(404)
    try:
        notice = gateway.read_event(request.get_data(), request.headers.get("Stripe-Signature"))
    except gateway.SignatureError:
        return jsonify({"error": "invalid signature"}), 400
    except gateway.MalformedEvent as error:
        log.warning("Malformed provider event: %s", error)
        return jsonify({"error": "malformed event"}), 400
    try:
        outcome = services.handle_notice(notice)
        db.session.commit()
    except services.Refused as refused:
        db.session.rollback()
        log.warning("Refused provider event %s: %s", notice.ref, refused.message)
        return jsonify({"error": "refused", "message": refused.message}), 400
    except IntegrityError:
        # The same event, delivered twice at once: the other delivery applied it.
        db.session.rollback()
        outcome = "duplicate"
    return jsonify({"received": notice.ref, "outcome": outcome})
