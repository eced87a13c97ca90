"""Workflows of the catalog, as data: certification verification and listing publication."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l

from market.core.states import Move, State, StateMachine


def _city(subject, actor) -> bool:
    return actor is not None and actor.is_city_admin


def _own_enterprise(subject, actor) -> bool:
    return actor is not None and actor.organization_id == subject.organization_id and actor.is_enterprise_user


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
        ("pending", "verify"): Move("verified", _city),
        ("pending", "reject"): Move("rejected", _city, note_required=True),
        ("verified", "revoke"): Move("revoked", _city, note_required=True),
        ("rejected", "resubmit"): Move("pending", _own_enterprise),
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
        ("draft", "publish"): Move("published", _own_enterprise),
        ("published", "unpublish"): Move("draft", _own_enterprise),
        ("draft", "archive"): Move("archived", _own_enterprise),
        ("published", "archive"): Move("archived", _own_enterprise),
        ("archived", "restore"): Move("draft", _own_enterprise),
    },
)

ACTION_LABELS = {
    # The button says what it revokes: "Revoke" alone reads as "Cancel" (취소) once translated.
    "verify": _l("Verify"), "reject": _l("Reject"), "revoke": _l("Revoke the certification"),
    "resubmit": _l("Submit again"),
    "publish": _l("Publish"), "unpublish": _l("Unpublish"), "archive": _l("Archive"), "restore": _l("Restore"),
}
