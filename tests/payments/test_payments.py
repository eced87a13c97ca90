"""Paying orders: card checkout through a fake Stripe (real HTTP, real client library), signed webhooks,
bank transfers, refunds and the ledger."""
from __future__ import annotations

import json
import time

import pytest
import sqlalchemy as sa

from market.core.models import AuditEntry
from market.extensions import db
from market.payments.models import LedgerEntry, Payment, PaymentAccount, ProviderEvent, Refund
from market.procurement.models import PurchaseOrder
from market.core.timeutil import seoul_today
from tests.payments.fake_stripe import FakeStripe, sign

WEBHOOK = "/payments/stripe/webhook"


@pytest.fixture
def stripe_fake(app, httpserver):
    saved = {k: app.config[k] for k in ("STRIPE_SECRET_KEY", "STRIPE_API_BASE", "STRIPE_WEBHOOK_SECRET",
                                         "PLATFORM_FEE_BASIS_POINTS")}
    fake = FakeStripe(httpserver)
    fake.configure(app)
    yield fake
    app.config.update(saved)


@pytest.fixture
def invoiced(world):
    world.order_x.status = "invoiced"
    db.session.commit()
    return world.order_x


@pytest.fixture
def card_ready(world, stripe_fake):
    db.session.add(PaymentAccount(organization_id=world.enterprise_a.id, provider="stripe", account_ref="acct_A",
                                  charges_enabled=True, payouts_enabled=True, details_submitted=True))
    db.session.commit()


def _count(model, *where) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(model).where(*where))


def _post_event(client, event: dict, secret: str = "whsec_testing", timestamp: int | None = None,
                tamper: bool = False):
    payload = json.dumps(event).encode()
    signature = sign(payload, secret, timestamp)
    if tamper:
        payload = payload.replace(b'"amount_total": ', b'"amount_total": 1')
    return client.post(WEBHOOK, data=payload, content_type="application/json",
                       headers={"Stripe-Signature": signature})


def _start_checkout(as_user, world, order) -> str:
    response = as_user(world.users.agency_x).post(f"/payments/orders/{order.id}/card")
    assert response.status_code == 303, response.get_data(as_text=True)
    return response.headers["Location"].rsplit("/", 1)[-1]


def _state(order_id: int) -> tuple:
    order = db.session.get(PurchaseOrder, order_id)
    return (order.status, _count(Payment, Payment.status == "succeeded"), _count(LedgerEntry),
            _count(ProviderEvent), _count(Refund))


# --- without keys ---

def test_without_keys_card_payment_explains_itself_and_transfer_remains(world, invoiced, as_user):
    buyer = as_user(world.users.agency_x)
    buyer.post("/language/en")
    page = buyer.get(f"/procurement/orders/{invoiced.id}").get_data(as_text=True)
    assert "Card payments are not configured on this site" in page
    assert "Pay by card" not in page
    response = buyer.post(f"/payments/orders/{invoiced.id}/card", follow_redirects=True)
    assert "Card payments are not configured" in response.get_data(as_text=True)
    assert _count(Payment) == 0
    seller = as_user(world.users.enterprise_a)
    seller.post("/language/en")
    assert "Record a bank transfer received" in seller.get(f"/procurement/orders/{invoiced.id}").get_data(as_text=True)


# --- card payments ---

def test_checkout_asks_stripe_for_whole_won_routed_to_the_enterprise(world, invoiced, card_ready, stripe_fake,
                                                                     as_user):
    session_id = _start_checkout(as_user, world, invoiced)
    method, path, params = stripe_fake.calls[-1]
    assert (method, path) == ("POST", "/v1/checkout/sessions")
    price = params["line_items"]["0"]["price_data"]
    assert price["currency"] == "krw"
    assert int(price["unit_amount"]) == invoiced.total_krw  # zero-decimal: never multiplied by 100
    assert params["payment_intent_data"]["transfer_data"]["destination"] == "acct_A"
    assert "application_fee_amount" not in params["payment_intent_data"]
    payment = db.session.scalar(sa.select(Payment))
    assert (payment.status, payment.session_ref, payment.amount_krw) == ("pending", session_id, invoiced.total_krw)
    assert db.session.get(PurchaseOrder, invoiced.id).status == "invoiced"


