"""Writing audit entries: every change a person may later ask "why?" about."""
from __future__ import annotations

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
