"""Workflows of the catalog, as data: certification verification and listing publication."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l

from market.catalog.permissions import can_edit_certification, can_edit_listing, can_verify_certification
from market.core.states import Move, State, StateMachine

CERTIFICATION = StateMachine(
    name="certification",
    field="status",
    states={
        "pending": State("pending", _l("Awaiting verification"), "warning"),
        "verified": State("verified", _l("Verified"), "success"),
        "rejected": State("rejected", _l("Not accepted"), "danger"),
        "revoked": State("revoked", _l("Revoked"), "danger"),
    },
    moves={
        ("pending", "verify"): Move("verified", can_verify_certification),
        ("pending", "reject"): Move("rejected", can_verify_certification, note_required=True),
        ("verified", "revoke"): Move("revoked", can_verify_certification, note_required=True),
        ("rejected", "resubmit"): Move("pending", can_edit_certification),
    },
)

LISTING = StateMachine(
    name="listing",
    field="status",
    states={
        "draft": State("draft", _l("Draft"), "neutral"),
        "published": State("published", _l("Published"), "success"),
        "archived": State("archived", _l("Archived"), "neutral"),
    },
    moves={
        ("draft", "publish"): Move("published", can_edit_listing),
        ("published", "unpublish"): Move("draft", can_edit_listing),
        ("draft", "archive"): Move("archived", can_edit_listing),
        ("published", "archive"): Move("archived", can_edit_listing),
        ("archived", "restore"): Move("draft", can_edit_listing),
    },
)

ACTION_LABELS = {
    # The button says what it revokes: "Revoke" alone reads as "Cancel" (취소) once translated.
    "verify": _l("Verify"), "reject": _l("Reject"), "revoke": _l("Revoke the certification"),
    "resubmit": _l("Submit again"),
    "publish": _l("Publish"), "unpublish": _l("Unpublish"), "archive": _l("Archive"), "restore": _l("Restore"),
}