def test_a_platform_fee_is_taken_when_configured(app, world, invoiced, card_ready, stripe_fake, as_user, client):
    app.config["PLATFORM_FEE_BASIS_POINTS"] = 150  # 1.5 %
    session_id = _start_checkout(as_user, world, invoiced)
    fee = invoiced.total_krw * 150 // 10_000
    assert int(stripe_fake.calls[-1][2]["payment_intent_data"]["application_fee_amount"]) == fee
    assert _post_event(client, stripe_fake.complete(session_id)).status_code == 200
    entries = {e.kind: e.amount_krw for e in db.session.scalars(sa.select(LedgerEntry))}
    assert entries == {"charge": invoiced.total_krw, "fee": fee, "payout": invoiced.total_krw - fee}


def test_the_return_page_proves_nothing_the_signed_event_pays(world, invoiced, card_ready, stripe_fake, as_user,
                                                              client, outbox):
    session_id = _start_checkout(as_user, world, invoiced)
    buyer = as_user(world.users.agency_x)
    buyer.post("/language/en")
    page = buyer.get(f"/payments/orders/{invoiced.id}/return?session_id={session_id}").get_data(as_text=True)
    assert "confirming the payment" in page.lower()
    assert db.session.get(PurchaseOrder, invoiced.id).status == "invoiced"
    assert "Payment pending" in buyer.get(f"/procurement/orders/{invoiced.id}").get_data(as_text=True)

    assert _post_event(client, stripe_fake.complete(session_id)).status_code == 200
    assert db.session.get(PurchaseOrder, invoiced.id).status == "paid"
    payment = db.session.scalar(sa.select(Payment))
    assert (payment.status, payment.intent_ref, payment.paid_on) == ("succeeded", f"pi_{session_id}", seoul_today())
    assert {e.kind for e in db.session.scalars(sa.select(LedgerEntry))} == {"charge", "payout"}
    assert buyer.get(f"/payments/orders/{invoiced.id}/return").status_code == 302
    seller = as_user(world.users.enterprise_a)
    seller.post("/language/en")
    assert "Paid" in seller.get(f"/procurement/orders/{invoiced.id}").get_data(as_text=True)
    assert any(f"{invoiced.total_krw:,}" in m.body for m in outbox("a@example.kr"))


def test_an_event_replayed_five_times_yields_one_payment(world, invoiced, card_ready, stripe_fake, as_user, client):
    event = stripe_fake.complete(_start_checkout(as_user, world, invoiced))
    for _ in range(5):
        assert _post_event(client, event).status_code == 200
    assert _state(invoiced.id) == ("paid", 1, 2, 1, 0)
    assert _count(AuditEntry, AuditEntry.action == "order.pay") == 1


@pytest.mark.parametrize("bad", ["tampered", "wrong_secret", "old_timestamp", "no_signature"])
def test_unverifiable_events_are_refused_and_change_nothing(world, invoiced, card_ready, stripe_fake, as_user,
                                                           client, bad):
    event = stripe_fake.complete(_start_checkout(as_user, world, invoiced))
    before = _state(invoiced.id)
    if bad == "no_signature":
        response = client.post(WEBHOOK, data=json.dumps(event), content_type="application/json")
    else:
        response = _post_event(client, event, secret="whsec_other" if bad == "wrong_secret" else "whsec_testing",
                               timestamp=int(time.time()) - 3600 if bad == "old_timestamp" else None,
                               tamper=bad == "tampered")
    assert response.status_code == 400
    assert _state(invoiced.id) == before == ("invoiced", 0, 0, 0, 0)


