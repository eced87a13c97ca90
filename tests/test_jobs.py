"""`flask jobs run`: what must happen on time, once per period however many servers run it; /healthz shows a
stuck mailer."""
from __future__ import annotations

import threading
from datetime import date, datetime, timedelta

import pytest

from market import create_app
from market.core import jobs
from market.core.mail import queue_mail
from market.core.models import JobRun, OutboxMessage
from market.core.timeutil import utcnow
from market.extensions import db
from tests import factories


@pytest.fixture
def counted_job():
    """A job of the test's own that counts its runs (and can be made to fail)."""
    runs: list[datetime | None] = []
    behaviour = {"fail": False, "seconds": 0.0}

    @jobs.register("test.counted", every=timedelta(hours=1), description="Counts.")
    def counted(since):
        import time

        time.sleep(behaviour["seconds"])
        if behaviour["fail"]:
            raise RuntimeError("the mail server refused")
        runs.append(since)
        return f"run {len(runs)}"

    yield runs, behaviour
    del jobs.REGISTRY["test.counted"]


def test_every_domain_registers_its_jobs(app):
    assert {"mail.deliver", "certifications.check", "content.publish_scheduled", "files.sweep"} <= set(jobs.REGISTRY)


def test_a_job_runs_once_per_period(db, counted_job):
    runs, _ = counted_job
    noon = datetime(2026, 12, 2, 12, 5)
    assert [o.result for o in jobs.run_due(noon, only="test.counted")] == ["ran"]
    assert [o.result for o in jobs.run_due(noon + timedelta(minutes=50), only="test.counted")] == ["not due"]
    assert [o.result for o in jobs.run_due(noon + timedelta(minutes=56), only="test.counted")] == ["ran"]
    assert runs == [None, noon]  # each run is told when the last successful one started


def test_a_failed_job_is_tried_again_and_the_others_still_run(db, counted_job):
    runs, behaviour = counted_job
    behaviour["fail"] = True
    noon = datetime(2026, 12, 2, 12, 5)
    outcomes = {o.name: o for o in jobs.run_due(noon)}
    assert outcomes["test.counted"].result == "failed" and "refused" in outcomes["test.counted"].message
    assert outcomes["mail.deliver"].result == "ran"
    assert "refused" in db.session.get(JobRun, "test.counted").last_error
    behaviour["fail"] = False
    assert [o.result for o in jobs.run_due(noon + timedelta(minutes=1), only="test.counted")] == ["ran"]
    assert db.session.get(JobRun, "test.counted").last_error is None


def test_several_servers_at_once_run_a_job_once(app, database_url, counted_job):
    runs, behaviour = counted_job
    behaviour["seconds"] = 0.5
    servers = [create_app({"SQLALCHEMY_DATABASE_URI": database_url}) for _ in range(4)]
    barrier, outcomes = threading.Barrier(len(servers)), []

    def cron(server) -> None:
        with server.app_context():
            barrier.wait()
            outcomes.extend(o.result for o in jobs.run_due(only="test.counted"))
            db.session.remove()

    threads = [threading.Thread(target=cron, args=(server,)) for server in servers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert len(runs) == 1
    assert sorted(outcomes) == ["ran"] + ["running elsewhere"] * (len(servers) - 1)


def test_a_dead_servers_claim_expires_with_its_lease(db, counted_job):
    runs, _ = counted_job
    jobs.run_due(datetime(2026, 12, 2, 12, 0), only="test.counted")
    db.session.get(JobRun, "test.counted").running_until = datetime(2026, 12, 2, 13, 10)  # died mid-run
    db.session.commit()
    assert [o.result for o in jobs.run_due(datetime(2026, 12, 2, 13, 5), only="test.counted")] == \
        ["running elsewhere"]
    assert [o.result for o in jobs.run_due(datetime(2026, 12, 2, 13, 11), only="test.counted")] == ["ran"]


def test_jobs_run_delivers_the_outbox_and_reminds_of_expiring_certifications(app, world):
    world.cert_a.valid_to = date.today() + timedelta(days=10)
    queue_mail("someone@example.kr", "accounts/password_reset", user=world.users.enterprise_a, url="http://x",
               minutes=60)
    db.session.commit()
    result = app.test_cli_runner().invoke(args=["jobs", "run"])
    assert result.exit_code == 0, result.output
    assert "certifications.check: ran" in result.output and "1 reminders queued" in result.output
    assert "mail.deliver: ran" in result.output and "sent 2, failed 0" in result.output  # the reminder too
    assert {(m.recipient, m.sent_at is not None) for m in db.session.scalars(db.select(OutboxMessage))} == \
        {("someone@example.kr", True), ("a@example.kr", True)}
    again = app.test_cli_runner().invoke(args=["jobs", "run"])
    assert "certifications.check: not due" in again.output and "mail.deliver: not due" in again.output
    forced = app.test_cli_runner().invoke(args=["jobs", "run", "--only", "mail.deliver", "--force"])
    assert "mail.deliver: ran" in forced.output and "sent 0" in forced.output
    listing = app.test_cli_runner().invoke(args=["jobs", "list"]).output
    assert "certifications.check (every 1 day, 0:00:00)" in listing


def test_jobs_run_refuses_an_unknown_job(app):
    result = app.test_cli_runner().invoke(args=["jobs", "run", "--only", "nothing"])
    assert result.exit_code != 0 and "mail.deliver" in result.output


def test_a_scheduled_notice_shows_on_the_kept_pages_once_the_job_ran(app, world, client, monkeypatch):
    from tests.content import factories as content

    monkeypatch.setitem(app.config, "PAGE_CACHE_SECONDS", 30)
    notice = content.notice(world.users.city, title="하반기 공공구매 설명회", published_at=utcnow() + timedelta(hours=1))
    db.session.commit()
    jobs.run_due(utcnow() - timedelta(minutes=1), only="content.publish_scheduled")  # the last run, a minute ago
    assert "하반기 공공구매 설명회" not in client.get("/notices").get_data(as_text=True)  # kept without it
    notice.published_at = utcnow() - timedelta(seconds=1)  # its time has come
    db.session.commit()
    assert "하반기 공공구매 설명회" not in client.get("/notices").get_data(as_text=True)  # the kept copy
    [outcome] = jobs.run_due(only="content.publish_scheduled", force=True)
    assert outcome.message == "1 items published since the last run"
    assert "하반기 공공구매 설명회" in client.get("/notices").get_data(as_text=True)


def test_healthz_says_degraded_when_the_outbox_is_stuck(app, client, monkeypatch):
    monkeypatch.setitem(app.config, "OUTBOX_ALERT_SECONDS", 900)
    message = queue_mail("a@example.kr", "accounts/password_reset", user=factories.user(), url="x", minutes=60)
    message.created_at = utcnow() - timedelta(minutes=20)
    given_up = queue_mail("bad@example.kr", "accounts/password_reset", user=factories.user(), url="x", minutes=60)
    given_up.attempts, given_up.created_at = 5, utcnow() - timedelta(days=3)
    db.session.commit()
    health = client.get("/healthz")
    assert health.status_code == 200  # the site serves: a load balancer keeps it
    body = health.get_json()
    assert body["status"] == "degraded"
    assert body["outbox"]["pending"] == 1 and body["outbox"]["given_up"] == 1
    assert 1190 <= body["outbox"]["oldest_pending_seconds"] <= 1300
    message.sent_at = utcnow()
    db.session.commit()
    assert client.get("/healthz").get_json()["status"] == "ok"
