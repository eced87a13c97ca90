"""The organisation approval workflow, as data. The city decides; an enterprise cannot approve itself."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l

from market.accounts.permissions import can_review_organizations
from market.core.states import Move, State, StateMachine

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
        ("pending", "approve"): Move("approved", can_review_organizations),
        ("pending", "reject"): Move("rejected", can_review_organizations, note_required=True),
        ("rejected", "approve"): Move("approved", can_review_organizations),
        ("approved", "suspend"): Move("suspended", can_review_organizations, note_required=True),
        ("suspended", "reinstate"): Move("approved", can_review_organizations),
    },
)

ACTION_LABELS = {
    "approve": _l("Approve"),
    "reject": _l("Reject"),
    "suspend": _l("Suspend"),
    "reinstate": _l("Reinstate"),
}
