"""The organisation approval workflow: every move in the table, every refused move, every wrong actor."""
from __future__ import annotations

import pytest

from market.accounts.states import ORGANIZATION
from market.core.errors import InvalidTransition, NotAllowed, ValidationFailed
from market.core.models import AuditEntry
from market.core.states import transition
from market.extensions import db

STATES = tuple(ORGANIZATION.states)
ACTIONS = ("approve", "reject", "suspend", "reinstate")
ALLOWED = {
    ("pending", "approve"): "approved",
    ("pending", "reject"): "rejected",
    ("rejected", "approve"): "approved",
    ("approved", "suspend"): "suspended",
    ("suspended", "reinstate"): "approved",
}
NOTE = "서류 미비"


def test_the_table_is_exactly_the_documented_workflow():
    assert {key: move.to for key, move in ORGANIZATION.moves.items()} == ALLOWED


@pytest.mark.parametrize(("state", "action"), list(ALLOWED))
def test_city_admin_makes_every_allowed_move(world, state, action, outbox):
    org = world.enterprise_b
    org.status = state
    transition(ORGANIZATION, org, action, world.users.city, NOTE)
    db.session.commit()
    assert org.status == ALLOWED[(state, action)]
    entry = db.session.scalar(db.select(AuditEntry).where(AuditEntry.subject_id == org.id,
                                                          AuditEntry.action == f"organization.{action}"))
    assert entry.before == {"status": state} and entry.after == {"status": org.status}
    assert outbox("b@example.kr"), "the enterprise is told of the decision"


@pytest.mark.parametrize(("state", "action"),
                         [(s, a) for s in STATES for a in ACTIONS if (s, a) not in ALLOWED])
def test_every_other_move_is_refused(world, state, action):
    org = world.enterprise_b
    org.status = state
    with pytest.raises(InvalidTransition):
        transition(ORGANIZATION, org, action, world.users.city, NOTE)
    assert org.status == state


@pytest.mark.parametrize("actor", ["enterprise_a", "enterprise_b", "agency_x"])
@pytest.mark.parametrize(("state", "action"), list(ALLOWED))
def test_nobody_but_the_city_decides(world, actor, state, action):
    org = world.enterprise_b
    org.status = state
    with pytest.raises(NotAllowed):
        transition(ORGANIZATION, org, action, getattr(world.users, actor), NOTE)
    assert org.status == state


@pytest.mark.parametrize("action", ["reject", "suspend"])
def test_refusals_need_a_reason(world, action):
    org = world.enterprise_b
    org.status = "pending" if action == "reject" else "approved"
    with pytest.raises(ValidationFailed):
        transition(ORGANIZATION, org, action, world.users.city, "  ")


def test_approval_through_the_page(as_user, world, outbox):
    world.enterprise_b.status = "pending"
    db.session.commit()
    response = as_user(world.users.city).post(f"/accounts/admin/organizations/{world.enterprise_b.id}/approve",
                                              data={"incomplete_confirmed": "y"})  # B's profile is incomplete
    assert response.status_code == 302
    db.session.refresh(world.enterprise_b)
    assert world.enterprise_b.status == "approved"


def test_suspension_without_reason_through_the_page_changes_nothing(as_user, world, outbox):
    client = as_user(world.users.city)
    client.post("/language/en")
    response = client.post(f"/accounts/admin/organizations/{world.enterprise_b.id}/suspend", data={"note": ""})
    assert response.status_code == 400
    assert "Please give a reason." in response.get_data(as_text=True)
    db.session.refresh(world.enterprise_b)
    assert world.enterprise_b.status == "approved"
    assert outbox("b@example.kr") == []


def test_admin_list_filters_by_status(as_user, world):
    world.enterprise_b.status = "pending"
    db.session.commit()
    html = as_user(world.users.city).get("/accounts/admin/organizations?status=pending").get_data(as_text=True)
    assert world.enterprise_b.name in html and world.enterprise_a.name not in html
