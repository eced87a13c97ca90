"""`make bench`: the catalog at city scale, on SQLite and on PostgreSQL.

    python -m benchmarks.run [--quick] [--db sqlite|postgresql|both] [--skip-load] [--regenerate]

For each database: migrate, generate a synthetic city (market.demo.scale; 10,000 enterprises and 200,000
listings, or 1,000 / 20,000 with --quick), ANALYZE, then
  1. in process, with the Flask test client: p50/p95/max of each public page over --requests requests
     (target: p95 <= 50 ms), and the SQL statements each page runs;
  2. the statements of each list page at PAGE_SIZE 10 and 50 (they must be equal: no N+1);
  3. unless --skip-load: gunicorn (-w 2 --threads 4) on 127.0.0.1 and a bounded locust load (50 users,
     no think time, 60 s; 10 s with --quick) over the directory, search and listing pages and /healthz:
     p50/p95, requests per second and errors (must be 0).
The generated databases are kept (SQLite files in benchmarks/.data/, PostgreSQL databases `bench` and
`bench_quick`) and reused while the size, seed and generator are unchanged; new migrations are applied to
them. On PostgreSQL the measured app runs with a statement timeout (10 s): a pathological plan shows as
errors instead of stalling the run. Results: benchmarks/results/<db>-<timestamp>.json and latest-<db>.json
(-quick in both names for --quick), and a table on stdout.
"""
from __future__ import annotations

import argparse
import ast
import hashlib
import json
import logging
import math
import os
import platform
import random
import signal
import socket
import sqlite3
import subprocess
import sys
import time
import unicodedata
import urllib.request
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlencode

os.environ["MARKET_CONFIG"] = "development"  # the app as `make run` and gunicorn serve it (not testing)

import sqlalchemy as sa  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "benchmarks" / ".data"
RESULTS = ROOT / "benchmarks" / "results"
SEED = 2026
TARGET_P95_MS = 50.0
USERS = 50
MIN_REQUESTS = 10  # requests per page even when the page's time budget is spent
STATEMENT_TIMEOUT_MS = 10_000  # PostgreSQL cancels a statement after this, so a pathological plan cannot stall a run
# Orders have four lines each on average: 250,000 orders are the 1,000,000 order lines.
SIZES = {"full": {"enterprises": 10_000, "listings": 200_000, "agencies": 500, "orders": 250_000,
                  "load_seconds": 60},
         "quick": {"enterprises": 1_000, "listings": 20_000, "agencies": 50, "orders": 25_000, "load_seconds": 10}}
# The city dashboard over a year of orders: p95 targets per database (issue #6).
TARGET_REPORTS_P95_MS = {"sqlite": 2000.0, "postgresql": 500.0}
REPORT_REQUESTS = 30  # per measurement: a dashboard aggregates the whole year, so fewer samples than a list page
MIN_REPORT_REQUESTS = 5
# The full city lives in the database `bench`, the --quick one in `bench_quick`: one never overwrites the other.
POSTGRES_URL = os.environ.get("BENCH_POSTGRES_URL", "postgresql+psycopg:///bench")
SEARCH_WORDS = ["청소", "도시락", "인쇄", "사무실 청소", "방역", "현수막", "커피", "돌봄 서비스"]


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


# --- the databases ---

def fingerprint(size: dict) -> str:
    """Changes when what shapes the generated data changes (size, seed, generator): then it is regenerated.
    New migrations do not regenerate: they are applied to the kept database, as they would be in production."""
    digest = hashlib.sha256(
        f"{size['enterprises']}/{size['listings']}/{size['agencies']}/{size['orders']}/{SEED}".encode())
    for generator in ("scale.py", "purchases.py"):
        source = (ROOT / "market" / "demo" / generator).read_text(encoding="utf-8")
        digest.update(ast.dump(ast.parse(source)).encode())  # the code, not its comments or layout
    return digest.hexdigest()[:16]


def database_url(kind: str, size: dict) -> str:
    if kind == "sqlite":
        return f"sqlite:///{DATA / 'sqlite-{enterprises}-{listings}.sqlite3'.format(**size)}"
    url = sa.engine.make_url(POSTGRES_URL)
    if size == SIZES["quick"]:
        url = url.set(database=f"{url.database}_quick")
    return url.render_as_string(hide_password=False)


