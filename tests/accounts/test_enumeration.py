"""Sign-up, password reset and invitation answer alike, in what they say and in how long they take, whether the
address has an account or not: none of them tells a stranger (or another organisation's manager) who is
registered."""
from __future__ import annotations

import itertools
import statistics
import time

import pytest

from config import Config
from market.accounts.models import Organization, Role, User
from market.extensions import db

ROUNDS = 3
# Both answers come at the floor; what separates them is the scheduler's jitter, never the work done.
MAX_DIFFERENCE_SECONDS = 0.05
_addresses = itertools.count(1)


@pytest.fixture
def steady(app, monkeypatch):
    """The floor, which the test may raise (`steady(seconds)`) when the machine is too busy to answer under it."""
    def set_floor(seconds: float) -> float:
        monkeypatch.setitem(app.config, "STEADY_ANSWER_SECONDS", seconds)
        return seconds
    set_floor(Config.STEADY_ANSWER_SECONDS)
    return set_floor


def _timed(client, path: str, data: dict):
    # Each request from its own address: the forms are rate-limited per address, and that is not what is timed.
    address = f"10.13.{next(_addresses) % 250}.{next(_addresses) % 250}"
    started = time.perf_counter()
    response = client.post(path, data=data, environ_base={"REMOTE_ADDR": address})
    return time.perf_counter() - started, response


def _compare(post_known, post_unknown, steady):
    """The two kinds of answer, interleaved so that a slower moment of the machine falls on both alike. The floor
    hides the work only when the work fits under it: on a machine so busy that an answer overran the floor, the
    comparison is made again under a floor above the slowest answer seen (what a deployment would configure)."""
    floor = steady(Config.STEADY_ANSWER_SECONDS)
    known, unknown = _rounds(post_known, post_unknown)
    slowest = max(known + unknown)
    if slowest > floor + MAX_DIFFERENCE_SECONDS:
        floor = steady(2 * slowest)
        known, unknown = _rounds(post_known, post_unknown)
    fast = min(known + unknown)
    difference = abs(statistics.median(known) - statistics.median(unknown))
    assert fast >= floor, f"an answer came before the floor: {fast:.3f} s"
    assert difference < MAX_DIFFERENCE_SECONDS, (
        f"known {statistics.median(known):.3f} s, unknown {statistics.median(unknown):.3f} s")


def _rounds(post_known, post_unknown) -> tuple[list[float], list[float]]:
    known, unknown = [], []
    for _ in range(ROUNDS):
        known.append(post_known()[0])
        unknown.append(post_unknown()[0])
    return known, unknown


SIGNUP = {"organization_name": "사회적협동조합 새봄", "name": "김민지", "password": "a long password",
          "confirm": "a long password", "phone": "063-450-1234", "agree": "y"}


def _signup(client, email: str):
    return _timed(client, "/accounts/signup", dict(SIGNUP, email=email))


def test_signup_says_the_same_for_a_registered_and_a_new_address(client, world):
    _, known = _signup(client, world.users.enterprise_a.email)
    _, new = _signup(client, "new-person@example.kr")
    assert known.status_code == new.status_code == 200
    assert db.session.scalar(db.select(User).where(User.email == "new-person@example.kr")), "signed up"
    assert known.get_data(as_text=True).replace(world.users.enterprise_a.email, "ADDRESS") == \
        new.get_data(as_text=True).replace("new-person@example.kr", "ADDRESS")


def test_signup_takes_as_long_for_a_registered_address_as_for_a_new_one(client, world, steady):
    _compare(lambda: _signup(client, world.users.enterprise_a.email),
             lambda: _signup(client, f"new-{next(_addresses)}@example.kr"), steady)


def test_signup_hashes_the_password_for_a_registered_address_too(client, world, monkeypatch):
    """The floor hides the difference; the work itself is alike too, should a slow moment pass the floor."""
    from market.accounts import services

    hashed = []
    monkeypatch.setattr(services, "hash_password", lambda password: hashed.append(password) or "x")
    _signup(client, world.users.enterprise_a.email)
    assert hashed == ["a long password"]


def _forgot(client, email: str):
    return _timed(client, "/accounts/password/forgot", {"email": email})


def test_a_reset_says_the_same_for_a_known_and_an_unknown_address(client, world):
    _, known = _forgot(client, world.users.agency_x.email)
    known_page = client.get(known.headers["Location"]).get_data(as_text=True)
    _, unknown = _forgot(client, "nobody@example.kr")
    unknown_page = client.get(unknown.headers["Location"]).get_data(as_text=True)
    assert known.status_code == unknown.status_code == 302
    assert known.headers["Location"] == unknown.headers["Location"]
    assert known_page == unknown_page and "alert" in known_page


def test_a_reset_takes_as_long_for_a_known_address_as_for_an_unknown_one(client, world, steady):
    _compare(lambda: _forgot(client, world.users.agency_x.email),
             lambda: _forgot(client, f"nobody-{next(_addresses)}@example.kr"), steady)


def _invite(client, world, email: str):
    return _timed(client, f"/accounts/organizations/{world.enterprise_a.id}/invite",
                  {"name": "이하늘", "email": email, "role": Role.MEMBER})


def test_an_invitation_to_a_registered_address_reads_as_any_other(as_user, world, outbox):
    manager = as_user(world.users.enterprise_a)
    manager.post("/language/en")
    _, known = _invite(manager, world, world.users.agency_x.email)  # someone of another organisation
    known_page = manager.get(known.headers["Location"]).get_data(as_text=True)
    _, new = _invite(manager, world, "haneul@example.kr")
    new_page = manager.get(new.headers["Location"]).get_data(as_text=True)
    assert known.status_code == new.status_code == 302 and known.headers["Location"] == new.headers["Location"]
    assert f"An invitation has been sent to {world.users.agency_x.email}." in known_page
    assert "An invitation has been sent to haneul@example.kr." in new_page
    assert "already" not in known_page
    # Nothing joined enterprise A; the person is told by e-mail why no invitation follows.
    assert db.session.get(User, world.users.agency_x.id).organization_id == world.agency_x.id
    told = outbox(world.users.agency_x.email)[-1]
    assert world.enterprise_a.name in told.subject and "/accounts/login" in told.body
    assert db.session.scalar(db.select(db.func.count()).select_from(User)
                             .where(User.organization_id == world.enterprise_a.id, User.password_hash.is_(None))) == 1


def test_an_invitation_takes_as_long_for_a_registered_address_as_for_a_new_one(as_user, world, steady):
    manager = as_user(world.users.enterprise_a)
    _compare(lambda: _invite(manager, world, world.users.agency_y.email),
             lambda: _invite(manager, world, f"invitee-{next(_addresses)}@example.kr"), steady)


def test_a_refused_invitation_still_says_why(as_user, world):
    """Only the address is kept quiet: a role the organisation does not have is refused as before."""
    manager = as_user(world.users.enterprise_a)
    _, response = _invite(manager, world, "haneul@example.kr")
    assert response.status_code == 302
    bad = manager.post(f"/accounts/organizations/{world.enterprise_a.id}/invite",
                       data={"name": "이하늘", "email": "other@example.kr", "role": Role.BUYER})
    assert bad.status_code == 400
    assert db.session.scalar(db.select(db.func.count()).select_from(Organization)) == 5
