"""The support center's audit log: every recorded action, newest first, filtered by kind of record, action,
person or organisation and dates, readable, without N+1, through indexes, and as a CSV file for auditors."""
from __future__ import annotations

import csv
import io
from datetime import datetime

import pytest

from market.accounts import services as accounts
from market.catalog import services as catalog
from market.core import audit
from market.extensions import db

LOG = "/accounts/admin/audit"


@pytest.fixture
def admin(as_user, world):
    client = as_user(world.users.city)
    client.post("/language/en")
    return client


def _text(client, url: str) -> str:
    """The entries the page lists (the filters' choices left out), whitespace collapsed."""
    response = client.get(url)
    assert response.status_code == 200
    html = " ".join(response.get_data(as_text=True).split())
    return html[html.find("<tbody>"):html.find("</tbody>")] if "<tbody>" in html else ""


def _city_work(world) -> None:
    """What the issue lists: a certification verified, an industry renamed, an enterprise suspended."""
    catalog.decide_certification(world.users.city, world.cert_b, "verify", None)
    industry = world.listing_a.industry
    catalog.update_industry(world.users.city, industry, name_ko="청소·방역", name_en=industry.name_en)
    accounts.decide_organization(world.users.city, world.enterprise_a, "suspend", "서류 위조")
    db.session.commit()


def test_every_city_action_can_be_read_with_who_what_and_the_change(admin, world):
    _city_work(world)
    html = _text(admin, LOG)
    city, org_a = world.users.city, world.enterprise_a
    assert html.index("Suspended") < html.index("Updated") < html.index("Verified"), "newest first"
    assert f'{city.name}</a> <div class="small"><a href="/accounts/admin/audit?organization={world.city.id}">' \
           f'{world.city.name}</a>' in html
    assert f'Certification: <a href="/accounts/admin/organizations/{world.enterprise_b.id}#enterprise-review">' \
           f'{world.enterprise_b.name}</a>' in html
    assert f'Industry: <a href="/catalog/admin/industries#industry-{world.listing_a.industry_id}">청소·방역</a>' in html
    assert f'Organisation: <a href="/accounts/admin/organizations/{org_a.id}">{org_a.name}</a>' in html
    assert "<del>Awaiting verification</del> → <ins>Verified</ins>" in html
    assert "<del>Approved</del> → <ins>Suspended</ins>" in html and "서류 위조" in html
    assert "<ins>청소·방역</ins>" in html


def test_the_log_is_filtered_by_action_and_by_kind_of_record(admin, world):
    _city_work(world)
    verified = _text(admin, f"{LOG}?action=certification.verify")
    assert "Verified" in verified and "Suspended" not in verified and "청소·방역" not in verified
    industries = _text(admin, f"{LOG}?subject=Industry")
    assert "청소·방역" in industries and "Verified" not in industries and "Suspended" not in industries


def test_the_log_is_filtered_by_person_organisation_or_a_name(admin, world):
    _city_work(world)
    catalog.change_listing_status(world.users.enterprise_b, world.draft_b, "archive")
    db.session.commit()
    for query in (f"actor={world.users.enterprise_b.id}", f"organization={world.enterprise_b.id}", "who=라마바",
                  "who=b@example"):
        html = _text(admin, f"{LOG}?{query}")
        assert "Archived" in html and "Suspended" not in html, query
    only_b = admin.get(f"{LOG}?organization={world.enterprise_b.id}").get_data(as_text=True)
    assert f"Only the actions of {world.enterprise_b.name}." in only_b


