"""Enterprises sign up and wait for the city; agencies are created by the city and invite their people."""
from __future__ import annotations

import re

import pytest

from market.accounts.models import Organization, OrgKind, Role, User
from market.core.models import AuditEntry
from market.extensions import db
from tests.conftest import login

SIGNUP = {
    "organization_name": "(주)새만금 친환경 도시락", "organization_name_en": "Saemangeum Lunch Box",
    "phone": "063-450-1234", "name": "김민지", "email": "minji@example.kr",
    "password": "a long password", "confirm": "a long password", "agree": "y",
}


def _count(model) -> int:
    return db.session.scalar(db.select(db.func.count()).select_from(model))


def test_signup_creates_a_pending_enterprise_with_its_manager(client, world, outbox):
    response = client.post("/accounts/signup", data=SIGNUP)
    assert response.status_code == 200
    user = db.session.scalar(db.select(User).where(User.email == "minji@example.kr"))
    assert user.role == Role.MANAGER
    assert user.organization.kind == OrgKind.ENTERPRISE and user.organization.status == "pending"
    assert outbox("minji@example.kr"), "the person is told the registration was received"
    assert outbox("admin@example.kr"), "the city is told there is an enterprise to review"


def test_signup_with_bad_input_keeps_what_was_typed_and_saves_nothing(client, world):
    before = _count(Organization)
    data = dict(SIGNUP, email="not-an-email", confirm="different", organization_name="가" * 500)
    response = client.post("/accounts/signup", data=data)
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "김민지" in html and "063-450-1234" in html
    assert _count(Organization) == before


def test_signup_with_an_existing_email_reveals_nothing_and_creates_nothing(client, world, outbox):
    before = _count(Organization)
    response = client.post("/accounts/signup", data=dict(SIGNUP, email="a@example.kr"))
    assert response.status_code == 200
    assert _count(Organization) == before
    assert len(outbox("a@example.kr")) == 1, "the owner of the address is told instead"


def test_pending_enterprise_manager_sees_the_review_notice(client, world):
    client.post("/accounts/signup", data=SIGNUP)
    client.post("/accounts/login", data={"email": "minji@example.kr", "password": "a long password"})
    assert "지원센터" in client.get("/dashboard").get_data(as_text=True)


def _invitation_link(body: str) -> str:
    return re.search(r"http://testserver\.local(/\S+)", body).group(1)


def test_city_creates_an_agency_and_its_manager_accepts_the_invitation(as_user, client, world, outbox):
    admin = as_user(world.users.city)
    response = admin.post("/accounts/admin/agencies/new", data={
        "name": "군산시 나운1동 행정복지센터", "manager_name": "박서준", "manager_email": "naun1@example.kr"})
    assert response.status_code == 302
    agency = db.session.scalar(db.select(Organization).where(Organization.name == "군산시 나운1동 행정복지센터"))
    assert agency.kind == OrgKind.AGENCY and agency.status == "approved"
    link = _invitation_link(outbox("naun1@example.kr")[0].body)
    assert client.post(link, data={"password": "my own password", "confirm": "my own password"}).status_code == 302
    login_response = client.post("/accounts/login", data={"email": "naun1@example.kr", "password": "my own password"})
    assert login_response.status_code == 302


def test_invitation_cannot_be_accepted_twice(as_user, client, world, outbox):
    as_user(world.users.city).post("/accounts/admin/agencies/new", data={
        "name": "군산시 나운2동 행정복지센터", "manager_name": "박서준", "manager_email": "naun2@example.kr"})
    link = _invitation_link(outbox("naun2@example.kr")[0].body)
    client.post(link, data={"password": "my own password", "confirm": "my own password"})
    again = client.post(link, data={"password": "hijacked password", "confirm": "hijacked password"})
    assert again.status_code == 400


def test_agency_with_an_existing_manager_email_is_refused_whole(as_user, world):
    before = _count(Organization)
    response = as_user(world.users.city).post("/accounts/admin/agencies/new", data={
        "name": "중복 기관", "manager_name": "박서준", "manager_email": "x@example.kr"})
    assert response.status_code == 400
    assert _count(Organization) == before, "no agency without its manager"


def test_enterprise_manager_invites_a_member(as_user, world, outbox):
    client = as_user(world.users.enterprise_a)
    response = client.post(f"/accounts/organizations/{world.enterprise_a.id}/invite", data={
        "name": "이하늘", "email": "haneul@example.kr", "role": Role.MEMBER})
    assert response.status_code == 302
    invited = db.session.scalar(db.select(User).where(User.email == "haneul@example.kr"))
    assert invited.organization_id == world.enterprise_a.id and invited.password_hash is None
    assert outbox("haneul@example.kr")


def test_enterprise_cannot_give_an_agency_role(as_user, world):
    client = as_user(world.users.enterprise_a)
    response = client.post(f"/accounts/organizations/{world.enterprise_a.id}/invite", data={
        "name": "이하늘", "email": "haneul@example.kr", "role": Role.BUYER})
    assert response.status_code == 400
    assert db.session.scalar(db.select(User).where(User.email == "haneul@example.kr")) is None


def test_member_who_is_not_manager_cannot_invite(app, world):
    from tests import factories

    member = factories.user(world.enterprise_a, Role.MEMBER)
    db.session.commit()
    client = login(app.test_client(), member)
    response = client.post(f"/accounts/organizations/{world.enterprise_a.id}/invite", data={
        "name": "이하늘", "email": "haneul@example.kr", "role": Role.MEMBER})
    assert response.status_code == 403


def test_profile_language_choice_sticks_to_the_person(as_user, world):
    client = as_user(world.users.agency_y)
    client.post("/accounts/me", data={"name": "김영희", "locale": "en"})
    assert db.session.get(User, world.users.agency_y.id).locale == "en"
    assert "My dashboard" in client.get("/dashboard").get_data(as_text=True)


@pytest.mark.parametrize("field", ["name", "locale"])
def test_profile_rejects_bad_values(as_user, world, field):
    client = as_user(world.users.agency_y)
    data = {"name": "김영희", "locale": "ko", field: "x" * 200 if field == "name" else "fr"}
    client.post("/accounts/me", data=data)
    user = db.session.get(User, world.users.agency_y.id)
    assert user.locale == "ko" and user.name != "x" * 200


def test_profile_change_is_audited(as_user, world):
    as_user(world.users.agency_y).post("/accounts/me", data={"name": "김영희", "locale": "ko"})
    entry = db.session.scalar(db.select(AuditEntry).where(AuditEntry.action == "user.update_profile"))
    assert entry.after["name"] == "김영희"