def serving_url(url: str) -> str:
    """The URL the measured app uses: on PostgreSQL with a statement timeout (the request then fails: an error)."""
    parsed = sa.engine.make_url(url)
    if parsed.get_backend_name() != "postgresql":
        return url
    return parsed.update_query_dict({"options": f"-c statement_timeout={STATEMENT_TIMEOUT_MS}"}).render_as_string(
        hide_password=False)


def marker_path(kind: str, size: dict) -> Path:
    return DATA / ("{kind}-{enterprises}-{listings}.json".format(kind=kind, **size))


def make_app(url: str):
    from market import create_app

    return create_app({"SQLALCHEMY_DATABASE_URI": url, "UPLOAD_DIR": DATA / "uploads"})


def ensure_postgres_database(url: str) -> str | None:
    """Create the database when missing; returns why PostgreSQL cannot be used, or None."""
    engine = sa.create_engine(url)
    try:
        with engine.connect():
            return None
    except sa.exc.OperationalError as error:
        if "does not exist" not in str(error):
            return f"PostgreSQL is not reachable ({str(error).splitlines()[0]})"
    finally:
        engine.dispose()
    target = sa.engine.make_url(url)
    maintenance = sa.create_engine(target.set(database="postgres"), isolation_level="AUTOCOMMIT")
    try:
        with maintenance.connect() as connection:
            connection.execute(sa.text(f'CREATE DATABASE "{target.database}"'))
        log(f"created database {target.database}")
    except sa.exc.SQLAlchemyError as error:
        return f"cannot create the database {target.database} ({str(error).splitlines()[0]})"
    finally:
        maintenance.dispose()
    return None


def _fast_sqlite(dbapi_connection, _record) -> None:
    # Generation only: a benchmark database is rebuilt when it is incomplete, so durability is not needed.
    cursor = dbapi_connection.cursor()
    for pragma in ("synchronous=OFF", "journal_mode=MEMORY", "cache_size=-1000000", "temp_store=MEMORY"):
        cursor.execute(f"PRAGMA {pragma}")
    cursor.close()


def prepare_database(kind: str, size: dict, regenerate: bool) -> dict:
    """Migrate and generate the city, or reuse the one already there; returns what the database holds."""
    from flask_migrate import upgrade

    from market.core.timeutil import seoul_today
    from market.demo.purchases import generate_purchases
    from market.demo.scale import generate_city
    from market.extensions import db

    url = database_url(kind, size)
    marker = marker_path(kind, size)
    expected = fingerprint(size)
    if not regenerate and marker.exists():
        facts = json.loads(marker.read_text())
        present = kind != "sqlite" or Path(sa.engine.make_url(url).database).exists()
        if facts.get("fingerprint") == expected and present:
            app = make_app(url)
            with app.app_context():
                from market.catalog.models import Listing

                if db.session.scalar(sa.select(sa.func.count()).select_from(Listing)) == size["listings"]:
                    log(f"[{kind}] reusing the generated city ({marker.name}); applying new migrations if any")
                    db.session.remove()
                    before = _revision()
                    try:
                        upgrade()
                        seed_reference_data()
                    except Exception as error:  # e.g. an index created by hand: start again from nothing
                        log(f"[{kind}] the kept database does not migrate ({str(error).splitlines()[0]}); "
                            "generating it again")
                        db.session.remove()
                    else:
                        if _revision() != before:
                            analyze(kind, db.engine)
                        db.engine.dispose()
                        return {**facts, "reused": True}
                db.engine.dispose()
    DATA.mkdir(parents=True, exist_ok=True)
    marker.unlink(missing_ok=True)
    if kind == "sqlite":
        path = Path(sa.engine.make_url(url).database)
        for stale in (path, path.with_name(path.name + "-journal")):
            stale.unlink(missing_ok=True)
    else:
        engine = sa.create_engine(url)
        with engine.begin() as connection:
            connection.execute(sa.text("DROP SCHEMA public CASCADE"))
            connection.execute(sa.text("CREATE SCHEMA public"))
        engine.dispose()
    app = make_app(url)
    log(f"[{kind}] migrating and generating {size['enterprises']:,} enterprises, {size['listings']:,} listings, "
        f"{size['agencies']:,} agencies and {size['orders']:,} orders ...")
    started = time.perf_counter()
    with app.app_context():
        engine = db.engine
        if kind == "sqlite":
            sa.event.listen(engine, "connect", _fast_sqlite)
        upgrade()
        seed_reference_data()
        written = generate_city(enterprises=size["enterprises"], listings=size["listings"], seed=SEED)
        year = seoul_today().year - 1  # the last full year: every month has its orders
        purchases = generate_purchases(agencies=size["agencies"], orders=size["orders"], year=year, seed=SEED)
        written.update(agencies=purchases["agencies"], orders=purchases["orders"],
                       order_lines=purchases["order_lines"], targets=purchases["targets"],
                       certification_history=purchases["certifications"])
        db.session.commit()
        generated = time.perf_counter() - started
        log(f"[{kind}] generated in {generated:.0f} s; analysing ...")
        db.session.remove()
        engine.dispose()
        if kind == "sqlite":
            sa.event.remove(engine, "connect", _fast_sqlite)
        analyze(kind, engine)
        engine.dispose()
    facts = {"fingerprint": expected, "written": dict(written), "orders_year": year,
             "generation_seconds": round(generated, 1),
             "analyze_seconds": round(time.perf_counter() - started - generated, 1),
             "generated_at": datetime.now(UTC).isoformat(timespec="seconds")}
    marker.write_text(json.dumps(facts, ensure_ascii=False, indent=2))
    return {**facts, "reused": False}


