"""Community moderation, as data: the support center hides a post (with a reason) and may restore it."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l

from market.core.states import Move, State, StateMachine


def _city_admin(post, actor) -> bool:
    return actor is not None and getattr(actor, "is_authenticated", False) and actor.is_city_admin


MODERATION = StateMachine(
    name="community_post",
    field="moderation",
    states={
        "visible": State("visible", _l("Visible"), "success"),
        "hidden": State("hidden", _l("Hidden by the support center"), "danger"),
    },
    moves={
        ("visible", "hide"): Move("hidden", _city_admin, note_required=True),
        ("hidden", "restore"): Move("visible", _city_admin),
    },
)

ACTION_LABELS = {
    "hide": _l("Hide"),
    "restore": _l("Restore"),
}
