"""Time: the database stores naive UTC; people see Asia/Seoul; fiscal years are calendar years in Korea."""
from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

SEOUL = ZoneInfo("Asia/Seoul")


def utcnow() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


def seoul_today() -> date:
    return datetime.now(SEOUL).date()


def to_seoul(utc: datetime) -> datetime:
    """A stored (naive UTC) time as a naive Korea time, for forms and pages."""
    return utc.replace(tzinfo=UTC).astimezone(SEOUL).replace(tzinfo=None)


def from_seoul(local: datetime) -> datetime:
    """A naive Korea time typed by a person, as the naive UTC the database stores."""
    return local.replace(tzinfo=SEOUL).astimezone(UTC).replace(tzinfo=None)