def test_a_signature_dated_in_the_future_is_refused(world, invoiced, card_ready, stripe_fake, as_user, client):
    event = stripe_fake.complete(_start_checkout(as_user, world, invoiced))
    assert _post_event(client, event, timestamp=int(time.time()) + 3600).status_code == 400
    assert _state(invoiced.id) == ("invoiced", 0, 0, 0, 0)
    assert _post_event(client, event, timestamp=int(time.time()) + 60).status_code == 200, "clocks drift a little"


def _malformed(event: dict) -> dict:
    """Ways a signed body can be wrong, each as (name, body)."""
    obj = event["data"]["object"]
    without = lambda mapping, key: {k: v for k, v in mapping.items() if k != key}  # noqa: E731
    return {
        "a list": [event],
        "a string": "checkout.session.completed",
        "a number": 42,
        "null": None,
        "no id": without(event, "id"),
        "a numeric id": {**event, "id": 12345},
        "an id of 10,000 characters": {**event, "id": "evt_" + "x" * 10_000},
        "no type": without(event, "type"),
        "a type of 1,000 characters": {**event, "type": "checkout.session.completed" + "x" * 1000},
        "a list as type": {**event, "type": ["checkout.session.completed"]},
        "no data": without(event, "data"),
        "data a list": {**event, "data": [obj]},
        "no data.object": {**event, "data": {}},
        "data.object a string": {**event, "data": {"object": "cs_test"}},
        "amount_total abc": {**event, "data": {"object": {**obj, "amount_total": "abc"}}},
        "amount_total 2^64": {**event, "data": {"object": {**obj, "amount_total": 2**64}}},
        "amount_total negative": {**event, "data": {"object": {**obj, "amount_total": -1}}},
        "amount_total a float": {**event, "data": {"object": {**obj, "amount_total": 1.5}}},
        "amount_total true": {**event, "data": {"object": {**obj, "amount_total": True}}},
        "currency a number": {**event, "data": {"object": {**obj, "currency": 410}}},
        "metadata a list": {**event, "data": {"object": {**obj, "metadata": ["payment_id"]}}},
        "session id missing": {**event, "data": {"object": without(obj, "id")}},
        "session id an object": {**event, "data": {"object": {**obj, "id": {"id": "cs"}}}},
        "created abc": {**event, "created": "abc"},
        "created in year 300,000": {**event, "created": 10**13},
        "created negative": {**event, "created": -10**13},
        "a refund of abc": {**event, "type": "charge.refunded",
                            "data": {"object": {"payment_intent": "pi_x", "amount_refunded": "abc"}}},
        "a failure as a list": {**event, "type": "payment_intent.payment_failed",
                                "data": {"object": {"id": "pi_x", "last_payment_error": ["card declined"]}}},
        "an account without id": {**event, "type": "account.updated", "data": {"object": {"charges_enabled": 1}}},
    }


MALFORMED = list(_malformed({"id": "evt_1", "type": "checkout.session.completed", "created": 1,
                             "data": {"object": {"id": "cs", "amount_total": 1}}}))


@pytest.mark.parametrize("case", MALFORMED)
def test_a_signed_but_malformed_event_is_refused_with_400_and_changes_nothing(world, invoiced, card_ready,
                                                                              stripe_fake, as_user, client, case):
    event = stripe_fake.complete(_start_checkout(as_user, world, invoiced))
    response = _post_event(client, _malformed(event)[case])
    assert response.status_code == 400 and response.json == {"error": "malformed event"}
    assert _state(invoiced.id) == ("invoiced", 0, 0, 0, 0)
    assert _post_event(client, event).status_code == 200, "the well-formed event still pays"


