"""Tables owned by no domain: the audit log, the mail outbox, in-app notifications, stored files and the jobs' runs."""
from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from market.core.timeutil import utcnow
from market.extensions import db

__all__ = ["AuditEntry", "JobRun", "Notification", "OutboxMessage", "StoredFile"]


class AuditEntry(db.Model):
    """Who did what, when, to which object, with the state before and after: the answer to "why?"."""

    __tablename__ = "audit_entry"
    __table_args__ = (
        sa.Index("ix_audit_entry_subject", "subject_type", "subject_id"),
        # The audit log filtered by one action, newest first: without it, a rare action is looked for in every row.
        sa.Index("ix_audit_entry_action_at", "action", "at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    actor_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id", ondelete="SET NULL"), index=True)
    action: Mapped[str] = mapped_column(sa.String(64))
    subject_type: Mapped[str] = mapped_column(sa.String(64))
    subject_id: Mapped[int]
    before: Mapped[dict | None] = mapped_column(sa.JSON)
    after: Mapped[dict | None] = mapped_column(sa.JSON)
    note: Mapped[str | None] = mapped_column(sa.Text)

    actor = relationship("User", lazy="joined")


class OutboxMessage(db.Model):
    """An e-mail written in the same transaction as the change that caused it; `flask mail send` delivers."""

    __tablename__ = "outbox_message"

    id: Mapped[int] = mapped_column(primary_key=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    recipient: Mapped[str] = mapped_column(sa.String(254))
    subject: Mapped[str] = mapped_column(sa.String(200))
    body: Mapped[str] = mapped_column(sa.Text)
    sent_at: Mapped[datetime | None] = mapped_column(index=True)
    attempts: Mapped[int] = mapped_column(default=0)
    last_error: Mapped[str | None] = mapped_column(sa.Text)


class Notification(db.Model):
    """In-app notice of something the organisation must act on (its e-mail twin goes through the outbox)."""

    __tablename__ = "notification"
    __table_args__ = (sa.Index("ix_notification_org_unread", "organization_id", "read_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    organization_id: Mapped[int] = mapped_column(sa.ForeignKey("organization.id"))
    text: Mapped[str] = mapped_column(sa.String(300))
    text_en: Mapped[str | None] = mapped_column(sa.String(300))
    url: Mapped[str] = mapped_column(sa.String(300))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    read_at: Mapped[datetime | None]

    def headline(self, locale: str) -> str:
        """In the reader's language (the organisation's people may read different ones); Korean when the
        notification predates its English text."""
        return (self.text_en if locale == "en" else None) or self.text


class StoredFile(db.Model):
    """An uploaded file's bytes, when FILE_STORAGE=database (`market.core.storage`): every server reads them,
    and they are written in the transaction of the row that names them."""

    __tablename__ = "stored_file"

    key: Mapped[str] = mapped_column(sa.String(255), primary_key=True)  # "<area>/<name>"
    data: Mapped[bytes] = mapped_column(sa.LargeBinary, deferred=True)
    size_bytes: Mapped[int]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class JobRun(db.Model):
    """One registered job's runs (`market.core.jobs`): the row every server's `flask jobs run` claims."""

    __tablename__ = "job_run"

    name: Mapped[str] = mapped_column(sa.String(64), primary_key=True)
    started_at: Mapped[datetime | None]
    finished_at: Mapped[datetime | None]
    succeeded_at: Mapped[datetime | None]  # when the last successful run started
    running_until: Mapped[datetime | None]  # the claim's lease: no one else runs the job before then
    runner: Mapped[str | None] = mapped_column(sa.String(100))  # host:pid of the last claim
    last_error: Mapped[str | None] = mapped_column(sa.Text)
