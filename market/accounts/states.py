"""The organisation approval workflow, as data. The city decides; an enterprise cannot approve itself."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l

from market.core.states import Move, State, StateMachine


def _city_admin(org, actor) -> bool:
    return actor is not None and actor.is_city_admin


ORGANIZATION = StateMachine(
    name="organization",
    field="status",
    states={
        "pending": State("pending", _l("Awaiting approval"), "warning"),
        "approved": State("approved", _l("Approved"), "success"),
        "rejected": State("rejected", _l("Rejected"), "danger"),
        "suspended": State("suspended", _l("Suspended"), "danger"),
    },
    moves={
        ("pending", "approve"): Move("approved", _city_admin),
        ("pending", "reject"): Move("rejected", _city_admin, note_required=True),
        ("rejected", "approve"): Move("approved", _city_admin),
        ("approved", "suspend"): Move("suspended", _city_admin, note_required=True),
        ("suspended", "reinstate"): Move("approved", _city_admin),
    },
)

ACTION_LABELS = {
    "approve": _l("Approve"),
    "reject": _l("Reject"),
    "suspend": _l("Suspend"),
    "reinstate": _l("Reinstate"),
}
