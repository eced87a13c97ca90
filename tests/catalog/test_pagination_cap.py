"""Broad searches stop counting at a ceiling: the page says "more than N" instead of counting every match."""
from __future__ import annotations

from market.core import pagination
from market.extensions import db
from tests import factories


def test_counts_stop_at_the_cap_and_say_so(client, world, monkeypatch):
    for n in range(6):
        factories.listing(world.enterprise_a, f"계단 청소 {n}")
    db.session.commit()
    monkeypatch.setattr(pagination, "COUNT_CAP", 3)
    monkeypatch.setattr(pagination.paginate_capped, "__defaults__", (3,))
    client.post("/language/en")
    html = client.get("/listings?q=청소").get_data(as_text=True)
    assert "More than 3 listings" in html


def test_below_the_cap_the_count_is_exact(client, world):
    client.post("/language/en")
    assert "1 listings" in client.get("/listings?q=사무실").get_data(as_text=True)
