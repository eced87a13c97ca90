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
    counts = dict(db.session.execute(db.select(Organization.kind, db.func.count())
                                     .where(Organization.status == "approved").group_by(Organization.kind)).all())
    assert counts == {OrgKind.ENTERPRISE: 37, OrgKind.AGENCY: len(data.AGENCIES), OrgKind.CITY: 1}
    total = db.session.scalar(db.select(db.func.count()).select_from(Organization))
    runner.invoke(args=["demo", "load"])
    assert db.session.scalar(db.select(db.func.count()).select_from(Organization)) == total


def test_demo_city_has_the_seeds_proportions_and_a_catalog(app):
    from market.catalog.models import Certification, Listing

    app.test_cli_runner().invoke(args=["demo", "load"])
    by_kind = dict(db.session.execute(
        db.select(Certification.kind, db.func.count()).where(Certification.kind.in_(
            ["social_enterprise", "preliminary_social_enterprise", "village_enterprise",
             "self_sufficiency_enterprise"])).group_by(Certification.kind)).all())
    assert by_kind == {"social_enterprise": 16, "preliminary_social_enterprise": 10, "village_enterprise": 5,
                       "self_sufficiency_enterprise": 6}
    published = db.session.scalars(db.select(Listing).where(Listing.status == "published")).all()
    assert len(published) >= 60
    assert {listing.industry.code for listing in published} >= {"cleaning", "catering", "food", "printing"}
    from market.procurement.models import PurchaseOrder
    from market.reports import services as reports

    states = set(db.session.scalars(db.select(PurchaseOrder.status).distinct()))
    assert states >= {"placed", "confirmed", "delivered", "inspected", "invoiced", "paid", "closed", "cancelled"}
    table = reports.city_table(reports.current_year())
    assert len(table) == len(data.AGENCIES)
    assert all(row.target_krw and row.actual_krw > 0 for row in table), "every agency has a target and purchases"
    from market.reports.models import OffPlatformPurchase

    assert set(db.session.scalars(db.select(OffPlatformPurchase.status).distinct())) == {"verified", "recorded",
                                                                                         "rejected"}


def test_demo_load_if_empty_leaves_an_existing_database_alone(app, world):
    result = app.test_cli_runner().invoke(args=["demo", "load", "--if-empty"])
    assert "not loaded" in result.output
