"""Pagination whose count stops at a ceiling: counting every match of a broad search costs more than the page."""
from __future__ import annotations

import sqlalchemy as sa

from market.extensions import db

COUNT_CAP = 1000


def paginate_capped(stmt, per_page: int, cap: int = COUNT_CAP):
    """Like db.paginate, but `total` counts at most `cap` rows; `capped` says there are more."""
    page = db.paginate(stmt, per_page=per_page, error_out=False, count=False)
    counted = db.session.scalar(sa.select(sa.func.count()).select_from(stmt.order_by(None).limit(cap + 1).subquery()))
    page.total = min(counted, cap)
    page.capped = counted > cap
    return page
