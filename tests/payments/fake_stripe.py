"""A stand-in for Stripe's API on loopback (pytest-httpserver), so the real client library makes real HTTP calls
without an account or the internet; and genuinely signed webhook payloads.

It also plays the hosted Checkout page: GET /pay/<session> shows a pay button; POST completes the session,
delivers the signed `checkout.session.completed` event to the app's webhook, and sends the browser back.
"""
from __future__ import annotations

import hashlib
import hmac
import itertools
import json
import re
import time
import urllib.request

from werkzeug.wrappers import Request, Response

WEBHOOK_SECRET = "whsec_testing"


def sign(payload: bytes, secret: str = WEBHOOK_SECRET, timestamp: int | None = None) -> str:
    timestamp = int(time.time()) if timestamp is None else timestamp
    digest = hmac.new(secret.encode(), f"{timestamp}.".encode() + payload, hashlib.sha256).hexdigest()
    return f"t={timestamp},v1={digest}"


def _nested(form) -> dict:
    """Stripe's form encoding (line_items[0][price_data][unit_amount]=...) back into a dict."""
    result: dict = {}
    for key, value in form.items(multi=True):
        parts = re.findall(r"[^\[\]]+", key)
        node = result
        for part in parts[:-1]:
            node = node.setdefault(part, {})
        node[parts[-1]] = value
    return result


class FakeStripe:
    def __init__(self, httpserver):
        self.server = httpserver
        self.base = httpserver.url_for("").rstrip("/")
        self.calls: list[tuple[str, str, dict]] = []
        self.accounts: dict[str, dict] = {}
        self.sessions: dict[str, dict] = {}
        self.refunds: dict[str, dict] = {}
        self.ids = itertools.count(1)
        self.webhook_url: str | None = None
        self.hold_webhook = False  # the browser comes back before the event: release_held() delivers it
        self.held: list[dict] = []
        self.outage = 0  # how many next calls answer 500 (the client retries twice)
        httpserver.expect_request(re.compile(r"^/.*")).respond_with_handler(self.handle)

    def configure(self, app) -> None:
        app.config.update(STRIPE_SECRET_KEY="sk_test_fake", STRIPE_API_BASE=self.base,
                          STRIPE_WEBHOOK_SECRET=WEBHOOK_SECRET)

    # --- the API ---

    def handle(self, request: Request) -> Response:
        path = request.path
        if path.startswith("/pay/"):
            return self._checkout_page(request, path.removeprefix("/pay/"))
        params = _nested(request.form)
        self.calls.append((request.method, path, params))
        if self.outage:
            self.outage -= 1
            return self._json({"error": {"type": "api_error", "message": "Stripe is down"}}, 500)
        if path == "/v1/accounts" and request.method == "POST":
            account = {"id": f"acct_{next(self.ids)}", "object": "account", "charges_enabled": False,
                       "payouts_enabled": False, "details_submitted": False, "email": params.get("email")}
            self.accounts[account["id"]] = account
            return self._json(account)
        if match := re.fullmatch(r"/v1/accounts/(acct_\w+)", path):
            return self._json(self.accounts[match[1]])
        if path == "/v1/account_links":
            return self._json({"object": "account_link", "url": f"{self.base}/onboard/{params['account']}"})
        if path == "/v1/checkout/sessions" and request.method == "POST":
            line = params["line_items"]["0"]
            amount = int(line["price_data"]["unit_amount"]) * int(line["quantity"])
            session_id = f"cs_test_{next(self.ids)}"
            session = {"id": session_id, "object": "checkout.session", "status": "open", "payment_status": "unpaid",
                       "amount_total": amount, "currency": line["price_data"]["currency"], "payment_intent": None,
                       "metadata": params.get("metadata", {}), "url": f"{self.base}/pay/{session_id}",
                       "success_url": params["success_url"], "cancel_url": params["cancel_url"],
                       "params": params}
            self.sessions[session_id] = session
            return self._json(session)
        if match := re.fullmatch(r"/v1/checkout/sessions/(cs_test_\w+)/expire", path):
            self.sessions[match[1]]["status"] = "expired"
            return self._json(self.sessions[match[1]])
        if match := re.fullmatch(r"/v1/checkout/sessions/(cs_test_\w+)", path):
            return self._json(self.sessions[match[1]])
        if path == "/v1/refunds":
            refund = {"id": f"re_{next(self.ids)}", "object": "refund", "amount": int(params["amount"]),
                      "payment_intent": params["payment_intent"], "status": "succeeded"}
            self.refunds[refund["id"]] = refund
            return self._json(refund)
        return self._json({"error": {"type": "invalid_request_error", "message": f"no route {path}"}}, 404)

    @staticmethod
    def _json(body: dict, status: int = 200) -> Response:
        return Response(json.dumps(body), status=status, content_type="application/json",
                        headers={"Request-Id": "req_fake"})

    # --- events ---

    def event(self, type_: str, obj: dict, created: int | None = None) -> dict:
        return {"id": f"evt_{next(self.ids)}", "object": "event", "type": type_,
                "created": int(time.time()) if created is None else created, "data": {"object": obj}}

    def complete(self, session_id: str, amount: int | None = None) -> dict:
        """The session is paid: Stripe's side of it, and the event it sends."""
        session = self.sessions[session_id]
        session.update(status="complete", payment_status="paid", payment_intent=f"pi_{session_id}")
        obj = {k: v for k, v in session.items() if k != "params"}
        if amount is not None:
            obj["amount_total"] = amount
        return self.event("checkout.session.completed", obj)

    def refunded(self, intent_ref: str, amount_refunded: int) -> dict:
        return self.event("charge.refunded", {"id": f"ch_{intent_ref}", "object": "charge", "currency": "krw",
                                              "payment_intent": intent_ref, "amount_refunded": amount_refunded})

    def deliver(self, event: dict, url: str | None = None, secret: str = WEBHOOK_SECRET) -> int:
        payload = json.dumps(event).encode()
        request = urllib.request.Request(url or self.webhook_url, data=payload, method="POST", headers={
            "Content-Type": "application/json", "Stripe-Signature": sign(payload, secret)})
        try:
            with urllib.request.urlopen(request, timeout=10) as response:
                return response.status
        except urllib.error.HTTPError as error:
            return error.code

    def release_held(self) -> int:
        return [self.deliver(event) for event in self.held][-1]

    # --- the hosted checkout page, for the browser ---

    def _checkout_page(self, request: Request, session_id: str) -> Response:
        session = self.sessions[session_id]
        if request.method == "POST":
            event = self.complete(session_id)
            if self.hold_webhook:
                self.held.append(event)
            else:
                self.deliver(event)
            return Response(status=303, headers={"Location": session["success_url"].replace(
                "{CHECKOUT_SESSION_ID}", session_id)})
        name = session["params"]["line_items"]["0"]["price_data"]["product_data"]["name"]
        html = (f"<!doctype html><html lang=en><title>Fake Checkout</title><main><h1>Fake Checkout</h1>"
                f"<p>{name}</p><p id=amount>{session['amount_total']} {session['currency'].upper()}</p>"
                f"<form method=post><button type=submit>Pay</button></form>"
                f"<a href=\"{session['cancel_url']}\">Cancel</a></main></html>")
        return Response(html, content_type="text/html; charset=utf-8")