def test_the_log_is_filtered_by_dates_in_korea_time(admin, world):
    early = audit.record(world.users.city, "industry.update", world.listing_a.industry,
                         before={"name_ko": "가"}, after={"name_ko": "나"})
    late = audit.record(world.users.city, "industry.update", world.listing_a.industry,
                        before={"name_ko": "나"}, after={"name_ko": "다"})
    # 2026-03-01 23:30 in Korea is 14:30 UTC; 2026-03-02 00:30 in Korea is 2026-03-01 15:30 UTC.
    early.at, late.at = datetime(2026, 3, 1, 14, 30), datetime(2026, 3, 1, 15, 30)
    db.session.commit()
    first_day = _text(admin, f"{LOG}?since=2026-03-01&until=2026-03-01")
    assert "<ins>나</ins>" in first_day and "<ins>다</ins>" not in first_day
    second_day = _text(admin, f"{LOG}?since=2026-03-02")
    assert "<ins>다</ins>" in second_day and "<ins>나</ins>" not in second_day


def test_unknown_filters_are_no_filters(admin, world):
    _city_work(world)
    html = _text(admin, f"{LOG}?action=drop.table&subject=User%27&actor=99999999999&since=yesterday")
    assert "Verified" in html and "Suspended" in html


def test_the_log_is_paginated(admin, world):
    for n in range(25):
        audit.record(world.users.city, "industry.update", world.listing_a.industry, after={"name_ko": f"업종{n:02d}"})
    db.session.commit()
    assert "업종24" in _text(admin, LOG) and "업종00" not in _text(admin, LOG)
    assert "업종00" in _text(admin, f"{LOG}?page=2")


def test_people_organisations_and_records_are_read_without_one_query_each(admin, world, count_queries):
    def record(n):
        for i in range(n):
            audit.record(world.users.city, "certification.verify", world.cert_b, before={"status": "pending"},
                         after={"status": "verified"})
            audit.record(world.users.enterprise_a, "listing.update", world.listing_a, after={"title": f"청소 {i}"})
            audit.record(world.users.agency_x, "order.confirm", world.order_x, after={"status": "confirmed"})
        db.session.commit()

    record(1)
    admin.get(LOG)
    with count_queries() as few:
        admin.get(LOG)
    record(5)
    with count_queries() as many:
        admin.get(LOG)
    assert many.count == few.count


def test_the_file_holds_the_filtered_log_for_excel(admin, world):
    _city_work(world)
    world.users.city.name = "=1+2"  # a name a spreadsheet must not run
    db.session.commit()
    response = admin.get(f"{LOG}.csv?subject=Organization")
    assert response.headers["Content-Type"].startswith("text/csv")
    assert response.data.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(response.data.decode("utf-8-sig"))))
    assert rows[0][:5] == ["When (Korea time)", "Person", "E-mail", "Organisation", "Action"]
    assert len(rows) == 2, "only the organisation's entries"
    when, person, email, organisation, action, code, kind, number, name, changes, note = rows[1]
    assert (person, email, organisation, action, code, kind) == (
        "'=1+2", "admin@example.kr", world.city.name, "Suspended", "organization.suspend", "Organisation")
    assert (number, name, changes, note) == (str(world.enterprise_a.id), world.enterprise_a.name,
                                              "Status: Approved → Suspended", "서류 위조")
    assert datetime.strptime(when, "%Y-%m-%d %H:%M:%S")


def test_each_filter_reads_an_index(app, world):
    filters = {
        "ix_audit_entry_action_at": accounts.AuditFilters(action="certification.verify"),
        "ix_audit_entry_subject": accounts.AuditFilters(subject="Industry"),
        "ix_audit_entry_actor_id": accounts.AuditFilters(actor_id=world.users.city.id),
        "ix_audit_entry_at": accounts.AuditFilters(since=datetime(2026, 3, 1).date()),
    }
    with db.engine.connect() as connection:
        postgresql = connection.dialect.name == "postgresql"
        if postgresql:  # the tables are tiny: make the planner show which index it would use
            connection.exec_driver_sql("SET enable_seqscan = off")
        for index, chosen in filters.items():
            stmt = accounts.audit_log(chosen).limit(20)
            sql = str(stmt.compile(connection, compile_kwargs={"literal_binds": True}))
            plan = connection.exec_driver_sql(("EXPLAIN " if postgresql else "EXPLAIN QUERY PLAN ") + sql).all()
            assert index in str(plan), (index, plan)