def seed_reference_data() -> None:
    """What `make migrate` seeds besides the schema and the industries (which the generator seeds)."""
    from market.extensions import db

    try:
        from market.procurement.services import seed_ceilings
    except ImportError:  # not every checkout has procurement
        return
    seed_ceilings()
    db.session.commit()


def _revision() -> str:
    from market.extensions import db

    return ",".join(sorted(db.session.scalars(sa.text("SELECT version_num FROM alembic_version"))))


def analyze(kind: str, engine) -> None:
    if kind == "sqlite":
        with engine.begin() as connection:
            connection.execute(sa.text("ANALYZE"))
    else:
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            connection.execute(sa.text("VACUUM ANALYZE"))  # also sets the visibility map (index-only scans)


# --- in-process measurements ---

@contextmanager
def counting_queries(engine):
    counter = {"n": 0}

    def before(*_args) -> None:
        counter["n"] += 1

    sa.event.listen(engine, "before_cursor_execute", before)
    try:
        yield counter
    finally:
        sa.event.remove(engine, "before_cursor_execute", before)


def percentile(values: list[float], p: float) -> float:
    """Nearest-rank percentile."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(p / 100 * len(ordered)) - 1)]


def choose_targets(app) -> dict:
    """Real ids and filters from the generated city, the same for the in-process run and the load."""
    from market.accounts.models import Organization
    from market.catalog.models import Listing
    from market.catalog.services import public_enterprises, public_listings
    from market.extensions import db

    rnd = random.Random(SEED)
    with app.app_context():
        listing_ids = db.session.scalars(public_listings().with_only_columns(Listing.id).order_by(Listing.id)).all()
        enterprise_ids = db.session.scalars(
            public_enterprises().with_only_columns(Organization.id).order_by(Organization.id)).all()
        per_org = sa.select(Listing.organization_id, sa.func.count().label("n")).where(
            Listing.status == "published").group_by(Listing.organization_id).subquery()
        smallest = db.session.execute(sa.select(per_org.c.organization_id, per_org.c.n).order_by(
            per_org.c.n, per_org.c.organization_id).limit(1)).first()
        largest = db.session.execute(sa.select(per_org.c.organization_id, per_org.c.n).order_by(
            per_org.c.n.desc(), per_org.c.organization_id).limit(1)).first()
    return {"listing_ids": rnd.sample(listing_ids, min(500, len(listing_ids))),
            "enterprise_ids": rnd.sample(enterprise_ids, min(500, len(enterprise_ids))),
            "words": SEARCH_WORDS, "industries": ["cleaning", "catering", "printing", "food", "education"],
            "areas": ["수송동", "나운2동", "조촌동", "옥구읍"], "kinds": ["social_enterprise", "cooperative", "village_enterprise"],
            "smallest_catalog": list(smallest), "largest_catalog": list(largest)}


def pages(targets: dict) -> list[tuple[str, object]]:
    """(label, url or function of the request number) of every page measured in process."""
    listing_ids, enterprise_ids = targets["listing_ids"], targets["enterprise_ids"]

    def url(path: str, **params) -> str:
        return f"{path}?{urlencode(params)}" if params else path

    return [
        ("/listings?q=청소", url("/listings", q="청소")),
        ("/listings?q=도시락", url("/listings", q="도시락")),
        ("/listings?q=사무실 청소", url("/listings", q="사무실 청소")),
        ("/listings?industry=cleaning", url("/listings", industry="cleaning")),
        ("/listings?industry=catering-lunchbox", url("/listings", industry="catering-lunchbox")),
        ("/listings?category=goods&price_max=50000", url("/listings", category="goods", price_max=50000)),
        ("/listings", "/listings"),
        ("/enterprises?q=청소", url("/enterprises", q="청소")),
        ("/enterprises?industry=cleaning&type=social_enterprise",
         url("/enterprises", industry="cleaning", type="social_enterprise")),
        ("/enterprises?area=수송동", url("/enterprises", area="수송동")),
        ("/enterprises", "/enterprises"),
        ("/listings/<id>", lambda i: f"/listings/{listing_ids[i % len(listing_ids)]}"),
        ("/enterprises/<id>", lambda i: f"/enterprises/{enterprise_ids[i % len(enterprise_ids)]}"),
        ("/statistics", "/statistics"),
        ("/healthz", "/healthz"),
    ]


class _Raised(logging.Handler):
    """Remembers the exceptions the app logs (its error handler turns them into a 500 page)."""

    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.seen: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        if record.exc_info and record.exc_info[1] is not None:
            error = record.exc_info[1]
            self.seen.append(f"{type(error).__name__}: {error}".splitlines()[0][:300])


def measure_in_process(app, targets: dict, requests: int, budget_s: float) -> list[dict]:
    client = app.test_client()
    results = []
    with _watching(app) as watch:
        for label, target in pages(targets):
            url_for = target if callable(target) else (lambda _i, target=target: target)
            results.append(_measure(watch, label, url_for(0), lambda i: client.get(url_for(i)).status_code,
                                    requests, budget_s, TARGET_P95_MS))
        # The page above serves figures each process keeps for a minute; what computing them costs, for the record.
        kept, app.config["STATISTICS_CACHE_SECONDS"] = app.config["STATISTICS_CACHE_SECONDS"], 0
        try:
            results.append(_measure(watch, "  /statistics, computed (not kept)", "/statistics",
                                    lambda _i: client.get("/statistics").status_code, requests, budget_s, None))
        finally:
            app.config["STATISTICS_CACHE_SECONDS"] = kept
    return results


def measure_reports(app, kind: str, year: int, requests: int, budget_s: float) -> list[dict]:
    """The city dashboard over the generated year, as its city administrator sees it, and its two aggregates."""
    from market.accounts.models import Organization, OrgKind, Role, User
    from market.extensions import db
    from market.reports import queries, services
    from market.reports.models import SOCIAL_ECONOMY

    with app.app_context():
        admin_id = db.session.scalar(sa.select(User.id).join(Organization).where(
            Organization.kind == OrgKind.CITY, User.role == Role.ADMIN).order_by(User.id).limit(1))
    client = app.test_client()
    with client.session_transaction() as session:
        session["_user_id"], session["_fresh"] = str(admin_id), True

    def in_app(function):
        def call(_i) -> int:
            with app.app_context():
                function()
                db.session.remove()  # a request starts from an empty session: no identity map to reuse
            return 200
        return call

    target = TARGET_REPORTS_P95_MS[kind]
    requests = min(requests, REPORT_REQUESTS)
    one_kind = f"/reports/?year={year}&category=social_enterprise"
    measured = [
        (f"/reports/?year={year} (city admin)", f"/reports/?year={year}",
         lambda _i: client.get(f"/reports/?year={year}").status_code),
        (f"/reports/?year={year}&category=social_enterprise", one_kind, lambda _i: client.get(one_kind).status_code),
        (f"  reports.services.city_table({year})", None, in_app(lambda: services.city_table(year))),
        (f"  reports.queries.monthly({year})", None, in_app(lambda: queries.monthly(year, SOCIAL_ECONOMY))),
    ]
    with _watching(app) as watch:
        return [_measure(watch, label, example, call, requests, budget_s, target, MIN_REPORT_REQUESTS)
                for label, example, call in measured]


@contextmanager
def _watching(app):
    """The engine to count statements on and the exceptions the app logs while measuring."""
    from market.extensions import db

    handler = _Raised()
    app.logger.addHandler(handler)
    app.logger.disabled = False  # Alembic's logging set-up (upgrade() in this process) disables existing loggers
    with app.app_context():
        engine = db.engine
    try:
        yield {"engine": engine, "raised": handler.seen}
    finally:
        app.logger.removeHandler(handler)


def _measure(watch: dict, label: str, example, call, requests: int, budget_s: float, target_ms: float,
             min_requests: int = MIN_REQUESTS) -> dict:
    """p50/p95/max and statements of `call(i)` (which returns an HTTP status), after a warm-up; no target
    (None): measured for information."""
    raised = watch["raised"]
    warm_until = time.monotonic() + budget_s / 4
    for i in range(5):  # warm the caches and the template compiler
        call(i)
        if time.monotonic() > warm_until:
            break
    timings, cpu, queries, errors, first_error = [], [], [], 0, None
    raised.clear()
    deadline = time.monotonic() + budget_s
    with counting_queries(watch["engine"]) as counter:
        for i in range(requests):
            if i >= min_requests and time.monotonic() > deadline:
                break  # a page far over its target needs no 200 samples to show it
            if i >= 3 and errors == i:
                break  # failing every time (e.g. the statement timeout): that is the finding
            counter["n"] = 0
            started, started_cpu = time.perf_counter(), time.thread_time()
            status = call(i)
            timings.append((time.perf_counter() - started) * 1000)
            cpu.append((time.thread_time() - started_cpu) * 1000)
            queries.append(counter["n"])
            if status != 200:
                errors += 1
                first_error = first_error or (raised[0] if raised else f"HTTP {status}")
    row = {"page": label, "example": example, "requests": len(timings), "target_p95_ms": target_ms,
           "p50_ms": round(percentile(timings, 50), 2), "p95_ms": round(percentile(timings, 95), 2),
           "max_ms": round(max(timings), 2), "mean_ms": round(sum(timings) / len(timings), 2),
           # CPU time of the request's thread: Python, Jinja and (on SQLite only) the database engine.
           # Unlike the clock, it does not grow when other processes compete for the CPUs.
           "cpu_p50_ms": round(percentile(cpu, 50), 2), "cpu_p95_ms": round(percentile(cpu, 95), 2),
           "queries_min": min(queries), "queries_max": max(queries), "errors": errors, "first_error": first_error}
    row["ok"] = (target_ms is None or row["p95_ms"] <= target_ms) and errors == 0
    log(f"  {label}: p50 {row['p50_ms']} ms, p95 {row['p95_ms']} ms, {row['queries_max']} queries")
    return row


def measure_query_growth(app, targets: dict) -> list[dict]:
    """Statements per page at PAGE_SIZE 10 and 50, and for the smallest and the largest enterprise catalog."""
    from market.extensions import db

    client = app.test_client()
    with app.app_context():
        engine = db.engine
    default = app.config["PAGE_SIZE"]

    def statements(url: str) -> tuple[int, int]:
        client.get(url)
        with counting_queries(engine) as counter:
            status = client.get(url).status_code
        return counter["n"], status

    rows = []
    for label, target in pages(targets):
        if callable(target) or not target.startswith(("/listings", "/enterprises")):
            continue
        counts = {}
        for size in (10, 50):
            app.config["PAGE_SIZE"] = size
            counts[size] = statements(target)
        app.config["PAGE_SIZE"] = default
        rows.append(_growth(label, "PAGE_SIZE 10 vs 50", counts[10], counts[50]))
    (small_id, small_n), (large_id, large_n) = targets["smallest_catalog"], targets["largest_catalog"]
    rows.append(_growth("/enterprises/<id>", f"catalog of {small_n} vs {large_n} listings",
                        statements(f"/enterprises/{small_id}"), statements(f"/enterprises/{large_id}")))
    return rows


def _growth(page: str, compare: str, small: tuple[int, int], large: tuple[int, int]) -> dict:
    answered = small[1] == large[1] == 200
    return {"page": page, "compare": compare, "small": small[0], "large": large[0],
            "statuses": [small[1], large[1]], "answered": answered, "ok": answered and small[0] == large[0]}


# --- the load test ---

def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_for(url: str, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return True
        except OSError:
            pass
        time.sleep(0.3)
    return False


def load_test(kind: str, url: str, targets: dict, seconds: int, users: int) -> dict:
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    targets_file = DATA / f"load-{kind}.json"
    targets_file.write_text(json.dumps(targets, ensure_ascii=False))
    csv_prefix = DATA / f"locust-{kind}"
    env = {**os.environ, "DATABASE_URL": url, "MARKET_CONFIG": "development", "BENCH_TARGETS": str(targets_file)}
    server_command = [sys.executable, "-m", "gunicorn", "-w", "2", "--threads", "4", "-b", f"127.0.0.1:{port}",
                      "--graceful-timeout", "5", "wsgi:app"]
    with open(DATA / f"gunicorn-{kind}.log", "w") as server_log:
        server = subprocess.Popen(server_command, cwd=ROOT, env=env, stdout=server_log, stderr=subprocess.STDOUT)
        try:
            if not wait_for(f"{base}/healthz", 60):
                return {"error": f"gunicorn did not answer /healthz within 60 s (see {server_log.name})"}
            log(f"[{kind}] load: {users} users for {seconds} s against {base} ...")
            command = [sys.executable, "-m", "locust", "-f", str(ROOT / "benchmarks" / "locustfile.py"), "--headless",
                       "--users", str(users), "--spawn-rate", str(users), "--run-time", f"{seconds}s",
                       "--host", base, "--csv", str(csv_prefix), "--only-summary", "--stop-timeout", "5",
                       "--loglevel", "WARNING"]
            finished = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True,
                                      timeout=seconds + 120)
            stats = csv_prefix.with_name(csv_prefix.name + "_stats.csv")
            if not stats.exists():
                return {"error": f"locust wrote no statistics: {finished.stderr.strip()[-500:]}"}
            return {"server": " ".join(server_command[2:]), "server_revision": git_revision(),
                    "users": users, "seconds": seconds,
                    "think_time_s": float(os.environ.get("BENCH_WAIT", "0")), **read_locust_stats(stats),
                    "server_errors": server_errors(Path(server_log.name))}
        finally:
            server.send_signal(signal.SIGTERM)
            try:
                server.wait(timeout=30)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait()


def server_errors(log_path: Path) -> list[str]:
    """The distinct exceptions gunicorn's workers logged (the last line of each traceback), at most 5."""
    import re

    text = log_path.read_text(errors="replace") if log_path.exists() else ""
    found = re.findall(r"^(?:[\w.]+(?:Error|Exception|Timeout)\b.*)$", text, flags=re.MULTILINE)
    return list(dict.fromkeys(line[:300] for line in found))[:5]


