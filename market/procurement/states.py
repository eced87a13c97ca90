"""The buying workflows as data: purchase requests, quotes and purchase orders.

Each move names who may make it; market.core.states.transition performs it (checks, audit, notification);
who is told is said in notifications.py.
"""
from __future__ import annotations

from flask_babel import lazy_gettext as _l

from market.core.states import Move, State, StateMachine
from market.procurement.permissions import is_buyer, is_party, is_supplier, is_supplier_or_system


REQUEST = StateMachine(
    name="request",
    field="status",
    states={
        "draft": State("draft", _l("Draft"), "neutral"),
        "open": State("open", _l("Open for quotes"), "info"),
        "awarded": State("awarded", _l("Awarded"), "success"),
        "withdrawn": State("withdrawn", _l("Withdrawn"), "neutral"),
        "closed": State("closed", _l("Closed without award"), "neutral"),
    },
    moves={
        ("draft", "send"): Move("open", is_buyer),
        ("open", "withdraw"): Move("withdrawn", is_buyer, note_required=True),
        ("open", "award"): Move("awarded", is_buyer),
        ("open", "close"): Move("closed", is_buyer),
    },
)

QUOTE = StateMachine(
    name="quote",
    field="status",
    states={
        "submitted": State("submitted", _l("Submitted"), "info"),
        "declined": State("declined", _l("Declined"), "neutral"),
        "accepted": State("accepted", _l("Accepted"), "success"),
        "not_selected": State("not_selected", _l("Not selected"), "neutral"),
    },
    moves={
        ("submitted", "accept"): Move("accepted", is_buyer),
        ("submitted", "not_select"): Move("not_selected", is_buyer),
    },
)

ORDER = StateMachine(
    name="order",
    field="status",
    states={
        "placed": State("placed", _l("Placed"), "info"),
        "confirmed": State("confirmed", _l("Confirmed"), "info"),
        "declined": State("declined", _l("Declined by the enterprise"), "danger"),
        "delivered": State("delivered", _l("Delivered"), "warning"),
        "inspected": State("inspected", _l("Inspected"), "success"),
        "invoiced": State("invoiced", _l("Invoiced"), "warning"),
        "paid": State("paid", _l("Paid"), "success"),
        "disputed": State("disputed", _l("Disputed"), "danger"),
        "closed": State("closed", _l("Completed"), "neutral"),
        "cancelled": State("cancelled", _l("Cancelled"), "danger"),
    },
    moves={
        ("placed", "confirm"): Move("confirmed", is_supplier),
        ("placed", "decline"): Move("declined", is_supplier, note_required=True),
        ("placed", "cancel"): Move("cancelled", is_buyer, note_required=True),
        ("confirmed", "deliver"): Move("delivered", is_supplier),
        ("confirmed", "cancel"): Move("cancelled", is_party, note_required=True),
        ("delivered", "inspect"): Move("inspected", is_buyer),
        ("delivered", "reject"): Move("confirmed", is_buyer, note_required=True),
        ("inspected", "invoice"): Move("invoiced", is_supplier),
        ("invoiced", "pay"): Move("paid", is_supplier_or_system),
        ("paid", "close"): Move("closed", is_party),
        ("paid", "dispute"): Move("disputed", is_buyer, note_required=True),
        ("disputed", "settle"): Move("paid", is_party, note_required=True),
        ("disputed", "cancel"): Move("cancelled", is_party, note_required=True),
    },
)

ACTION_LABELS = {
    "send": _l("Send"), "withdraw": _l("Withdraw"), "close": _l("Close without award"),
    "confirm": _l("Confirm the order"), "decline": _l("Decline"), "cancel": _l("Cancel the order"),
    "deliver": _l("Mark as delivered"), "inspect": _l("Inspection passed"), "reject": _l("Reject the delivery"),
    "invoice": _l("Send the invoice"), "pay": _l("Record payment"), "dispute": _l("Raise a dispute"),
    "settle": _l("Dispute settled"),
}
# On an order, "close" completes the deal (on a request it closes without award).
ORDER_ACTION_LABELS = {**ACTION_LABELS, "close": _l("Complete the order")}
# Asked to confirm: the step cannot be undone and ends the chance to dispute.
CONFIRM = {"close"}
# Made only on the payment pages, which keep the evidence (a provider's verified event, a transfer receipt).
WITH_EVIDENCE = {"pay"}
# Actions that must be explained; the order page asks for a reason and a confirmation.
NEEDS_REASON = {action for (state, action), move in ORDER.moves.items() if move.note_required}
