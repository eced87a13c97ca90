"""Pagination helpers: the page number a list reads from its address, a count that stops at a ceiling (counting
every match of a broad search costs more than the page), and pages of rows (aggregates, unions) rather than objects.

Every HTML list pages through `paginate`, `paginate_capped` or `paginate_rows`, never db.paginate directly:
addresses are edited by hand, and a page number beyond the database's integers failed the query (a 500)."""
from __future__ import annotations

import sqlalchemy as sa
from flask import request, url_for
from flask_sqlalchemy.pagination import SelectPagination
from werkzeug.exceptions import NotFound

from market.extensions import db

MAX_PAGE = 1_000_000  # no list is that long; its offset still fits the database's integers


class PastTheEnd(NotFound):
    """A page number beyond the last page of a list (a stale link, an edited address): errors.py shows it."""


# Beyond it a list says “500+”: 25 pages is more than anyone reads, and halving the ceiling halves a broad
# search's count (PostgreSQL bench, /listings?q=청소: p50 55 -> 34 ms).
COUNT_CAP = 500


def page_number() -> int:
    """The page asked for: 1 when the number is missing, malformed or below 1; beyond MAX_PAGE it does not exist."""
    number = request.args.get("page", type=int)
    if number is not None and number > MAX_PAGE:
        raise PastTheEnd()
    return max(number or 1, 1)


def page_url(endpoint: str, number: int | None = None) -> str:
    """The address of page `number` (None: no page asked, the first) of the list this request shows, with its
    filters. Names url_for would take as its own options (_external, _scheme, _anchor, _method) are not passed
    on: from an edited address they made every link of the page external, or its rendering fail."""
    args = {name: values for name, values in request.args.lists() if name != "page" and not name.startswith("_")}
    if number is not None:
        args["page"] = number
    return url_for(endpoint, **{**args, **request.view_args})


def _present(page):
    """The page, unless it lies past the end of the list: that is a 404 offering the first page, not an empty
    list saying that nothing matches."""
    if page.page > 1 and not page.items:
        raise PastTheEnd()
    return page


def paginate(stmt, per_page: int):
    """db.paginate for an HTML list: the page from the address, checked."""
    return _present(db.paginate(stmt, page=page_number(), per_page=per_page, error_out=False))


def paginate_capped(stmt, per_page: int, cap: int = COUNT_CAP, *, when_capped=None):
    """Like `paginate`, but `total` counts at most `cap` rows; `capped` says there are more.

    `when_capped`: the same rows as `stmt`, written to be read in display order (walking an index and stopping
    at the page); it serves the page when there are more than `cap` rows, while `stmt` is written for counting
    them (driven by a selective index). Either way the page costs the same number of statements."""
    counted = db.session.scalar(sa.select(sa.func.count()).select_from(stmt.order_by(None).limit(cap + 1).subquery()))
    if counted > cap and when_capped is not None:
        stmt = when_capped
    page = db.paginate(stmt, page=page_number(), per_page=per_page, error_out=False, count=False)
    page.total = min(counted, cap)
    page.capped = counted > cap
    return _present(page)


class RowPagination(SelectPagination):
    """A page of a select of several columns (an aggregate, a union): its items are rows, not first columns."""

    def _query_items(self) -> list:
        select = self._query_args["select"].limit(self.per_page).offset(self._query_offset)
        return list(self._query_args["session"].execute(select).all())


def paginate_rows(stmt, per_page: int) -> RowPagination:
    """Like `paginate`, for a select of rows."""
    return _present(RowPagination(select=stmt, session=db.session(), page=page_number(), per_page=per_page,
                                  error_out=False))
