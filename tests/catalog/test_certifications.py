"""Certifications: validity periods, the city's verification, and expiry reminders."""
from __future__ import annotations

from datetime import date, timedelta

import pytest

from market.catalog import services
from market.catalog.models import Certification
from market.catalog.states import CERTIFICATION
from market.core.errors import InvalidTransition, NotAllowed, ValidationFailed
from market.core.states import transition
from market.extensions import db
from tests import factories

TODAY = date(2026, 11, 28)


@pytest.mark.parametrize(("status", "valid_from", "valid_to", "expected"), [
    ("verified", date(2020, 1, 1), None, True),
    ("verified", date(2020, 1, 1), TODAY, True),
    ("verified", date(2020, 1, 1), TODAY - timedelta(days=1), False),
    ("verified", TODAY + timedelta(days=1), None, False),
    ("pending", date(2020, 1, 1), None, False),
    ("rejected", date(2020, 1, 1), None, False),
    ("revoked", date(2020, 1, 1), None, False),
])
def test_validity_in_python_and_in_sql_agree(world, status, valid_from, valid_to, expected):
    cert = factories.certification(world.enterprise_b, "village_enterprise", status=status,
                                   valid_from=valid_from, valid_to=valid_to)
    db.session.commit()
    assert cert.is_valid_on(TODAY) is expected
    in_sql = db.session.scalar(db.select(db.func.count()).select_from(Certification)
                               .where(Certification.id == cert.id, Certification.valid_on(TODAY)))
    assert bool(in_sql) is expected


def test_preliminary_designation_lasts_three_years_by_default(world):
    cert = services.submit_certification(world.users.enterprise_b, world.enterprise_b,
                                         kind="preliminary_social_enterprise", number="전북-2026-03",
                                         designated_by="local", valid_from=date(2026, 3, 1), valid_to=None)
    assert cert.valid_to == date(2029, 2, 28)


def test_certification_needs_its_number(world):
    with pytest.raises(ValidationFailed):
        services.submit_certification(world.users.enterprise_b, world.enterprise_b, kind="social_enterprise",
                                      number=" ", designated_by=None, valid_from=date(2026, 1, 1), valid_to=None)


def test_end_before_start_is_refused(world):
    with pytest.raises(ValidationFailed):
        services.submit_certification(world.users.enterprise_b, world.enterprise_b, kind="village_enterprise",
                                      number=None, designated_by=None, valid_from=date(2026, 1, 1),
                                      valid_to=date(2025, 1, 1))


def test_enterprise_cannot_add_a_certification_to_another(world):
    with pytest.raises(NotAllowed):
        services.submit_certification(world.users.enterprise_a, world.enterprise_b, kind="village_enterprise",
                                      number=None, designated_by=None, valid_from=date(2026, 1, 1), valid_to=None)


def test_submission_is_pending_and_the_city_is_told(as_user, world, outbox):
    response = as_user(world.users.enterprise_b).post("/catalog/certifications", data={
        "kind": "village_enterprise", "valid_from": "2026-01-05", "valid_to": ""})
    assert response.status_code == 302
    cert = db.session.scalar(db.select(Certification).where(Certification.kind == "village_enterprise"))
    assert cert.status == "pending"
    assert outbox("admin@example.kr")


def test_bad_dates_keep_the_input_and_save_nothing(as_user, world):
    before = db.session.scalar(db.select(db.func.count()).select_from(Certification))
    response = as_user(world.users.enterprise_b).post("/catalog/certifications", data={
        "kind": "village_enterprise", "number": "마을-77", "valid_from": "not a date"})
    assert response.status_code == 400
    assert "마을-77" in response.get_data(as_text=True)
    assert db.session.scalar(db.select(db.func.count()).select_from(Certification)) == before


ALLOWED = {("pending", "verify"): "verified", ("pending", "reject"): "rejected",
           ("verified", "revoke"): "revoked", ("rejected", "resubmit"): "pending"}


def test_the_state_table_is_the_documented_workflow():
    assert {key: move.to for key, move in CERTIFICATION.moves.items()} == ALLOWED


@pytest.mark.parametrize(("state", "action"), [k for k in ALLOWED if k[1] != "resubmit"])
def test_only_the_city_verifies(world, state, action):
    world.cert_b.status = state
    for actor in (world.users.enterprise_b, world.users.agency_x):
        with pytest.raises(NotAllowed):
            transition(CERTIFICATION, world.cert_b, action, actor, "사유")
    services.decide_certification(world.users.city, world.cert_b, action, "사유")
    assert world.cert_b.status == ALLOWED[(state, action)]