def read_locust_stats(path: Path) -> dict:
    import csv

    endpoints, overall = [], None
    with open(path, newline="", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            figures = {"endpoint": row["Name"], "requests": int(row["Request Count"]),
                       "errors": int(row["Failure Count"]), "rps": round(float(row["Requests/s"]), 1),
                       "p50_ms": float(row["50%"]), "p95_ms": float(row["95%"]), "p99_ms": float(row["99%"]),
                       "max_ms": round(float(row["Max Response Time"]), 1)}
            if row["Name"] == "Aggregated":
                overall = figures
            else:
                endpoints.append(figures)
    return {"endpoints": endpoints, "overall": overall, "ok": bool(overall) and overall["errors"] == 0}


# --- one database ---

def machine() -> dict:
    return {"cpus": os.cpu_count(), "python": platform.python_version(), "platform": platform.platform(),
            "sqlite": sqlite3.sqlite_version, "load_average": {}}


def note_load(result: dict, moment: str) -> None:
    """The 1-minute load average: other processes on this small machine slow every figure down."""
    result["machine"]["load_average"][moment] = round(os.getloadavg()[0], 2)


def git_revision() -> str:
    try:
        head = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True,
                              check=True).stdout.strip()
        dirty = subprocess.run(["git", "status", "--porcelain"], cwd=ROOT, capture_output=True, text=True).stdout
        return head + ("+dirty" if dirty.strip() else "")
    except (OSError, subprocess.CalledProcessError):
        return "unknown"


