"""Off-platform purchases: the agency records them with evidence, corrects or deletes them until verified; the
support center verifies or rejects them; only the agency and the support center see them. And the agency's
"close the gap" list."""
from __future__ import annotations

import io
from datetime import date

import pytest

from market.core import files, storage
from market.core.models import AuditEntry
from market.extensions import db
from market.reports.models import OffPlatformPurchase
from tests import factories


def form(world, **overrides):
    data = {"enterprise_id": str(world.enterprise_a.id), "contract_date": "2025-05-02", "amount_krw": "3300000",
            "category": "services", "channel": "pps", "description": "청사 청소 용역 (나라장터)",
            "evidence": (io.BytesIO(factories.TINY_PDF), "계약서.pdf")}
    data.update(overrides)
    return data


def purchases():
    return db.session.scalars(db.select(OffPlatformPurchase)).all()


def audit_actions():
    return [e.action for e in db.session.scalars(db.select(AuditEntry).where(
        AuditEntry.subject_type == "OffPlatformPurchase").order_by(AuditEntry.id))]


def test_an_agency_records_a_purchase_with_its_evidence(world, as_user):
    client = as_user(world.users.agency_x)
    response = client.post("/reports/off-platform/new", data=form(world), content_type="multipart/form-data")
    assert response.status_code == 302
    [purchase] = purchases()
    assert (purchase.agency_id, purchase.enterprise_id, purchase.amount_krw, purchase.channel, purchase.status) == \
        (world.agency_x.id, world.enterprise_a.id, 3_300_000, "pps", "recorded")
    assert files.read(purchase.evidence_stored_name) == factories.TINY_PDF
    assert audit_actions() == ["off_platform_purchase.create"]
    listing = client.get("/reports/off-platform").get_data(as_text=True)
    assert "청사 청소 용역 (나라장터)" in listing and "3,300,000원" in listing
    download = client.get(f"/reports/off-platform/{purchase.id}/evidence")
    assert download.status_code == 200 and download.data == factories.TINY_PDF
    assert download.headers["X-Content-Type-Options"] == "nosniff"


@pytest.mark.parametrize("overrides", [
    {"evidence": (io.BytesIO(b"<html>not a pdf</html>"), "계약서.pdf")},
    {"evidence": (io.BytesIO(b""), "")},
    {"amount_krw": "-5"},
    {"amount_krw": "삼백만"},
    {"contract_date": "2999-01-01"},
    {"channel": "platform"},
    {"enterprise_id": "0"},
    {"description": ""},
])
def test_bad_input_changes_nothing_and_keeps_the_form(world, as_user, overrides):
    client = as_user(world.users.agency_x)
    stored = set(storage.backend().listing("files"))
    response = client.post("/reports/off-platform/new", data=form(world, **overrides),
                           content_type="multipart/form-data")
    assert response.status_code == 400
    assert purchases() == [] and audit_actions() == [] and set(storage.backend().listing("files")) == stored
    page = response.get_data(as_text=True)
    assert "청사 청소 용역 (나라장터)" in page or overrides.get("description") == ""


def test_an_enterprise_not_approved_cannot_be_named(world, as_user):
    pending = factories.organization(name="심사 중 기업", status="pending")
    db.session.commit()
    response = as_user(world.users.agency_x).post("/reports/off-platform/new",
                                                  data=form(world, enterprise_id=str(pending.id)),
                                                  content_type="multipart/form-data")
    assert response.status_code == 400 and purchases() == []


def test_a_rejected_purchase_is_corrected_and_goes_back_for_verification(world, as_user, outbox):
    purchase = factories.off_platform_purchase(world.agency_x, world.enterprise_a, world.users.agency_x)
    db.session.commit()
    city = as_user(world.users.city)
    assert city.post(f"/reports/off-platform/{purchase.id}/reject", data={"note": ""}).status_code == 302
    db.session.refresh(purchase)
    assert purchase.status == "recorded"  # a rejection needs a reason
    city.post(f"/reports/off-platform/{purchase.id}/reject", data={"note": "계약서의 금액이 다릅니다"})
    db.session.refresh(purchase)
    assert (purchase.status, purchase.status_note) == ("rejected", "계약서의 금액이 다릅니다")
    assert any(m.recipient == world.users.agency_x.email for m in outbox())
    old_file = purchase.evidence_stored_name

    client = as_user(world.users.agency_x)
    page = client.get(f"/reports/off-platform/{purchase.id}/edit").get_data(as_text=True)
    assert "계약서의 금액이 다릅니다" in page
    new_pdf = factories.TINY_PDF + b"% corrected\n"
    response = client.post(f"/reports/off-platform/{purchase.id}/edit",
                           data=form(world, amount_krw="2000000", evidence=(io.BytesIO(new_pdf), "수정 계약서.pdf")),
                           content_type="multipart/form-data")
    assert response.status_code == 302
    db.session.refresh(purchase)
    assert (purchase.status, purchase.amount_krw, purchase.evidence_name) == ("recorded", 2_000_000, "수정 계약서.pdf")
    assert purchase.status_note is None
    assert files.read(purchase.evidence_stored_name) == new_pdf and files.read(old_file) is None
    assert audit_actions() == ["off_platform_purchase.reject", "off_platform_purchase.update",
                               "off_platform_purchase.resubmit"]


