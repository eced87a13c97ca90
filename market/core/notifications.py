"""Who is told what: an in-app notification for the organisation and an e-mail (through the outbox) to its people.

Every domain notifies through here, so none imports another to tell someone; `people_to_tell` is the one rule
for who in an organisation receives its mail.
"""
from __future__ import annotations

from urllib.parse import urlsplit

import sqlalchemy as sa
from flask import current_app
from flask_babel import force_locale

from market.core.mail import queue_mail, site_url_for
from market.core.models import Notification
from market.core.timeutil import utcnow
from market.extensions import db


def people_to_tell(organization) -> list:
    """The people of an organisation who receive its mail: active, and past their invitation (a person who has
    not set a password yet has not joined)."""
    return [user for user in organization.users if user.active and user.password_hash]


def tell(organization, headline_factory, endpoint: str, note: str | None = None, **url_values) -> None:
    """`headline_factory()` is called once per language: the notification keeps Korean and English, and each
    person's e-mail is in their own."""
    url = site_url_for(endpoint, **url_values)
    headlines = {}
    for locale in current_app.config["LANGUAGES"]:
        with force_locale(locale):
            headlines[locale] = str(headline_factory())
    db.session.add(Notification(organization_id=organization.id, text=headlines["ko"][:300],
                                text_en=headlines["en"][:300], url=urlsplit(url).path))
    for user in people_to_tell(organization):
        locale = user.locale if user.locale in headlines else "ko"
        queue_mail(user.email, "core/notification", locale, user=user, headline=headlines[locale], note=note, url=url)


def unread_notifications(organization_id: int) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(Notification)
                             .where(Notification.organization_id == organization_id,
                                    Notification.read_at.is_(None))) or 0


def notifications_for(user, limit: int = 50) -> list[Notification]:
    return db.session.scalars(sa.select(Notification).where(Notification.organization_id == user.organization_id)
                              .order_by(Notification.id.desc()).limit(limit)).all()


def mark_notifications_read(user) -> None:
    db.session.execute(sa.update(Notification).where(Notification.organization_id == user.organization_id,
                                                     Notification.read_at.is_(None)).values(read_at=utcnow()))
