"""Paying an invoiced order by card in a real browser, through a fake Stripe Checkout: the order turns paid
only when the signed webhook arrives, and the enterprise sees the payment."""
from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from market.extensions import db
from market.payments.models import PaymentAccount
from tests import factories
from tests.payments.fake_stripe import FakeStripe

pytestmark = pytest.mark.browser


@pytest.fixture
def card_site(live_app, live_server, httpserver, world):
    saved = {k: live_app.config[k] for k in ("STRIPE_SECRET_KEY", "STRIPE_API_BASE", "STRIPE_WEBHOOK_SECRET")}
    fake = FakeStripe(httpserver)
    fake.configure(live_app)
    fake.webhook_url = f"{live_server}/payments/stripe/webhook"
    fake.hold_webhook = True
    world.order_x.status = "invoiced"
    db.session.add(PaymentAccount(organization_id=world.enterprise_a.id, provider="stripe", account_ref="acct_A",
                                  charges_enabled=True, payouts_enabled=True, details_submitted=True))
    db.session.commit()
    yield fake
    live_app.config.update(saved)


def test_a_buyer_pays_by_card_and_the_order_turns_paid_on_the_signed_event(page, live_server, log_in, world,
                                                                           card_site):
    order = world.order_x
    log_in("x@example.kr", factories.PASSWORD)
    page.get_by_role("button", name="English").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    page.goto(f"{live_server}/procurement/orders/{order.id}")
    page.get_by_role("button", name="Pay by card").click()

    expect(page.locator("h1")).to_have_text("Fake Checkout")
    expect(page.locator("#amount")).to_have_text(f"{order.total_krw} KRW")
    page.get_by_role("button", name="Pay").click()

    # Back on the marketplace before Stripe's event: the order is not paid on the browser's word.
    expect(page.locator("h1")).to_have_text("Confirming the payment")
    page.goto(f"{live_server}/procurement/orders/{order.id}")
    expect(page.locator("#payment")).to_contain_text("Payment pending")
    page.goto(f"{live_server}/payments/orders/{order.id}/return")

    assert card_site.release_held() == 200
    # The waiting page refreshes itself and lands on the paid order.
    expect(page.locator(".alert-success")).to_contain_text("is paid", timeout=10_000)
    expect(page.locator("h1 .badge")).to_have_text("Paid")

    page.get_by_role("button", name=re.compile("로그아웃|Log out")).click()
    log_in("a@example.kr", factories.PASSWORD)
    page.goto(f"{live_server}/payments/")
    expect(page.locator("table")).to_contain_text(order.number)
    expect(page.locator("table")).to_contain_text(f"{order.total_krw:,}")
