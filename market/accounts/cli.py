"""`flask users create-admin EMAIL`: the first city administrator."""
from __future__ import annotations

import click
from flask.cli import AppGroup

from market.accounts.models import Organization, OrgKind, Role, User
from market.accounts.services import email_taken, normalize_email
from market.extensions import db

users_cli = AppGroup("users", help="People and accounts.")

SUPPORT_CENTER_NAME = "군산시 사회적경제지원센터"


def support_center() -> Organization:
    """The city's own organisation, created on first use."""
    city = db.session.scalar(db.select(Organization).where(Organization.kind == OrgKind.CITY))
    if city is None:
        city = Organization(kind=OrgKind.CITY, name=SUPPORT_CENTER_NAME, name_en="Gunsan Social Economy Support Center",
                            status="approved")
        db.session.add(city)
    return city


@users_cli.command("create-admin")
@click.argument("email")
@click.option("--name", default="관리자", help="Display name.")
@click.password_option(help="Password (asked for when omitted).")
def create_admin(email: str, name: str, password: str) -> None:
    """Create a support-center administrator."""
    email = normalize_email(email)
    if email_taken(email):
        raise click.ClickException(f"{email} already has an account.")
    if len(password) < 10:
        raise click.ClickException("The password needs at least 10 characters.")
    user = User(organization=support_center(), email=email, name=name, role=Role.ADMIN, locale="ko")
    user.set_password(password)
    db.session.add(user)
    db.session.commit()
    click.echo(f"Created city administrator {email}.")