def test_an_event_for_an_unknown_checkout_is_refused(world, invoiced, card_ready, stripe_fake, as_user, client):
    _start_checkout(as_user, world, invoiced)
    event = stripe_fake.event("checkout.session.completed", {
        "id": "cs_test_unknown", "object": "checkout.session", "payment_status": "paid", "amount_total": 1000,
        "currency": "krw", "payment_intent": "pi_x", "metadata": {"payment_id": "999", "order_id": "999"}})
    assert _post_event(client, event).status_code == 400
    assert _state(invoiced.id) == ("invoiced", 0, 0, 0, 0)


def test_an_amount_that_differs_from_the_order_is_refused(world, invoiced, card_ready, stripe_fake, as_user, client):
    event = stripe_fake.complete(_start_checkout(as_user, world, invoiced), amount=invoiced.total_krw - 1)
    assert _post_event(client, event).status_code == 400
    assert _state(invoiced.id) == ("invoiced", 0, 0, 0, 0)
    assert db.session.scalar(sa.select(Payment.status)) == "pending"


def test_a_failed_payment_can_be_retried_and_the_old_checkout_is_closed(world, invoiced, card_ready, stripe_fake,
                                                                        as_user, client, outbox):
    first = _start_checkout(as_user, world, invoiced)
    failed = stripe_fake.event("payment_intent.payment_failed", {
        "id": "pi_failed", "object": "payment_intent", "metadata": {"payment_id": str(db.session.scalar(
            sa.select(Payment.id))), "order_id": str(invoiced.id)},
        "last_payment_error": {"message": "Your card was declined."}})
    assert _post_event(client, failed).status_code == 200
    assert db.session.scalar(sa.select(Payment.status)) == "failed"
    assert any("failed" in m.body or "실패" in m.body for m in outbox("x@example.kr"))
    second = _start_checkout(as_user, world, invoiced)
    assert second != first
    assert stripe_fake.sessions[first]["status"] in ("open", "expired")
    # A pending attempt is closed at Stripe before a new one opens, so one order cannot be paid twice.
    third = _start_checkout(as_user, world, invoiced)
    assert ("POST", f"/v1/checkout/sessions/{second}/expire", {}) in stripe_fake.calls
    assert _post_event(client, stripe_fake.complete(third)).status_code == 200
    assert _state(invoiced.id)[:2] == ("paid", 1)


def test_events_in_any_order(world, invoiced, card_ready, stripe_fake, as_user, client):
    session_id = _start_checkout(as_user, world, invoiced)
    completed = stripe_fake.complete(session_id)
    expired = stripe_fake.event("checkout.session.expired", {"id": session_id, "object": "checkout.session",
                                                              "metadata": {}})
    refunded = stripe_fake.refunded(f"pi_{session_id}", 5_000)
    # The refund notice before the payment is known is refused (Stripe retries it), then applies.
    assert _post_event(client, refunded).status_code == 400
    assert _post_event(client, expired).status_code == 200
    assert db.session.scalar(sa.select(Payment.status)) == "expired"
    assert _post_event(client, completed).status_code == 200
    assert _post_event(client, refunded).status_code == 200
    payment = db.session.scalar(sa.select(Payment))
    assert (payment.status, payment.refunded_krw) == ("succeeded", 5_000)
    assert db.session.get(PurchaseOrder, invoiced.id).status == "paid"


def test_a_provider_outage_leaves_nothing_behind(world, invoiced, card_ready, stripe_fake, as_user):
    stripe_fake.outage = 3
    buyer = as_user(world.users.agency_x)
    buyer.post("/language/en")
    response = buyer.post(f"/payments/orders/{invoiced.id}/card", follow_redirects=True)
    assert "could not complete this just now" in response.get_data(as_text=True)
    assert _count(Payment) == 0


def test_a_passing_hiccup_is_retried(world, invoiced, card_ready, stripe_fake, as_user):
    stripe_fake.outage = 1
    _start_checkout(as_user, world, invoiced)
    assert _count(Payment) == 1


