"""Things the site names in both its languages without a table of their own."""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class BilingualName:
    """A code with its Korean and English names: a bank, an industry in the kept statistics (no session needed)."""
    code: str
    name_ko: str
    name_en: str

    def name(self, locale: str = "ko") -> str:
        return self.name_en if locale == "en" else self.name_ko
