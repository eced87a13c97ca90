"""`flask procurement seed-ceilings`: the private-contract ceilings in force."""
from __future__ import annotations

import click
from flask.cli import AppGroup

from market.extensions import db
from market.procurement.services import seed_ceilings

procurement_cli = AppGroup("procurement", help="Buying.")


@procurement_cli.command("seed-ceilings")
def seed_ceilings_command() -> None:
    """Create the single-quote private-contract ceilings that do not exist yet (safe to run again)."""
    created = seed_ceilings()
    db.session.commit()
    click.echo(f"{created} contract ceilings created.")