def test_only_an_invoiced_order_is_paid(world, card_ready, stripe_fake, as_user):
    buyer = as_user(world.users.agency_x)
    assert buyer.post(f"/payments/orders/{world.order_x.id}/card").status_code == 302
    assert _count(Payment) == 0 and not stripe_fake.calls


# --- bank transfer ---

def test_the_enterprise_records_a_transfer_and_the_buyer_sees_it(world, invoiced, as_user):
    seller = as_user(world.users.enterprise_a)
    response = seller.post(f"/payments/orders/{invoiced.id}/transfer", data={
        "received_on": seoul_today().isoformat(), "amount_krw": f"{invoiced.total_krw:,}", "reference": "군산시청"})
    assert response.status_code == 302
    assert _state(invoiced.id) == ("paid", 1, 1, 0, 0)
    buyer = as_user(world.users.agency_x)
    page = buyer.get(f"/procurement/orders/{invoiced.id}").get_data(as_text=True)
    assert "군산시청" in page
    assert "군산시청" in buyer.get("/payments/").get_data(as_text=True) or invoiced.number in \
        buyer.get("/payments/").get_data(as_text=True)


@pytest.mark.parametrize(("field", "value", "message"), [
    ("amount_krw", "1000", "differs from the order total"),
    ("received_on", "2099-01-01", "cannot be in the future"),
    ("amount_krw", "abc", "whole number of won"),
])
def test_a_wrong_transfer_is_refused_and_keeps_what_was_typed(world, invoiced, as_user, field, value, message):
    seller = as_user(world.users.enterprise_a)
    seller.post("/language/en")
    data = {"received_on": seoul_today().isoformat(), "amount_krw": str(invoiced.total_krw), "reference": "입금메모"}
    data[field] = value
    response = seller.post(f"/payments/orders/{invoiced.id}/transfer", data=data)
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert message in page and "입금메모" in page
    assert _state(invoiced.id) == ("invoiced", 0, 0, 0, 0)


def test_the_buyer_cannot_record_a_transfer(world, invoiced, as_user):
    assert as_user(world.users.agency_x).post(f"/payments/orders/{invoiced.id}/transfer", data={
        "received_on": seoul_today().isoformat(), "amount_krw": str(invoiced.total_krw)}).status_code == 403
    assert _count(Payment) == 0


# --- refunds ---

def _paid_by_transfer(world, as_user, order):
    as_user(world.users.enterprise_a).post(f"/payments/orders/{order.id}/transfer", data={
        "received_on": seoul_today().isoformat(), "amount_krw": str(order.total_krw)})
    assert db.session.get(PurchaseOrder, order.id).status == "paid"


def test_a_refund_is_asked_on_a_disputed_order_and_approved_by_the_enterprise(world, invoiced, as_user):
    _paid_by_transfer(world, as_user, invoiced)
    buyer, seller = as_user(world.users.agency_x), as_user(world.users.enterprise_a)
    buyer.post("/language/en")
    refused = buyer.post(f"/payments/orders/{invoiced.id}/refund", data={"amount_krw": "1000", "reason": "불량"},
                         follow_redirects=True)
    assert "raise a dispute on the order first" in refused.get_data(as_text=True) and _count(Refund) == 0
    assert buyer.post(f"/procurement/orders/{invoiced.id}/dispute", data={"note": "일부 품목 불량"}).status_code == 302
    too_much = buyer.post(f"/payments/orders/{invoiced.id}/refund",
                          data={"amount_krw": str(invoiced.total_krw + 1), "reason": "불량"})
    assert too_much.status_code == 400 and _count(Refund) == 0
    assert buyer.post(f"/payments/orders/{invoiced.id}/refund",
                      data={"amount_krw": "10,000", "reason": "일부 불량"}).status_code == 302
    refund = db.session.scalar(sa.select(Refund))
    assert seller.post(f"/payments/refunds/{refund.id}/approve").status_code == 302
    # Agreed, but the money has not moved yet: nothing is recorded as refunded until the enterprise sent it.
    assert db.session.get(Refund, refund.id).status == "processing"
    assert db.session.scalar(sa.select(Payment.refunded_krw)) == 0
    seller.post("/language/en")
    assert "I have sent the refund" in seller.get(f"/procurement/orders/{invoiced.id}").get_data(as_text=True)
    assert seller.post(f"/payments/refunds/{refund.id}/sent").status_code == 302
    refund = db.session.get(Refund, refund.id)
    payment = db.session.scalar(sa.select(Payment))
    assert (refund.status, payment.refunded_krw) == ("refunded", 10_000)
    assert db.session.scalar(sa.select(LedgerEntry.amount_krw).where(LedgerEntry.kind == "refund")) == 10_000


