"""The one way a view runs a service whose outcome is a message: commit and say so, or roll back and say why."""
from __future__ import annotations

from typing import Callable

from flask import flash

from market.core.errors import DomainError
from market.extensions import db


def perform(action: Callable[[], object], success: str | Callable[[], str]) -> bool:
    """Run `action` (one service call). On a domain error nothing is kept and the reason is flashed."""
    try:
        action()
    except DomainError as error:
        db.session.rollback()
        flash(error.message, "danger")
        return False
    db.session.commit()
    flash(success() if callable(success) else success, "success")
    return True
