"""Real-browser tests: Playwright driving Debian's Chromium, headless, against a live server on loopback.

Without /usr/bin/chromium the tests are skipped with a message, except in CI (CI=true), where a missing
browser is a failure: `.ci/run` installs it.
"""
from __future__ import annotations

import os
import shutil
import threading

import pytest
from werkzeug.serving import make_server

from market import create_app

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--disable-background-networking", "--disable-component-update", "--no-first-run",
                 "--disable-sync", "--disable-gpu", "--disable-quic"]


def pytest_collection_modifyitems(config, items):
    if os.path.exists(CHROMIUM) or shutil.which(CHROMIUM):
        return
    if os.environ.get("CI"):
        raise pytest.UsageError(f"CI needs Chromium at {CHROMIUM} for the browser tests (apt-get install chromium).")
    skip = pytest.mark.skip(reason=f"browser tests skipped: no Chromium at {CHROMIUM} "
                                   "(apt-get install chromium fonts-noto-cjk to run them)")
    for item in items:
        if "browser" in item.nodeid.split("/"):
            item.add_marker(skip)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_ARGS}


@pytest.fixture(autouse=True)
def pages_keep_to_their_policy(page):
    """The app's own pages work under their Content-Security-Policy: anything it blocks fails the test
    (Chromium reports each refusal on the console)."""
    refused = []
    page.on("console", lambda message: refused.append(message.text)
            if "Content Security Policy" in message.text else None)
    yield
    assert not refused, refused


@pytest.fixture(scope="session")
def live_app(app, database_url):
    """The app served on a free loopback port, with CSRF on as in production."""
    served = create_app({"SQLALCHEMY_DATABASE_URI": database_url, "WTF_CSRF_ENABLED": True,
                         "UPLOAD_DIR": app.config["UPLOAD_DIR"], "LOGIN_RATE_LIMIT": "1000 per minute"})
    server = make_server("127.0.0.1", 0, served, threaded=True)
    served.config["SITE_URL"] = f"http://127.0.0.1:{server.server_port}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield served
    server.shutdown()


@pytest.fixture(scope="session")
def live_server(live_app):
    return live_app.config["SITE_URL"]


@pytest.fixture
def demo_city(app, db):
    from market.demo.loader import load_demo

    load_demo()  # without pictures: they cost seconds and no browser test looks at them
    db.session.commit()


@pytest.fixture
def log_in(page, live_server):
    def log_in_as(email: str, password: str = "gunsan-demo-2026"):
        page.goto(f"{live_server}/accounts/login")
        page.fill("input[name=email]", email)
        page.fill("input[name=password]", password)
        page.click("main form button[type=submit]")
        page.wait_for_url(f"{live_server}/dashboard")

    return log_in_as