def test_refusing_a_refund_needs_a_reason_and_only_the_enterprise_decides(world, invoiced, as_user):
    _paid_by_transfer(world, as_user, invoiced)
    buyer, seller = as_user(world.users.agency_x), as_user(world.users.enterprise_a)
    buyer.post(f"/procurement/orders/{invoiced.id}/dispute", data={"note": "불량"})
    buyer.post(f"/payments/orders/{invoiced.id}/refund", data={"amount_krw": "5000", "reason": "불량"})
    refund = db.session.scalar(sa.select(Refund))
    assert buyer.post(f"/payments/refunds/{refund.id}/approve").status_code == 403
    seller.post(f"/payments/refunds/{refund.id}/reject", data={"note": ""})
    assert db.session.get(Refund, refund.id).status == "requested"
    seller.post(f"/payments/refunds/{refund.id}/reject", data={"note": "정상 납품 확인"})
    assert db.session.get(Refund, refund.id).status == "rejected"
    assert "정상 납품 확인" in buyer.get(f"/procurement/orders/{invoiced.id}").get_data(as_text=True)


def test_a_card_refund_goes_through_stripe_and_completes_on_its_event(world, invoiced, card_ready, stripe_fake,
                                                                      as_user, client):
    session_id = _start_checkout(as_user, world, invoiced)
    _post_event(client, stripe_fake.complete(session_id))
    buyer, seller = as_user(world.users.agency_x), as_user(world.users.enterprise_a)
    buyer.post(f"/procurement/orders/{invoiced.id}/dispute", data={"note": "불량"})
    buyer.post(f"/payments/orders/{invoiced.id}/refund", data={"amount_krw": "7000", "reason": "불량"})
    refund = db.session.scalar(sa.select(Refund))
    seller.post(f"/payments/refunds/{refund.id}/approve")
    assert stripe_fake.calls[-1][1] == "/v1/refunds"
    assert seller.post(f"/payments/refunds/{refund.id}/sent").status_code == 302  # refused: Stripe confirms it
    assert db.session.get(Refund, refund.id).status == "processing"
    assert int(stripe_fake.calls[-1][2]["amount"]) == 7000
    assert db.session.get(Refund, refund.id).status == "processing"
    assert db.session.scalar(sa.select(Payment.refunded_krw)) == 0
    event = stripe_fake.refunded(f"pi_{session_id}", 7000)
    for _ in range(3):
        assert _post_event(client, event).status_code == 200
    assert db.session.get(Refund, refund.id).status == "refunded"
    assert db.session.scalar(sa.select(Payment.refunded_krw)) == 7000
    assert _count(LedgerEntry, LedgerEntry.kind == "refund") == 1


# --- connecting an enterprise's account ---

