"""`flask mail send`: deliver the outbox."""
from __future__ import annotations

import click
from flask.cli import AppGroup

from market.core.mail import deliver_pending

mail_cli = AppGroup("mail", help="Outgoing mail.")


@mail_cli.command("send")
def send_command() -> None:
    """Deliver queued messages over SMTP (or print them to the log when MAIL_SERVER is unset)."""
    sent, failed = deliver_pending()
    click.echo(f"sent {sent}, failed {failed}")
    if failed:
        raise SystemExit(1)
