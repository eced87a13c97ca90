"""The mail outbox: messages are queued in the caller's transaction and delivered by `flask mail send` (or the
`mail.deliver` job of `flask jobs run`)."""
from __future__ import annotations

from urllib.parse import urlsplit

import sqlalchemy as sa
from flask import current_app, render_template
from flask_babel import force_locale
from flask_mail import Message

from market.core.models import OutboxMessage
from market.core.timeutil import utcnow
from market.extensions import db, mail

MAX_ATTEMPTS = 5


def site_url_for(endpoint: str, **values) -> str:
    """An absolute address on SITE_URL; works in requests and in CLI commands alike (mail is sent from both)."""
    site = urlsplit(current_app.config["SITE_URL"])
    adapter = current_app.url_map.bind(site.netloc, script_name=site.path or "/", url_scheme=site.scheme or "http")
    return adapter.build(endpoint, values, force_external=True)


def queue_mail(recipient: str, template: str, locale: str = "ko", **context) -> OutboxMessage:
    """Render `templates/emails/<template>.txt` (first line = subject) in the recipient's language."""
    with force_locale(locale):
        text = render_template(f"emails/{template}.txt", **context)
    subject, _, body = text.strip().partition("\n")
    message = OutboxMessage(recipient=recipient, subject=subject.strip()[:200], body=body.strip() + "\n")
    db.session.add(message)
    return message


def deliver_pending(limit: int = 500) -> tuple[int, int]:
    """Send (or, without MAIL_SERVER, log) unsent messages. Returns (sent, failed)."""
    pending = db.session.scalars(
        db.select(OutboxMessage)
        .where(OutboxMessage.sent_at.is_(None), OutboxMessage.attempts < MAX_ATTEMPTS)
        .order_by(OutboxMessage.id)
        .limit(limit)
    ).all()
    sent = failed = 0
    use_smtp = bool(current_app.config.get("MAIL_SERVER"))
    for message in pending:
        message.attempts += 1
        try:
            if use_smtp:
                mail.send(Message(subject=message.subject, recipients=[message.recipient], body=message.body))
            else:
                current_app.logger.info("MAIL to %s: %s\n%s", message.recipient, message.subject, message.body)
            message.sent_at = utcnow()
            message.last_error = None
            sent += 1
        except Exception as error:  # one bad address must not stop the rest of the queue
            message.last_error = str(error)[:2000]
            failed += 1
        db.session.commit()
    return sent, failed


_WAITING = OutboxMessage.attempts < MAX_ATTEMPTS
# Built once: /healthz is asked every few seconds by every load balancer and monitor.
_OUTBOX_HEALTH = (sa.select(sa.func.min(sa.case((_WAITING, OutboxMessage.created_at))),
                            sa.func.count(sa.case((_WAITING, 1))), sa.func.count(sa.case((~_WAITING, 1))))
                  .where(OutboxMessage.sent_at.is_(None)))


def outbox_health() -> dict:
    """The outbox at a glance, in one indexed query: messages waiting (and the oldest one's age in seconds), and
    those given up after MAX_ATTEMPTS (a bad address: for a person to look at, not a stuck mailer)."""
    oldest, pending, given_up = db.session.execute(_OUTBOX_HEALTH).one()
    age = max(0, int((utcnow() - oldest).total_seconds())) if oldest else None
    return {"pending": pending, "oldest_pending_seconds": age, "given_up": given_up}
