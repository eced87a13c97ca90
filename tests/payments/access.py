"""Access rules of the payment routes. `order_x` is between agency X (the buyer) and enterprise A (the payee);
other organisations get 404 (the order's existence is not revealed); the city sees, but pays nothing."""
from market.extensions import db
from market.payments.models import Payment, Refund
from tests.access import Rule, enterprises_only, everyone, signed_in

PARTIES = everyone(404, anonymous=302, agency_x=200, enterprise_a=200, city=200)
BUYER = everyone(404, anonymous=302, agency_x=200, enterprise_a=403, city=403)
PAYEE = everyone(404, anonymous=302, agency_x=403, enterprise_a=200, city=403)


def _order(w):
    return {"order_id": w.order_x.id}


def _invoiced(w):
    w.order_x.status = "invoiced"
    db.session.commit()
    return _order(w)


def _paid_and_disputed(w):
    w.order_x.status = "disputed"
    db.session.add(Payment(order_id=w.order_x.id, method="transfer", status="succeeded", amount_krw=w.order_x.total_krw))
    db.session.commit()
    return _order(w)


def _awaiting_card(w):
    w.order_x.status = "invoiced"
    db.session.add(Payment(order_id=w.order_x.id, method="card", provider="stripe", status="pending",
                           amount_krw=w.order_x.total_krw, session_ref="cs_test_access"))
    db.session.commit()
    return _order(w)


def _requested_refund(w):
    w.order_x.status = "disputed"
    payment = Payment(order_id=w.order_x.id, method="transfer", status="succeeded", amount_krw=w.order_x.total_krw)
    refund = Refund(payment=payment, order_id=w.order_x.id, amount_krw=1000, reason="일부 불량")
    db.session.add_all([payment, refund])
    db.session.commit()
    return {"refund_id": refund.id, "decision": "reject"}


RULES = {
    ("payments.index", "GET"): Rule(signed_in(200)),
    ("payments.pay_by_card", "POST"): Rule({**BUYER, "agency_x": 302}, args=_order),
    ("payments.returned", "GET"): Rule(PARTIES, args=_awaiting_card),
    ("payments.cancelled", "GET"): Rule({**PARTIES, "agency_x": 302, "enterprise_a": 302, "city": 302}, args=_order),
    ("payments.transfer", "GET"): Rule(PAYEE, args=_invoiced),
    ("payments.transfer", "POST"): Rule({**PAYEE, "enterprise_a": 400}, args=_invoiced),
    ("payments.refund", "GET"): Rule(BUYER, args=_paid_and_disputed),
    ("payments.refund", "POST"): Rule({**BUYER, "agency_x": 400}, args=_paid_and_disputed),
    # Refusing without a reason is refused with a message (302 back to the order); only the payee decides.
    ("payments.decide_refund", "POST"): Rule({**PAYEE, "enterprise_a": 302}, args=_requested_refund),
    ("payments.account", "GET"): Rule(enterprises_only()),
    ("payments.connect", "POST"): Rule(enterprises_only(302)),
    # Managers only (both enterprises' people here are managers); the empty form is refused.
    ("payments.transfer_account", "POST"): Rule(enterprises_only(400)),
    ("payments.account_refresh", "GET"): Rule(enterprises_only()),
    ("payments.account_return", "GET"): Rule(enterprises_only(302)),
    # The provider's webhook: anyone may knock; an unsigned body is refused.
    ("payments.stripe_webhook", "POST"): Rule(everyone(400)),
}
