"""The verification of off-platform purchases, as data: the agency records, the support center decides."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l

from market.core.states import Move, State, StateMachine


def _city(subject, actor) -> bool:
    return actor is not None and actor.is_city_admin


def _own_agency(subject, actor) -> bool:
    return actor is not None and actor.is_agency_user and actor.organization_id == subject.agency_id


def _notify_decision(purchase, actor, note) -> None:
    from market.reports.off_platform import notify_decision

    notify_decision(purchase, note)


OFF_PLATFORM = StateMachine(
    name="off_platform_purchase",
    field="status",
    states={
        "recorded": State("recorded", _l("Awaiting verification"), "warning"),
        "verified": State("verified", _l("Verified"), "success"),
        "rejected": State("rejected", _l("Not accepted"), "danger"),
    },
    moves={
        ("recorded", "verify"): Move("verified", _city, notify=_notify_decision),
        ("recorded", "reject"): Move("rejected", _city, note_required=True, notify=_notify_decision),
        # Correcting a rejected purchase sends it back to the support center.
        ("rejected", "resubmit"): Move("recorded", _own_agency),
    },
)

# An agency changes or deletes its own record only while the support center has not verified it.
EDITABLE = ("recorded", "rejected")

ACTION_LABELS = {"verify": _l("Verify"), "reject": _l("Reject")}