def test_a_verified_purchase_can_no_longer_be_changed_or_deleted(world, as_user):
    purchase = factories.off_platform_purchase(world.agency_x, world.enterprise_a, world.users.agency_x)
    db.session.commit()
    assert as_user(world.users.city).post(f"/reports/off-platform/{purchase.id}/verify").status_code == 302
    db.session.refresh(purchase)
    assert purchase.status == "verified" and purchase.decided_by_id == world.users.city.id
    client = as_user(world.users.agency_x)
    assert client.get(f"/reports/off-platform/{purchase.id}/edit").status_code == 403
    assert client.post(f"/reports/off-platform/{purchase.id}/delete").status_code == 403
    assert client.post(f"/reports/off-platform/{purchase.id}/edit", data=form(world, amount_krw="1"),
                       content_type="multipart/form-data").status_code == 403
    db.session.refresh(purchase)
    assert purchase.amount_krw == 2_200_000
    assert f"/reports/off-platform/{purchase.id}/edit" not in client.get("/reports/off-platform").get_data(as_text=True)


def test_an_agency_deletes_its_unverified_purchase_and_its_evidence(world, as_user):
    purchase = factories.off_platform_purchase(world.agency_x, world.enterprise_a, world.users.agency_x)
    db.session.commit()
    stored_name = purchase.evidence_stored_name
    page = as_user(world.users.agency_x).get("/reports/off-platform").get_data(as_text=True)
    assert "data-confirm" in page
    assert as_user(world.users.agency_x).post(f"/reports/off-platform/{purchase.id}/delete").status_code == 302
    assert purchases() == [] and files.read(stored_name) is None
    entry = db.session.scalar(db.select(AuditEntry).where(AuditEntry.action == "off_platform_purchase.delete"))
    assert entry.before["amount_krw"] == 2_200_000


def test_another_agency_and_enterprises_never_see_a_purchase(world, as_user):
    purchase = factories.off_platform_purchase(world.agency_x, world.enterprise_a, world.users.agency_x)
    db.session.commit()
    for user in (world.users.agency_y, world.users.enterprise_a):
        client = as_user(user)
        for url in (f"/reports/off-platform/{purchase.id}/evidence", f"/reports/off-platform/{purchase.id}/edit"):
            assert client.get(url).status_code == 404
        assert client.post(f"/reports/off-platform/{purchase.id}/delete").status_code == 404
    assert "청소 용역 (자체 계약)" not in as_user(world.users.agency_y).get("/reports/off-platform").get_data(as_text=True)
    assert purchases() == [purchase]


def test_the_city_queue_shows_what_awaits_verification(world, as_user):
    factories.off_platform_purchase(world.agency_x, world.enterprise_a, world.users.agency_x, description="대기 중")
    factories.off_platform_purchase(world.agency_y, world.enterprise_b, world.users.agency_y, status="verified",
                                    description="이미 확인")
    db.session.commit()
    city = as_user(world.users.city)
    queue = city.get("/reports/off-platform/review").get_data(as_text=True)
    assert "대기 중" in queue and "이미 확인" not in queue
    assert "이미 확인" in city.get("/reports/off-platform/review?status=verified").get_data(as_text=True)
    assert "(1)" in city.get("/reports/").get_data(as_text=True)


# --- close the gap ---

def test_the_agency_sees_certified_enterprises_in_the_industries_it_bought_from_last_year(world, as_user):
    last_year = date.today().year - 1
    factories.purchase_order(world.agency_x, world.enterprise_a, world.users.agency_x,
                             contract_date=date(last_year, 5, 1))

    def enterprise(name, industry="cleaning", certified=True, published=True):
        org = factories.organization(name=name)
        factories.profile(org, industry)
        if certified:
            factories.certification(org, "village_enterprise")
        factories.listing(org, status="published" if published else "draft", industry_code=industry)
        return org

    enterprise("청소 마을기업")
    enterprise("인증 없는 청소업체", certified=False)
    enterprise("상품 없는 청소업체", published=False)
    enterprise("도시락 마을기업", industry="catering")
    lapsed = enterprise("인증 만료 청소업체", certified=False)
    factories.certification(lapsed, valid_from=date(2019, 1, 1), valid_to=date(2020, 1, 1))
    db.session.commit()
    page = as_user(world.users.agency_x).get(f"/reports/agencies/{world.agency_x.id}").get_data(as_text=True)
    gap = page[page.index('id="gap"'):]
    assert "청소 마을기업" in gap and world.enterprise_a.name in gap  # nothing else is excluded
    for absent in ("인증 없는 청소업체", "상품 없는 청소업체", "도시락 마을기업", "인증 만료 청소업체"):
        assert absent not in gap
    empty = as_user(world.users.agency_y).get(f"/reports/agencies/{world.agency_y.id}").get_data(as_text=True)
    assert "청소 마을기업" not in empty[empty.index('id="gap"'):]


def test_the_amount_may_be_typed_with_thousands_separators(world, as_user):
    response = as_user(world.users.agency_x).post("/reports/off-platform/new", data={
        "enterprise_id": str(world.enterprise_a.id), "contract_date": "2025-05-02", "amount_krw": "3,300,000원",
        "category": "services", "channel": "pps", "description": "나라장터 방역 용역",
        "evidence": (io.BytesIO(factories.TINY_PDF), "계약서.pdf")}, content_type="multipart/form-data")
    assert response.status_code == 302
    assert db.session.scalar(db.select(OffPlatformPurchase.amount_krw)) == 3_300_000