def test_an_enterprise_connects_its_account_and_is_kept_up_to_date(world, invoiced, stripe_fake, as_user, client):
    seller = as_user(world.users.enterprise_a)
    response = seller.post("/payments/account/connect")
    assert response.status_code == 303 and "/onboard/acct_" in response.headers["Location"]
    account = db.session.scalar(sa.select(PaymentAccount))
    assert not account.ready
    event = stripe_fake.event("account.updated", {"id": account.account_ref, "object": "account",
                                                  "charges_enabled": True, "payouts_enabled": True,
                                                  "details_submitted": True})
    assert _post_event(client, event).status_code == 200
    assert db.session.get(PaymentAccount, account.id).ready
    buyer = as_user(world.users.agency_x)
    buyer.post("/language/en")
    assert "Pay by card" in buyer.get(f"/procurement/orders/{invoiced.id}").get_data(as_text=True)


def test_only_a_manager_connects_an_account(world, stripe_fake, as_user):
    from tests.factories import user

    clerk = user(world.enterprise_a, "staff", email="staff@example.kr")
    db.session.commit()
    assert as_user(clerk).post("/payments/account/connect").status_code == 302
    assert _count(PaymentAccount) == 0 and not stripe_fake.calls


def test_the_ledger_page_costs_the_same_queries_for_one_or_many_entries(world, as_user, count_queries):
    from tests import factories

    def pay(order):
        order.status = "invoiced"
        db.session.commit()
        as_user(world.users.enterprise_a).post(f"/payments/orders/{order.id}/transfer", data={
            "received_on": seoul_today().isoformat(), "amount_krw": str(order.total_krw)})

    pay(world.order_x)
    seller = as_user(world.users.enterprise_a)
    with count_queries() as one:
        assert seller.get("/payments/").status_code == 200
    for _ in range(4):
        pay(factories.purchase_order(world.agency_x, world.enterprise_a, world.users.agency_x))
    with count_queries() as five:
        page = seller.get("/payments/").get_data(as_text=True)
    assert page.count("GS-") >= 5
    assert five.count == one.count


def test_the_same_event_delivered_twice_at_once_is_applied_once(app, world, invoiced, card_ready, stripe_fake,
                                                                 as_user):
    import threading

    event = stripe_fake.complete(_start_checkout(as_user, world, invoiced))
    barrier, codes = threading.Barrier(2), []

    def deliver():
        client = app.test_client()  # each request: its own session and database connection
        barrier.wait()
        codes.append(_post_event(client, event).status_code)

    threads = [threading.Thread(target=deliver) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert codes == [200, 200]
    db.session.expire_all()
    assert _state(invoiced.id) == ("paid", 1, 2, 1, 0)


def test_payment_pages_that_do_not_apply_send_back_to_the_order_with_the_reason(world, invoiced, as_user):
    buyer, seller = as_user(world.users.agency_x), as_user(world.users.enterprise_a)
    buyer.post("/language/en")
    # No card checkout was ever started: nothing to wait for.
    assert buyer.get(f"/payments/orders/{invoiced.id}/return").status_code == 302
    _paid_by_transfer(world, as_user, invoiced)
    seller.post("/language/en")
    again = seller.get(f"/payments/orders/{invoiced.id}/transfer", follow_redirects=True).get_data(as_text=True)
    assert "already been paid" in again
    early = buyer.get(f"/payments/orders/{invoiced.id}/refund", follow_redirects=True).get_data(as_text=True)
    assert "raise a dispute on the order first" in early


def test_amounts_are_typed_with_separators_and_letters_get_one_clear_message(world, invoiced, as_user):
    seller = as_user(world.users.enterprise_a)
    seller.post("/language/en")
    form = seller.get(f"/payments/orders/{invoiced.id}/transfer").get_data(as_text=True)
    assert f'value="{invoiced.total_krw:,}"' in form and 'type="number"' not in form
    page = seller.post(f"/payments/orders/{invoiced.id}/transfer", data={
        "received_on": seoul_today().isoformat(), "amount_krw": "12만원"}).get_data(as_text=True)
    assert page.count("Enter a whole number of won, at least 1.") == 1 and 'value="12만원"' in page