def run_database(kind: str, mode: str, args) -> dict:
    size = SIZES[mode]
    scale = {name: size[name] for name in ("enterprises", "listings", "agencies", "orders")}
    result = {"database": kind, "mode": mode, "scale": {**scale, "seed": SEED},
              "timestamp": datetime.now(UTC).isoformat(timespec="seconds"), "revision": args.revision,
              "machine": machine(), "targets": {"in_process_p95_ms": TARGET_P95_MS, "load_errors": 0,
                                                "reports_p95_ms": TARGET_REPORTS_P95_MS[kind],
                                                "queries_per_page": "equal at PAGE_SIZE 10 and 50"}}
    url = database_url(kind, size)
    if kind == "postgresql":
        problem = ensure_postgres_database(url)
        if problem:
            return {**result, "skipped": problem}
    result["database_url"] = sa.engine.make_url(url).render_as_string(hide_password=True)
    result["data"] = prepare_database(kind, size, args.regenerate)
    url = serving_url(url)
    if kind == "postgresql":
        result["statement_timeout_ms"] = STATEMENT_TIMEOUT_MS
    app = make_app(url)
    if kind == "postgresql":
        with app.app_context():
            from market.extensions import db

            result["machine"]["postgresql"] = db.session.scalar(sa.text("SHOW server_version"))
    targets = choose_targets(app)
    log(f"[{kind}] measuring {len(pages(targets))} pages in process, {args.requests} requests each ...")
    note_load(result, "before_in_process")
    result["in_process"] = measure_in_process(app, targets, args.requests, args.page_seconds)
    result["queries_per_page"] = measure_query_growth(app, targets)
    year = result["data"]["orders_year"]
    log(f"[{kind}] measuring the city dashboard over {year} ...")
    result["reports"] = measure_reports(app, kind, year, args.requests, args.page_seconds)
    note_load(result, "after_in_process")
    if not args.skip_load:
        result["load"] = load_test(kind, url, targets, args.seconds or size["load_seconds"], args.users)
        note_load(result, "after_load")
    result["failures"] = failures(result)
    return result


