"""Commands an operator runs: the first administrator and the demo city."""
from __future__ import annotations

from market.accounts.models import Organization, OrgKind, User
from market.demo import data
from market.extensions import db


def test_create_admin_makes_a_city_administrator(app):
    result = app.test_cli_runner().invoke(args=["users", "create-admin", "Chief@Gunsan.example.kr",
                                                "--password", "a long password"])
    assert result.exit_code == 0, result.output
    user = db.session.scalar(db.select(User).where(User.email == "chief@gunsan.example.kr"))
    assert user.is_city_admin and user.check_password("a long password")


def test_create_admin_refuses_a_taken_address(app, world):
    result = app.test_cli_runner().invoke(args=["users", "create-admin", "a@example.kr", "--password", "a long password"])
    assert result.exit_code != 0 and "already" in result.output


def test_demo_load_builds_the_city_once(app):
    runner = app.test_cli_runner()
    assert runner.invoke(args=["demo", "load"]).exit_code == 0
    counts = dict(db.session.execute(db.select(Organization.kind, db.func.count()).group_by(Organization.kind)).all())
    assert counts == {OrgKind.ENTERPRISE: 37, OrgKind.AGENCY: len(data.AGENCIES), OrgKind.CITY: 1}
    runner.invoke(args=["demo", "load"])
    assert db.session.scalar(db.select(db.func.count()).select_from(Organization)) == sum(counts.values())


def test_demo_load_if_empty_leaves_an_existing_database_alone(app, world):
    result = app.test_cli_runner().invoke(args=["demo", "load", "--if-empty"])
    assert "not loaded" in result.output
