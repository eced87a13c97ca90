"""Publication shared by every kind of content: drafts, scheduled publication, titles, audit facts."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime

from flask_babel import gettext as _

from market.content.models import DRAFT, PUBLISHED
from market.core.errors import ValidationFailed
from market.core.timeutil import SEOUL, utcnow


@dataclass(frozen=True)
class Publication:
    publish: bool
    publish_at: datetime | None = None  # Korea time, naive, as typed in the form


def to_utc(local: datetime) -> datetime:
    return local.replace(tzinfo=SEOUL).astimezone(UTC).replace(tzinfo=None)


def to_seoul(utc_value: datetime | None) -> datetime | None:
    if utc_value is None:
        return None
    return utc_value.replace(tzinfo=UTC).astimezone(SEOUL).replace(tzinfo=None, second=0, microsecond=0)


def _apply_publication(item, publication: Publication) -> None:
    if not publication.publish:
        item.status = DRAFT
        item.published_at = None
        return
    if publication.publish_at is not None:
        item.published_at = to_utc(publication.publish_at)
    elif not item.is_public():
        item.published_at = utcnow()
    item.status = PUBLISHED


def _iso(value):
    return value.isoformat() if isinstance(value, (date, datetime)) else value


def _facts(item, *names) -> dict:
    return {name: _iso(getattr(item, name)) for name in ("title", "status", "published_at", *names)}


def _clean_title(title: str) -> str:
    title = " ".join((title or "").split())
    if not title:
        raise ValidationFailed(_("Please give a title."))
    if len(title) > 200:
        raise ValidationFailed(_("The title is longer than %(max)d characters.", max=200))
    return title


def _status_filter(stmt, model, status: str | None):
    now = utcnow()
    if status == "draft":
        return stmt.where(model.status == DRAFT)
    if status == "scheduled":
        return stmt.where(model.status == PUBLISHED, model.published_at > now)
    if status == "published":
        return stmt.where(model.public_clause(now))
    return stmt