def failures(result: dict) -> list[str]:
    measured = result["in_process"] + result["reports"]
    missed = [f"{row['page'].strip()}: p95 {row['p95_ms']} ms > {row['target_p95_ms']:.0f} ms" for row in measured
              if row["target_p95_ms"] is not None and row["p95_ms"] > row["target_p95_ms"]]
    missed += [f"{row['page'].strip()}: {row['errors']} non-200 responses ({row['first_error']})"
               for row in measured if row["errors"]]
    missed += [f"{row['page']}: {row['small']} vs {row['large']} statements ({row['compare']})"
               for row in result["queries_per_page"] if row["answered"] and not row["ok"]]
    load = result.get("load")
    if load and load.get("error"):
        missed.append(f"load test: {load['error']}")
    elif load and not load["ok"]:
        missed.append(f"load test: {load['overall']['errors'] if load['overall'] else '?'} errors"
                      + "".join(f"\n    server: {line}" for line in load.get("server_errors", [])))
    return missed


# --- output ---

def width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def pad(text, size: int, right: bool = False) -> str:
    text = str(text)
    fill = " " * max(0, size - width(text))
    return fill + text if right else text + fill


def table(headers: list[str], rows: list[list], numeric_from: int = 1) -> str:
    sizes = [max(width(str(h)), *(width(str(r[i])) for r in rows)) if rows else width(h) for i, h in enumerate(headers)]
    lines = ["  ".join(pad(h, sizes[i], i >= numeric_from) for i, h in enumerate(headers)),
             "  ".join("-" * s for s in sizes)]
    lines += ["  ".join(pad(c, sizes[i], i >= numeric_from) for i, c in enumerate(row)) for row in rows]
    return "\n".join(lines)


