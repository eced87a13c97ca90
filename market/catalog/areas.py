"""Gunsan's administrative areas (읍/면/동), where an enterprise is based."""
from __future__ import annotations

# Gunsan's administrative areas: 1 읍, 10 면, 16 동.
AREAS: list[str] = [
    "옥구읍",
    "옥산면", "회현면", "임피면", "서수면", "대야면", "개정면", "성산면", "나포면", "옥도면", "옥서면",
    "해신동", "월명동", "삼학동", "신풍동", "중앙동", "흥남동", "조촌동", "경암동", "구암동", "개정동",
    "수송동", "나운1동", "나운2동", "나운3동", "소룡동", "미성동",
]