def test_enterprise_resubmits_its_rejected_certification(world):
    world.cert_b.status = "rejected"
    transition(CERTIFICATION, world.cert_b, "resubmit", world.users.enterprise_b)
    assert world.cert_b.status == "pending"
    world.cert_b.status = "rejected"
    with pytest.raises(NotAllowed):
        transition(CERTIFICATION, world.cert_b, "resubmit", world.users.enterprise_a)


@pytest.mark.parametrize(("state", "action"), [("verified", "verify"), ("rejected", "verify"), ("revoked", "verify"),
                                                ("pending", "revoke"), ("revoked", "resubmit")])
def test_other_moves_are_refused(world, state, action):
    world.cert_b.status = state
    with pytest.raises(InvalidTransition):
        transition(CERTIFICATION, world.cert_b, action, world.users.city, "사유")


def test_verification_through_the_page_records_who_and_when(as_user, world, outbox):
    response = as_user(world.users.city).post(f"/catalog/admin/certifications/{world.cert_b.id}/verify")
    assert response.status_code == 302
    cert = db.session.get(Certification, world.cert_b.id)
    assert cert.status == "verified" and cert.verified_by_id == world.users.city.id and cert.verified_at
    assert outbox("b@example.kr"), "the enterprise is told"


def test_rejection_without_reason_changes_nothing(as_user, world, outbox):
    as_user(world.users.city).post(f"/catalog/admin/certifications/{world.cert_b.id}/reject", data={"note": ""})
    assert db.session.get(Certification, world.cert_b.id).status == "pending"
    assert outbox("b@example.kr") == []


def test_correcting_a_verified_certification_sends_it_back_for_verification(world):
    services.update_certification(world.users.enterprise_a, world.cert_a, kind="social_enterprise",
                                  number="2020-999", designated_by=None, valid_from=date(2020, 1, 1), valid_to=None)
    assert world.cert_a.status == "pending" and world.cert_a.verified_at is None


# --- expiry reminders ---

def _expiring(world, days_left: int):
    return factories.certification(world.enterprise_a, "women_owned", valid_from=date(2024, 1, 1),
                                   valid_to=TODAY + timedelta(days=days_left))


def test_reminder_sixty_days_before_expiry_is_sent_once(world, outbox):
    _expiring(world, 60)
    assert services.send_expiry_reminders(TODAY) == 1
    assert services.send_expiry_reminders(TODAY) == 0
    assert len(outbox("a@example.kr")) == 1


def test_reminder_fourteen_days_before_expiry(world, outbox):
    cert = _expiring(world, 14)
    cert.reminded_60_at = cert.created_at
    assert services.send_expiry_reminders(TODAY) == 1
    assert cert.reminded_14_at is not None


def test_no_reminder_far_from_expiry_or_for_unverified(world, outbox):
    _expiring(world, 61)
    factories.certification(world.enterprise_a, "disabled_owned", status="pending", valid_to=TODAY + timedelta(days=10))
    assert services.send_expiry_reminders(TODAY) == 0


def test_late_first_reminder_is_not_followed_by_a_second_one(world, outbox):
    _expiring(world, 10)
    assert services.send_expiry_reminders(TODAY) == 1
    assert services.send_expiry_reminders(TODAY) == 0


def test_certifications_check_command(app, world, outbox):
    _expiring(world, 30)
    db.session.commit()
    result = app.test_cli_runner().invoke(args=["certifications", "check"])
    assert result.exit_code == 0 and "reminders queued" in result.output


def test_business_number_checksum():
    assert services.valid_business_number("4018128592")
    assert services.valid_business_number("401-81-28592")
    assert not services.valid_business_number("4018128591")
    assert not services.valid_business_number("12345")


def test_business_number_must_be_unique(as_user, world):
    response = as_user(world.users.enterprise_b).post("/catalog/profile", data={
        "name": world.enterprise_b.name, "main_industry": "catering", "business_number": "401-81-28592"})
    assert response.status_code == 400
    assert db.session.get(type(world.enterprise_b), world.enterprise_b.id).profile.business_number is None


def test_the_button_that_revokes_a_verified_certification_says_so(as_user, world):
    client = as_user(world.users.city)
    client.post("/language/en")
    html = client.get("/catalog/admin/certifications?status=verified").get_data(as_text=True)
    assert ">Revoke the certification</button>" in html
