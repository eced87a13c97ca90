"""State machines as data, and the one function that performs every transition.

A domain declares a `StateMachine` in its `states.py`: a table (state, action) -> Move, data only. Its
`notifications.py` says who is told of which actions (`MACHINE.on(action, ..., notify=...)`), so the table
imports no notifier; the app factory imports every notifications module. `transition()` checks that the move
exists and that the actor may make it, sets the new state, writes the audit entry and runs the action's
notifier, all in the caller's transaction.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable

from flask_babel import gettext as _

from market.core import audit
from market.core.errors import InvalidTransition, NotAllowed, ValidationFailed

# (actor, subject) -> may this actor make this move? A named rule of the domain's permissions.py; the actor is
# None for the system (a payment provider's verified event).
Rule = Callable[[Any, Any], bool]
Notifier = Callable[[Any, Any, str | None], None]


@dataclass(frozen=True)
class State:
    code: str
    label: Any  # lazy translated string
    badge: str = "neutral"  # CSS modifier: neutral, info, success, warning, danger


@dataclass(frozen=True)
class Move:
    to: str
    who: Rule
    note_required: bool = False


@dataclass
class StateMachine:
    name: str
    field: str
    states: dict[str, State]
    moves: dict[tuple[str, str], Move] = field(default_factory=dict)
    notifiers: dict[str, Notifier] = field(default_factory=dict)  # action -> who is told, filled by `on`

    def __post_init__(self) -> None:
        # Histories show a recorded state by its label, whichever page or file shows them.
        audit.label_values(self.name, self.field, {code: state.label for code, state in self.states.items()})

    def on(self, *actions: str, notify: Notifier) -> None:
        """Tell someone whenever one of `actions` is made (from whichever state)."""
        known = {action for (_state, action) in self.moves}
        for action in actions:
            if action not in known:
                raise ValueError(f"{self.name} has no action {action!r}")
            if self.notifiers.get(action, notify) is not notify:
                raise ValueError(f"{self.name}.{action} already has a notifier")
            self.notifiers[action] = notify

    def state(self, code: str) -> State:
        return self.states.get(code) or State(code, code)

    def actions_from(self, code: str) -> list[str]:
        return [action for (state, action) in self.moves if state == code]

    def allowed_actions(self, subject, actor) -> list[str]:
        current = getattr(subject, self.field)
        return [a for a in self.actions_from(current) if self.moves[(current, a)].who(actor, subject)]


def transition(machine: StateMachine, subject, action: str, actor, note: str | None = None,
               facts: dict | None = None) -> str:
    """`facts`: what else the audit entry keeps about the move (what an approval was made without)."""
    current = getattr(subject, machine.field)
    move = machine.moves.get((current, action))
    if move is None:
        raise InvalidTransition(_("This is not possible while the status is “%(state)s”. Reload the page to see "
                                  "what can be done now.", state=machine.state(current).label))
    if not move.who(actor, subject):
        raise NotAllowed(_("You may not do this."))
    note = (note or "").strip() or None
    if move.note_required and not note:
        raise ValidationFailed(_("Please give a reason."))
    setattr(subject, machine.field, move.to)
    audit.record(actor, f"{machine.name}.{action}", subject,
                 before={machine.field: current}, after={machine.field: move.to, **(facts or {})}, note=note)
    if notify := machine.notifiers.get(action):
        notify(subject, actor, note)
    return move.to


__all__ = ["State", "Move", "StateMachine", "transition"]
