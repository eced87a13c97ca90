"""`flask catalog seed-industries` and the daily `flask certifications check`."""
from __future__ import annotations

from datetime import timedelta

import click
from flask.cli import AppGroup

from market.catalog.services import seed_industries, send_expiry_reminders
from market.core import jobs
from market.extensions import db

catalog_cli = AppGroup("catalog", help="The catalog.")
certifications_cli = AppGroup("certifications", help="Certifications and their validity.")


@catalog_cli.command("seed-industries")
def seed_industries_command() -> None:
    """Create the industry taxonomy's missing entries (safe to run again)."""
    created = seed_industries()
    db.session.commit()
    click.echo(f"{created} industries and item groups created.")


@certifications_cli.command("check")
def check_command() -> None:
    """E-mail enterprises whose verified certifications expire in 60 or 14 days (run daily; `jobs run` does)."""
    sent = send_expiry_reminders()
    db.session.commit()
    click.echo(f"{sent} reminders queued.")


@jobs.register("certifications.check", every=timedelta(days=1),
               description="Remind enterprises of certifications expiring in 60 or 14 days.")
def check_certifications(since) -> str:
    return f"{send_expiry_reminders()} reminders queued"
