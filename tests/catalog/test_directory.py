"""The public directory and pages: filters, pagination, what the public may and may not see."""
from __future__ import annotations

from datetime import date, timedelta

import pytest

from market.accounts.models import OrgKind
from market.catalog import services
from market.core.timeutil import seoul_today
from market.extensions import db
from tests import factories


def _names(**filters) -> set[str]:
    return {org.name for org in db.session.scalars(services.directory_query(**filters))}


def test_directory_filters_by_industry(world):
    assert _names(industry=services.industry_by_code("catering")) == {world.enterprise_b.name}


def test_secondary_industry_counts_in_the_filter(world):
    world.enterprise_b.profile.secondary_industries = [services.industry_by_code("cleaning")]
    db.session.commit()
    assert _names(industry=services.industry_by_code("cleaning")) == {world.enterprise_a.name, world.enterprise_b.name}


def test_directory_filters_by_area(world):
    assert _names(area="수송동") == {world.enterprise_a.name}


def test_type_filter_counts_only_verified_valid_certifications(world):
    assert _names(kind="social_enterprise") == {world.enterprise_a.name}
    assert _names(kind="preliminary_social_enterprise") == set(), "B's designation is not verified yet"


def test_expired_certification_does_not_count(world):
    world.cert_a.valid_to = seoul_today() - timedelta(days=1)
    db.session.commit()
    assert _names(kind="social_enterprise") == set()


def test_pending_and_suspended_enterprises_are_not_listed(world):
    world.enterprise_b.status = "suspended"
    pending = factories.organization(OrgKind.ENTERPRISE, status="pending", name="대기 기업")
    factories.profile(pending, "cleaning")
    db.session.commit()
    assert _names() == {world.enterprise_a.name}


def test_suspended_enterprise_page_is_hidden_from_the_public(client, world):
    world.enterprise_a.status = "suspended"
    db.session.commit()
    assert client.get(f"/enterprises/{world.enterprise_a.id}").status_code == 404
    assert client.get(f"/listings/{world.listing_a.id}").status_code == 404


def test_draft_listing_is_hidden_from_the_public_and_other_enterprises(client, as_user, world):
    assert client.get(f"/listings/{world.draft_b.id}").status_code == 404
    assert as_user(world.users.enterprise_a).get(f"/listings/{world.draft_b.id}").status_code == 404
    assert as_user(world.users.enterprise_b).get(f"/listings/{world.draft_b.id}").status_code == 200


def test_directory_paginates(client, world, app):
    for n in range(25):
        org = factories.organization(OrgKind.ENTERPRISE, name=f"페이지 기업 {n:02d}")
        factories.profile(org, "crafts")
    db.session.commit()
    first = client.get("/enterprises?industry=crafts").get_data(as_text=True)
    second = client.get("/enterprises?industry=crafts&page=2").get_data(as_text=True)
    assert "페이지 기업 00" in first and "페이지 기업 24" not in first
    assert "페이지 기업 24" in second


def test_empty_result_shows_a_helpful_message(client, world):
    client.post("/language/en")
    html = client.get("/enterprises?q=없는단어").get_data(as_text=True)
    assert "No enterprise matches" in html


def test_unknown_filter_values_are_ignored_not_errors(client, world):
    response = client.get("/enterprises?type=<script>&area=nowhere&sort=drop&page=-3&industry=x")
    assert response.status_code == 200


@pytest.mark.parametrize("path", ["/enterprises", "/listings"])
def test_query_count_does_not_grow_with_page_size(app, client, world, count_queries, path):
    for n in range(30):
        org = factories.organization(OrgKind.ENTERPRISE, name=f"N+1 기업 {n:02d}")
        factories.profile(org, "cleaning")
        factories.certification(org)
        factories.listing(org, f"청소 상품 {n:02d}")
    db.session.commit()
    counts = []
    for size in (5, 30):
        app.config["PAGE_SIZE"] = size
        with count_queries() as counter:
            assert client.get(path).status_code == 200
        counts.append(counter.count)
    app.config["PAGE_SIZE"] = 20
    assert counts[0] == counts[1], counts


def test_statistics_count_enterprises_by_type_and_industry(world):
    stats = services.statistics()
    assert stats["enterprises"] == 2
    assert dict(stats["by_kind"])["social_enterprise"] == 1
    assert dict(stats["by_kind"])["preliminary_social_enterprise"] == 0
    assert {industry.code: count for industry, count in stats["by_industry"]} == {"cleaning": 1, "catering": 1}
    assert stats["listings"] == 1


def test_statistics_page_draws_its_chart_without_any_cdn(client, world):
    html = client.get("/statistics").get_data(as_text=True)
    assert "<svg" in html and "cdn" not in html.lower()


def test_enterprise_page_shows_expired_certification_as_expired(client, world):
    world.cert_a.valid_to = date(2021, 1, 1)
    db.session.commit()
    client.post("/language/en")
    html = client.get(f"/enterprises/{world.enterprise_a.id}").get_data(as_text=True)
    assert "Expired" in html


def test_statistics_are_kept_for_the_configured_time(app, world, monkeypatch):
    from market.catalog.models import Listing
    from market.core import cache

    monkeypatch.setitem(app.config, "STATISTICS_CACHE_SECONDS", 60)
    assert services.statistics()["listings"] == 1
    db.session.get(Listing, world.draft_b.id).status = "published"
    db.session.commit()
    assert services.statistics()["listings"] == 1  # a minute-old figure is still served
    later = cache.now() + 61
    monkeypatch.setattr(cache, "now", lambda: later)
    assert services.statistics()["listings"] == 2
