"""Vocabulary of the access matrix. Each domain lists its routes in tests/<domain>/access.py as RULES.

Expected statuses: 200 shown, 302 redirected (to log in, or away from a page meant for anonymous
visitors), 400 refused input (the route was reached; the empty form was rejected), 403 forbidden,
404 hidden (the object exists but this role may not know it).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable

ROLES = ("anonymous", "enterprise_a", "enterprise_b", "agency_x", "agency_y", "city")


@dataclass(frozen=True)
class Rule:
    expected: dict[str, int]
    args: Callable = field(default=lambda world: {})
    data: dict | Callable | None = None


def everyone(status: int, **overrides) -> dict[str, int]:
    return {role: overrides.get(role, status) for role in ROLES}


def signed_in(status: int, anonymous: int = 302, **overrides) -> dict[str, int]:
    return everyone(status, anonymous=anonymous, **overrides)


def city_only(status: int = 200) -> dict[str, int]:
    return everyone(403, anonymous=302, city=status)


def anonymous_only(status: int = 200) -> dict[str, int]:
    return everyone(302, anonymous=status)


def enterprises_only(status: int = 200) -> dict[str, int]:
    return everyone(403, anonymous=302, enterprise_a=status, enterprise_b=status)


def agencies_only(status: int = 200) -> dict[str, int]:
    return everyone(403, anonymous=302, agency_x=status, agency_y=status)
