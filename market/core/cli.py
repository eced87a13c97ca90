"""`flask mail send`: deliver the outbox; `flask files sweep`: remove stored files no row refers to;
`flask jobs run`: whatever is due of the jobs every domain registers (these two among them)."""
from __future__ import annotations

from datetime import timedelta

import click
from flask.cli import AppGroup

from market.core import jobs, storage
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


@jobs.register("mail.deliver", every=timedelta(minutes=1), description="Deliver the outbox.")
def deliver_mail(since) -> str:
    sent, failed = deliver_pending()
    return f"sent {sent}, failed {failed}"


@jobs.register("files.sweep", every=timedelta(days=1),
               description="Remove stored files no row refers to (older than an hour).")
def sweep_files(since) -> str:
    return f"{len(storage.sweep())} files removed"


jobs_cli = AppGroup("jobs", help="What must happen on time (run from cron or a systemd timer on every server).")


@jobs_cli.command("run")
@click.option("--only", metavar="NAME", help="Run this job only.")
@click.option("--force", is_flag=True, help="Run even if the job already ran in its period (never while it runs).")
def jobs_run_command(only: str | None, force: bool) -> None:
    """Run every job that is due: safe to run every minute on every server at once (each job runs once)."""
    if only and only not in jobs.REGISTRY:
        raise click.BadParameter(f"no job {only!r}; the jobs: {', '.join(sorted(jobs.REGISTRY))}", param_hint="--only")
    outcomes = jobs.run_due(only=only, force=force)
    for outcome in outcomes:
        took = f" in {outcome.seconds:.1f} s" if outcome.result in ("ran", "failed") else ""
        click.echo(f"{outcome.name}: {outcome.result}{took}{': ' + outcome.message if outcome.message else ''}")
    if any(outcome.result == "failed" for outcome in outcomes):
        raise SystemExit(1)


@jobs_cli.command("list")
def jobs_list_command() -> None:
    """Each job, how often it runs, when it last succeeded, and its last error."""
    for job, row in jobs.status():
        succeeded = row.succeeded_at.strftime("%Y-%m-%d %H:%M UTC") if row and row.succeeded_at else "never"
        click.echo(f"{job.name} (every {job.every}): {job.description} Last success: {succeeded}."
                   + (f" Last error: {row.last_error}" if row and row.last_error else ""))
