"""Community moderation, as data: the support center hides a post (with a reason) and may restore it."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l

from market.content.permissions import can_moderate
from market.core.states import Move, State, StateMachine

MODERATION = StateMachine(
    name="community_post",
    field="moderation",
    states={
        "visible": State("visible", _l("Visible"), "success"),
        "hidden": State("hidden", _l("Hidden by the support center"), "danger"),
    },
    moves={
        ("visible", "hide"): Move("hidden", can_moderate, note_required=True),
        ("hidden", "restore"): Move("visible", can_moderate),
    },
)

ACTION_LABELS = {
    "hide": _l("Hide"),
    "restore": _l("Restore"),
}
