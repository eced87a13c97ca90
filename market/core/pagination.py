"""Pagination helpers: a count that stops at a ceiling (counting every match of a broad search costs more than
the page), and pages of rows (aggregates, unions) rather than objects."""
from __future__ import annotations

import sqlalchemy as sa
from flask_sqlalchemy.pagination import SelectPagination

from market.extensions import db

# Beyond it a list says “500+”: 25 pages is more than anyone reads, and halving the ceiling halves a broad
# search's count (PostgreSQL bench, /listings?q=청소: p50 55 -> 34 ms).
COUNT_CAP = 500


def paginate_capped(stmt, per_page: int, cap: int = COUNT_CAP, *, when_capped=None):
    """Like db.paginate, but `total` counts at most `cap` rows; `capped` says there are more.

    `when_capped`: the same rows as `stmt`, written to be read in display order (walking an index and stopping
    at the page); it serves the page when there are more than `cap` rows, while `stmt` is written for counting
    them (driven by a selective index). Either way the page costs the same number of statements."""
    counted = db.session.scalar(sa.select(sa.func.count()).select_from(stmt.order_by(None).limit(cap + 1).subquery()))
    if counted > cap and when_capped is not None:
        stmt = when_capped
    page = db.paginate(stmt, per_page=per_page, error_out=False, count=False)
    page.total = min(counted, cap)
    page.capped = counted > cap
    return page


class RowPagination(SelectPagination):
    """A page of a select of several columns (an aggregate, a union): its items are rows, not first columns."""

    def _query_items(self) -> list:
        select = self._query_args["select"].limit(self.per_page).offset(self._query_offset)
        return list(self._query_args["session"].execute(select).all())


def paginate_rows(stmt, per_page: int) -> RowPagination:
    """Like db.paginate (the page number from the request), for a select of rows."""
    return RowPagination(select=stmt, session=db.session(), per_page=per_page, error_out=False)
