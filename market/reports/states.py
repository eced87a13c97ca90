"""The reports' workflows as data: an agency's proposed targets (the city approves them, and they become the
standing targets, or returns them with a reason) and the verification of its off-platform purchases (the
agency records, the support center decides). Each move goes through market.core.states.transition; who is told
is said in notifications.py."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l

from market.core.states import Move, State, StateMachine
from market.reports.permissions import can_decide_proposal, can_verify_off_platform, is_recording_agency

PROPOSAL = StateMachine(
    name="target_proposal",
    field="status",
    states={
        "proposed": State("proposed", _l("Awaiting approval"), "warning"),
        "approved": State("approved", _l("Approved"), "success"),
        "returned": State("returned", _l("Returned"), "danger"),
    },
    moves={
        ("proposed", "approve"): Move("approved", can_decide_proposal),
        ("proposed", "return"): Move("returned", can_decide_proposal, note_required=True),
    },
)

OFF_PLATFORM = StateMachine(
    name="off_platform_purchase",
    field="status",
    states={
        "recorded": State("recorded", _l("Awaiting verification"), "warning"),
        "verified": State("verified", _l("Verified"), "success"),
        "rejected": State("rejected", _l("Not accepted"), "danger"),
    },
    moves={
        ("recorded", "verify"): Move("verified", can_verify_off_platform),
        ("recorded", "reject"): Move("rejected", can_verify_off_platform, note_required=True),
        # Correcting a rejected purchase sends it back to the support center.
        ("rejected", "resubmit"): Move("recorded", is_recording_agency),
    },
)

ACTION_LABELS = {"verify": _l("Verify"), "reject": _l("Reject")}
