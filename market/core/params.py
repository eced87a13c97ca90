"""Reading filters from the query string: a value the database cannot hold, or that is no date, is no filter."""
from __future__ import annotations

from datetime import date

from flask import request

MAX_ID = 2**31 - 1  # the database's INTEGER; a larger id is no row (SQLite cannot even bind it)


def id_arg(name: str) -> int | None:
    value = request.args.get(name, type=int)
    return value if value is not None and 1 <= value <= MAX_ID else None


def int_arg(name: str, minimum: int, maximum: int) -> int | None:
    """A whole number brought within [minimum, maximum]: beyond its range a bound means the same as its end (a price
    ceiling above every price is none, a floor above every price finds nothing). None when absent or no number."""
    value = request.args.get(name, type=int)
    return None if value is None else min(max(value, minimum), maximum)


def date_arg(name: str) -> date | None:
    try:
        return date.fromisoformat(request.args.get(name) or "")
    except ValueError:
        return None
