"""`flask demo load`: the demo city."""
from __future__ import annotations

import click
from flask.cli import AppGroup

from market.demo.loader import DEMO_PASSWORD, database_is_empty, load_demo
from market.extensions import db

demo_cli = AppGroup("demo", help="Demo data.")


@demo_cli.command("load")
@click.option("--if-empty", is_flag=True, help="Do nothing when the database already holds organisations.")
def load_command(if_empty: bool) -> None:
    """Load (or complete) the demo city. Safe to run again."""
    if if_empty and not database_is_empty():
        click.echo("The database already has data; demo not loaded.")
        return
    created = load_demo(pictures=True)
    db.session.commit()
    click.echo(f"Demo loaded: {created['organizations']} organisations, {created['users']} people and "
               f"{created['listings']} listings created. Every demo login uses the password {DEMO_PASSWORD!r}.")