def report(result: dict) -> str:
    title = f"== {result['database']} ({result['mode']}): "
    if result.get("skipped"):
        return title + f"SKIPPED: {result['skipped']}"
    data = result["data"]
    written = data["written"]
    grams = written.get("enterprise_grams", 0) + written.get("listing_grams", 0)
    how = "reused" if data["reused"] else "generated"
    out = [title + f"{written['enterprises']:,} enterprises, {written['listings']:,} listings "
           f"({written['published']:,} published), {grams:,} search_gram rows; {how}, generation took "
           f"{data['generation_seconds']:.0f} s + {data['analyze_seconds']:.0f} s ANALYZE", ""]
    loads = result["machine"]["load_average"]
    busy = max(loads.values(), default=0) > result["machine"]["cpus"] / 2
    out.append(f"Machine: {result['machine']['cpus']} CPUs, 1-minute load average "
               + ", ".join(f"{value:g} {moment.replace('_', ' ')}" for moment, value in loads.items())
               + (" -- BUSY: other processes competed for the CPUs; the figures are pessimistic" if busy else ""))
    out.append("")
    out.append(f"In process (Flask test client, up to {max(r['requests'] for r in result['in_process'])} requests "
               f"per page, fewer for slow pages; target p95 <= {TARGET_P95_MS:.0f} ms; the city dashboard over "
               f"{written.get('order_lines', 0):,} order lines of {data['orders_year']}: "
               f"p95 <= {TARGET_REPORTS_P95_MS[result['database']]:.0f} ms)")
    out.append(table(["page", "n", "p50 ms", "p95 ms", "max ms", "cpu p50", "queries", "target", "result"], [
        [r["page"], r["requests"], f"{r['p50_ms']:.1f}", f"{r['p95_ms']:.1f}", f"{r['max_ms']:.1f}",
         f"{r['cpu_p50_ms']:.1f}",
         r["queries_max"] if r["queries_min"] == r["queries_max"] else f"{r['queries_min']}-{r['queries_max']}",
         "-" if r["target_p95_ms"] is None else f"{r['target_p95_ms']:.0f}",
         ("ok" if r["target_p95_ms"] is not None else "info") if r["ok"] else ("ERRORS" if r["errors"] else "SLOW")]
        for r in result["in_process"] + result["reports"]]))
    out.append("(cpu p50: CPU time of the request's own thread -- app and, on SQLite, the database; "
               "on PostgreSQL the server's work is not in it)")
    out += ["", "SQL statements per page (must not grow with the page)"]
    out.append(table(["page", "compared", "small", "large", "result"], [
        [r["page"], r["compare"], r["small"], r["large"],
         "ok" if r["ok"] else ("GROWS" if r["answered"] else f"HTTP {max(r['statuses'])}")]
        for r in result["queries_per_page"]], numeric_from=2))
    load = result.get("load")
    if load:
        out.append("")
        if load.get("error"):
            out.append(f"Load test: FAILED: {load['error']}")
        else:
            out.append(f"Load test (gunicorn {load['server']}; locust {load['users']} users, think time "
                       f"{load['think_time_s']:g} s, {load['seconds']} s, loopback; target 0 errors)")
            rows = load["endpoints"] + ([load["overall"]] if load["overall"] else [])
            out.append(table(["endpoint", "requests", "req/s", "p50 ms", "p95 ms", "p99 ms", "max ms", "errors"], [
                ["all" if r["endpoint"] == "Aggregated" else r["endpoint"], r["requests"], r["rps"], f"{r['p50_ms']:g}",
                 f"{r['p95_ms']:g}", f"{r['p99_ms']:g}", f"{r['max_ms']:g}", r["errors"]] for r in rows]))
    out.append("")
    missed = result["failures"]
    out.append("Targets: all met" if not missed else "Targets MISSED:\n  " + "\n  ".join(missed))
    return "\n".join(out)


