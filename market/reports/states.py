"""An agency's proposed targets as data: the city approves them (they become the standing targets) or returns
them with a reason. Each move goes through market.core.states.transition."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l

from market.core.states import Move, State, StateMachine


def _city(subject, actor) -> bool:
    return actor is not None and actor.is_city_admin


def _notify(kind: str):
    def notify(subject, actor, note) -> None:
        from market.reports import notifications

        getattr(notifications, kind)(subject, actor, note)

    return notify


PROPOSAL = StateMachine(
    name="target_proposal",
    field="status",
    states={
        "proposed": State("proposed", _l("Awaiting approval"), "warning"),
        "approved": State("approved", _l("Approved"), "success"),
        "returned": State("returned", _l("Returned"), "danger"),
    },
    moves={
        ("proposed", "approve"): Move("approved", _city, notify=_notify("proposal_decided")),
        ("proposed", "return"): Move("returned", _city, note_required=True, notify=_notify("proposal_decided")),
    },
)
