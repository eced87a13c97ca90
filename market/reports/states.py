"""The reports' workflows as data: an agency's proposed targets (the city approves them, and they become the
standing targets, or returns them with a reason) and the verification of its off-platform purchases (the
agency records, the support center decides). Each move goes through market.core.states.transition; who is told
is said in notifications.py."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l

from market.core.states import Move, State, StateMachine


def _city(subject, actor) -> bool:
    return actor is not None and actor.is_city_admin


PROPOSAL = StateMachine(
    name="target_proposal",
    field="status",
    states={
        "proposed": State("proposed", _l("Awaiting approval"), "warning"),
        "approved": State("approved", _l("Approved"), "success"),
        "returned": State("returned", _l("Returned"), "danger"),
    },
    moves={
        ("proposed", "approve"): Move("approved", _city),
        ("proposed", "return"): Move("returned", _city, note_required=True),
    },
)


def _own_agency(subject, actor) -> bool:
    return actor is not None and actor.is_agency_user and actor.organization_id == subject.agency_id


OFF_PLATFORM = StateMachine(
    name="off_platform_purchase",
    field="status",
    states={
        "recorded": State("recorded", _l("Awaiting verification"), "warning"),
        "verified": State("verified", _l("Verified"), "success"),
        "rejected": State("rejected", _l("Not accepted"), "danger"),
    },
    moves={
        ("recorded", "verify"): Move("verified", _city),
        ("recorded", "reject"): Move("rejected", _city, note_required=True),
        # Correcting a rejected purchase sends it back to the support center.
        ("rejected", "resubmit"): Move("recorded", _own_agency),
    },
)

# An agency changes or deletes its own record only while the support center has not verified it.
EDITABLE = ("recorded", "rejected")

ACTION_LABELS = {"verify": _l("Verify"), "reject": _l("Reject")}
