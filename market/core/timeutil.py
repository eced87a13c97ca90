"""Time: the database stores naive UTC; people see Asia/Seoul; fiscal years are calendar years in Korea."""
from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

SEOUL = ZoneInfo("Asia/Seoul")


def utcnow() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


def seoul_today() -> date:
    return datetime.now(SEOUL).date()
