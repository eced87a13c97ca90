"""What must happen on time, run by `flask jobs run` from cron or a systemd timer on every server.

Each job is registered by its domain with `register(name, every=timedelta(...))` and runs at most once per
period of `every`, counted from the Unix epoch in UTC (a daily job runs at the first `jobs run` after midnight
UTC, 09:00 in Korea; a job every minute runs at each `jobs run`), however many servers call `jobs run`:
each job claims its period with a compare-and-set UPDATE of its row in `job_run` before it runs, so exactly one
caller runs it; a claim lasts `lease` (a server that dies mid-job frees the job when the lease ends). A job
that fails is tried again at the next `jobs run` of the same period. A job receives when its last successful
run started (None the first time), to do what fell due since then.
"""
from __future__ import annotations

import os
import socket
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa
from flask import current_app

from market.core.models import JobRun
from market.core.timeutil import utcnow
from market.extensions import db

_EPOCH = datetime(1970, 1, 1)


@dataclass(frozen=True)
class Job:
    name: str
    every: timedelta
    run: Callable[[datetime | None], str | None]  # since -> what it did, in a few words
    description: str
    lease: timedelta


@dataclass(frozen=True)
class Outcome:
    name: str
    result: str  # "ran", "failed", "not due", "running elsewhere"
    message: str = ""
    seconds: float = 0.0


REGISTRY: dict[str, Job] = {}


def register(name: str, *, every: timedelta, description: str = "", lease: timedelta = timedelta(minutes=10)):
    """Decorate `run(since)` as the job `name`, due once per `every`. It may flush; the runner commits."""
    def decorate(run: Callable[[datetime | None], str | None]):
        REGISTRY[name] = Job(name, every, run, description or (run.__doc__ or "").strip().split("\n")[0], lease)
        return run

    return decorate


def period_start(job: Job, now: datetime) -> datetime:
    """The start of the period `now` falls in (periods of `every`, counted from the epoch)."""
    elapsed = (now - _EPOCH) // job.every
    return _EPOCH + elapsed * job.every


def _ensure_rows(names) -> None:
    dialect = db.session.get_bind().dialect.name
    if dialect == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    db.session.execute(insert(JobRun).on_conflict_do_nothing(index_elements=["name"]),
                       [{"name": name} for name in names])
    db.session.commit()


def _claim(job: Job, now: datetime, runner: str, force: bool) -> tuple[bool, datetime | None]:
    """Claim the job's current period (or, with `force`, the job now); (claimed, its last success's start)."""
    since = db.session.scalar(sa.select(JobRun.succeeded_at).where(JobRun.name == job.name))
    claim = sa.update(JobRun).where(JobRun.name == job.name,
                                    sa.or_(JobRun.running_until.is_(None), JobRun.running_until < now))
    if not force:
        claim = claim.where(sa.or_(JobRun.succeeded_at.is_(None), JobRun.succeeded_at < period_start(job, now)))
    claimed = db.session.execute(claim.values(started_at=now, running_until=now + job.lease,
                                              runner=runner)).rowcount == 1
    db.session.commit()
    return claimed, since


def _runner() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"[:100]


def run_due(now: datetime | None = None, only: str | None = None, force: bool = False) -> list[Outcome]:
    """Run every registered job whose period has not run yet (or just `only`; `force`: even if it has)."""
    jobs = [REGISTRY[only]] if only else sorted(REGISTRY.values(), key=lambda job: job.name)
    if jobs:
        _ensure_rows([job.name for job in jobs])
    outcomes = []
    for job in jobs:
        moment = now or utcnow()
        claimed, since = _claim(job, moment, _runner(), force)
        if not claimed:
            running = db.session.scalar(sa.select(JobRun.running_until).where(JobRun.name == job.name))
            outcomes.append(Outcome(job.name, "running elsewhere" if running and running > moment else "not due"))
            continue
        started = time.monotonic()
        try:
            message = job.run(since) or ""
            db.session.commit()
        except Exception as error:  # one failing job must not stop the others; it is tried again next time
            db.session.rollback()
            current_app.logger.exception("job %s failed", job.name)
            _finish(job, moment, ok=False, error=f"{type(error).__name__}: {error}")
            outcomes.append(Outcome(job.name, "failed", str(error), time.monotonic() - started))
        else:
            _finish(job, moment, ok=True)
            outcomes.append(Outcome(job.name, "ran", message, time.monotonic() - started))
    return outcomes


def _finish(job: Job, started: datetime, *, ok: bool, error: str | None = None) -> None:
    values = {"running_until": None, "finished_at": utcnow()}
    if ok:
        values.update(succeeded_at=started, last_error=None)
    else:
        values.update(last_error=error[:2000])
    db.session.execute(sa.update(JobRun).where(JobRun.name == job.name).values(**values))
    db.session.commit()


def status() -> list[tuple[Job, JobRun | None]]:
    rows = {row.name: row for row in db.session.scalars(sa.select(JobRun))}
    return [(job, rows.get(job.name)) for job in sorted(REGISTRY.values(), key=lambda job: job.name)]
