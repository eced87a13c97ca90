"""The city judges an enterprise on its page: profile, certifications and listings, with what is missing; an
incomplete enterprise is approved only when the city confirms it, and the audit log keeps what was missing."""
from __future__ import annotations

from market.accounts import services as accounts
from market.core.models import AuditEntry
from market.extensions import db
from tests import factories


def _page(client, org) -> str:
    return client.get(f"/accounts/admin/organizations/{org.id}").get_data(as_text=True)


def _english_admin(as_user, world):
    client = as_user(world.users.city)
    client.post("/language/en")
    return client


def test_the_city_reads_the_enterprises_profile_certifications_and_listings(as_user, world):
    profile = world.enterprise_a.profile
    profile.representative, profile.description, profile.website = "김가나", "사무실과 공공시설 청소", "https://ganada.example.kr"
    profile.employees, profile.vulnerable_employees = 12, 6
    world.enterprise_a.status = "pending"
    db.session.commit()
    html = _page(_english_admin(as_user, world), world.enterprise_a)
    for shown in ("401-81-28592", "김가나", "수송동", "Cleaning", "사무실과 공공시설 청소", "https://ganada.example.kr",
                  "(50%)", "Certified social enterprise", "2020-001", "Jan 1, 2020 – open-ended", "1 published",
                  f'href="/enterprises/{world.enterprise_a.id}"'):
        assert shown in html, shown
    assert "Missing:" not in html


def test_the_city_is_sent_to_verify_a_pending_certification(as_user, world):
    world.enterprise_b.status = "pending"
    db.session.commit()
    html = _page(_english_admin(as_user, world), world.enterprise_b)
    assert f"/catalog/admin/certifications?status=pending&amp;organization={world.enterprise_b.id}" in html
    assert "Preliminary social enterprise" in html and "Awaiting verification" in html


def test_the_certifications_to_verify_can_be_those_of_one_enterprise(as_user, world):
    factories.certification(world.enterprise_a, "village_enterprise", status="pending", number="마을-1")
    db.session.commit()
    client = as_user(world.users.city)
    only_b = client.get(f"/catalog/admin/certifications?status=pending&organization={world.enterprise_b.id}")
    assert world.enterprise_b.name in only_b.get_data(as_text=True)
    assert "마을-1" not in only_b.get_data(as_text=True)
    assert "마을-1" in client.get("/catalog/admin/certifications?status=pending").get_data(as_text=True)


def test_missing_parts_of_a_profile_are_named(world):
    assert list(accounts.approval_gaps(world.enterprise_b)) == ["business_number", "representative", "description"]
    bare = factories.organization(status="pending")
    assert list(accounts.approval_gaps(bare)) == ["business_number", "representative", "main_industry", "area",
                                                  "description", "certification"]
    assert accounts.approval_gaps(world.agency_x) == {}


def test_an_incomplete_enterprise_is_not_approved_without_confirmation(as_user, world, outbox):
    world.enterprise_b.status = "pending"
    db.session.commit()
    client = _english_admin(as_user, world)
    assert "The profile is incomplete (missing: Business registration number, Representative, Description)" \
        in _page(client, world.enterprise_b)
    response = client.post(f"/accounts/admin/organizations/{world.enterprise_b.id}/approve")
    assert response.status_code == 400
    assert "Confirm to approve it as it is." in response.get_data(as_text=True)
    db.session.refresh(world.enterprise_b)
    assert world.enterprise_b.status == "pending"
    assert outbox("b@example.kr") == []


def test_a_confirmed_approval_keeps_what_was_missing(as_user, world):
    world.enterprise_b.status = "pending"
    db.session.commit()
    client = _english_admin(as_user, world)
    response = client.post(f"/accounts/admin/organizations/{world.enterprise_b.id}/approve",
                           data={"incomplete_confirmed": "y"})
    assert response.status_code == 302
    db.session.refresh(world.enterprise_b)
    assert world.enterprise_b.status == "approved"
    entry = db.session.scalar(db.select(AuditEntry).where(AuditEntry.action == "organization.approve"))
    assert entry.after == {"status": "approved", "incomplete": ["business_number", "representative", "description"]}
    html = " ".join(_page(client, world.enterprise_b).split())
    assert "Approved without:</span> Business registration number, Representative, Description" in html


def test_a_complete_enterprise_is_approved_without_a_question(as_user, world):
    profile = world.enterprise_a.profile
    profile.representative, profile.description = "김가나", "청소"
    world.enterprise_a.status = "pending"
    db.session.commit()
    client = as_user(world.users.city)
    assert 'name="incomplete_confirmed"' not in _page(client, world.enterprise_a)
    response = client.post(f"/accounts/admin/organizations/{world.enterprise_a.id}/approve")
    assert response.status_code == 302
    db.session.refresh(world.enterprise_a)
    assert world.enterprise_a.status == "approved"
    entry = db.session.scalar(db.select(AuditEntry).where(AuditEntry.action == "organization.approve"))
    assert entry.after == {"status": "approved"}


def test_the_review_costs_the_same_queries_whatever_the_certifications(as_user, world, count_queries):
    client = as_user(world.users.city)
    _page(client, world.enterprise_a)
    with count_queries() as one:
        _page(client, world.enterprise_a)
    for n in range(5):
        factories.certification(world.enterprise_a, "village_enterprise", status="pending", number=f"마을-{n}")
        factories.listing(world.enterprise_a, f"청소 {n}")
    db.session.commit()
    with count_queries() as six:
        _page(client, world.enterprise_a)
    assert six.count == one.count


def test_the_support_centers_dashboard_counts_enterprises_by_status(as_user, world):
    world.enterprise_b.status = "pending"
    db.session.commit()
    html = as_user(world.users.city).get("/dashboard").get_data(as_text=True)
    assert '<span class="stat-value">1</span><span class="stat-label">승인 대기 기업' in html
    assert '<span class="stat-value">1</span><span class="stat-label">승인된 기업' in html
