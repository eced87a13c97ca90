"""Writing audit entries: every change a person may later ask "why?" about."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l

from market.core.models import AuditEntry
from market.extensions import db


def record(actor, action: str, subject, before: dict | None = None, after: dict | None = None,
           note: str | None = None) -> AuditEntry:
    if subject.id is None:
        db.session.flush()
    entry = AuditEntry(
        actor_id=getattr(actor, "id", None),
        action=action,
        subject_type=type(subject).__name__,
        subject_id=subject.id,
        before=before,
        after=after,
        note=note,
    )
    db.session.add(entry)
    return entry


def history(subject) -> list[AuditEntry]:
    return db.session.scalars(
        db.select(AuditEntry)
        .where(AuditEntry.subject_type == type(subject).__name__, AuditEntry.subject_id == subject.id)
        .order_by(AuditEntry.at, AuditEntry.id)
    ).all()


# What people read in a history instead of the recorded action code ("request.send" -> "Sent").
VERBS = {
    "create": _l("Created"), "update": _l("Updated"), "amend": _l("Amended"), "send": _l("Sent"),
    "submit": _l("Submitted"), "decline": _l("Declined"), "place": _l("Order placed"), "award": _l("Awarded"),
    "upload": _l("File attached"), "signup": _l("Registered"), "invite": _l("Invited"), "withdraw": _l("Withdrawn"),
    "close": _l("Closed"), "accept": _l("Accepted"), "not_select": _l("Not selected"), "set": _l("Target set"),
    "approve": _l("Approved"), "reject": _l("Rejected"), "suspend": _l("Suspended"), "reinstate": _l("Reinstated"),
    "verify": _l("Verified"), "revoke": _l("Revoked"), "resubmit": _l("Submitted again"), "publish": _l("Published"),
    "unpublish": _l("Unpublished"), "archive": _l("Archived"), "restore": _l("Restored"), "hide": _l("Hidden"),
    "duplicate": _l("Duplicated"), "confirm": _l("Confirmed"), "deliver": _l("Delivered"), "inspect": _l("Inspected"),
    "invoice": _l("Invoiced"), "pay": _l("Paid"), "cancel": _l("Cancelled"), "return": _l("Returned"),
}


def action_label(action: str):
    return VERBS.get(action.rsplit(".", 1)[-1], action)
