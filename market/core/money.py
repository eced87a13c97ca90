"""Money is an integer number of won. VAT is computed here and nowhere else."""
from __future__ import annotations

VAT_RATE_PERCENT = 10


def vat_on(supply_krw: int) -> int:
    """VAT on a supply price, rounded down to the won (as Korean tax invoices do)."""
    if not isinstance(supply_krw, int):
        raise TypeError("amounts are integer won")
    return supply_krw * VAT_RATE_PERCENT // 100


def split_vat_inclusive(total_krw: int) -> tuple[int, int]:
    """(supply, VAT) of a price that includes VAT; the supply is rounded down, VAT takes the remainder."""
    if not isinstance(total_krw, int):
        raise TypeError("amounts are integer won")
    supply = total_krw * 100 // (100 + VAT_RATE_PERCENT)
    return supply, total_krw - supply


def format_krw(amount_krw: int | None, locale: str = "ko") -> str:
    if amount_krw is None:
        return ""
    return f"{amount_krw:,}원" if locale == "ko" else f"₩{amount_krw:,}"