def save(result: dict) -> Path:
    RESULTS.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    suffix = "-quick" if result["mode"] == "quick" else ""
    text = json.dumps(result, ensure_ascii=False, indent=2) + "\n"
    path = RESULTS / f"{result['database']}{suffix}-{stamp}.json"
    path.write_text(text, encoding="utf-8")
    (RESULTS / f"latest-{result['database']}{suffix}.json").write_text(text, encoding="utf-8")
    return path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.run", description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="1,000 enterprises, 20,000 listings, 10 s of load")
    parser.add_argument("--db", choices=("sqlite", "postgresql", "both"), default="both")
    parser.add_argument("--skip-load", action="store_true", help="only the in-process measurements")
    parser.add_argument("--regenerate", action="store_true", help="generate the city again even if it is there")
    parser.add_argument("--requests", type=int, default=200, help="requests per page in process (default 200)")
    parser.add_argument("--page-seconds", type=float, default=20.0,
                        help=f"time budget per page in process; at least {MIN_REQUESTS} requests (default 20)")
    parser.add_argument("--seconds", type=int, help="length of the load test (default 60; 10 with --quick)")
    parser.add_argument("--users", type=int, default=USERS, help=f"concurrent users of the load (default {USERS})")
    parser.add_argument("--strict", action="store_true", help="exit 1 when a target is missed")
    args = parser.parse_args(argv)
    # The code this process measures in process is what it imported now; gunicorn, started later, records its own.
    args.revision = git_revision()
    mode = "quick" if args.quick else "full"
    DATA.mkdir(parents=True, exist_ok=True)
    missed = False
    for kind in (("sqlite", "postgresql") if args.db == "both" else (args.db,)):
        result = run_database(kind, mode, args)
        if not result.get("skipped"):
            path = save(result)
            missed = missed or bool(result["failures"])
        print(report(result), flush=True)
        if not result.get("skipped"):
            print(f"(written to {path.relative_to(ROOT)})\n", flush=True)
    return 1 if args.strict and missed else 0


if __name__ == "__main__":
    sys.exit(main())
