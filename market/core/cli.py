"""`flask mail send`: deliver the outbox; `flask files sweep`: remove stored files no row refers to."""
from __future__ import annotations

import click
from flask.cli import AppGroup

from market.core import storage
from market.core.mail import deliver_pending

mail_cli = AppGroup("mail", help="Outgoing mail.")


@mail_cli.command("send")
def send_command() -> None:
    """Deliver queued messages over SMTP (or print them to the log when MAIL_SERVER is unset)."""
    sent, failed = deliver_pending()
    click.echo(f"sent {sent}, failed {failed}")
    if failed:
        raise SystemExit(1)


files_cli = AppGroup("files", help="Stored files.")


@files_cli.command("sweep")
@click.option("--dry-run", is_flag=True, help="Only list what would be removed.")
def sweep_command(dry_run: bool) -> None:
    """Remove stored files that no row refers to (left by a crash between writing and committing), once older
    than an hour, and pending imports older than a day. Safe to run at any time (a daily job)."""
    removed = storage.sweep(dry_run=dry_run)
    for key in removed:
        click.echo(key)
    click.echo(f"{len(removed)} files {'would be ' if dry_run else ''}removed.")
