"""The house's shared pieces: health, error pages, configuration, money, the outbox and its delivery."""
from __future__ import annotations

import io

import pytest

from config import ProductionConfig
from market import create_app
from market.core.mail import deliver_pending, queue_mail
from market.core.money import format_krw, vat_on
from market.extensions import db


def test_healthz_reports_database_ok(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok", "database": "ok",
                                   "outbox": {"pending": 0, "oldest_pending_seconds": None, "given_up": 0}}


def test_unknown_page_is_a_friendly_404_in_korean(client):
    response = client.get("/no-such-page")
    assert response.status_code == 404
    assert "페이지를 찾을 수 없습니다" in response.get_data(as_text=True)


def test_english_is_available(client):
    client.post("/language/en")
    response = client.get("/no-such-page")
    assert "Page not found" in response.get_data(as_text=True)


def test_unexpected_error_shows_no_stack_trace(database_url):
    app = create_app({"SQLALCHEMY_DATABASE_URI": database_url, "PROPAGATE_EXCEPTIONS": False})

    @app.route("/boom")
    def boom():
        raise RuntimeError("secret internals")

    response = app.test_client().get("/boom")
    body = response.get_data(as_text=True)
    assert response.status_code == 500
    assert "secret internals" not in body and "Traceback" not in body


def test_production_refuses_to_start_without_a_real_secret_key(monkeypatch):
    monkeypatch.setattr(ProductionConfig, "SECRET_KEY", "dev-only-insecure-key")
    monkeypatch.setenv("DATABASE_URL", "sqlite://")
    with pytest.raises(RuntimeError, match="SECRET_KEY"):
        create_app("production")


def test_production_refuses_to_start_without_a_database_url(monkeypatch):
    monkeypatch.setattr(ProductionConfig, "SECRET_KEY", "x" * 40)
    monkeypatch.delenv("DATABASE_URL", raising=False)
    with pytest.raises(RuntimeError, match="DATABASE_URL"):
        create_app("production")


def test_production_cookies_are_secure(monkeypatch):
    monkeypatch.setattr(ProductionConfig, "SECRET_KEY", "x" * 40)
    monkeypatch.setenv("DATABASE_URL", "sqlite://")
    app = create_app("production")
    assert app.config["SESSION_COOKIE_SECURE"] and app.config["REMEMBER_COOKIE_SECURE"]
    assert app.config["SESSION_COOKIE_HTTPONLY"]


def test_vat_is_integer_won_rounded_down():
    assert vat_on(55_555) == 5_555
    with pytest.raises(TypeError):
        vat_on(100.0)


def test_won_are_written_the_korean_way():
    assert format_krw(1_234_000) == "1,234,000원"
    assert format_krw(1_234_000, "en") == "₩1,234,000"


def test_outbox_delivery_logs_without_smtp_and_marks_sent(app, outbox):
    with app.test_request_context():
        queue_mail("someone@example.kr", "accounts/password_reset", "ko",
                   user=type("U", (), {"name": "홍길동"})(), url="http://x/reset", minutes=60)
        db.session.commit()
        assert deliver_pending() == (1, 0)
        assert outbox()[0].sent_at is not None
        assert deliver_pending() == (0, 0)


def test_outbox_delivery_over_smtp(app, outbox):
    from market.extensions import mail

    app.config["MAIL_SERVER"] = "smtp.example.kr"
    try:
        with app.test_request_context(), mail.record_messages() as sent:
            queue_mail("someone@example.kr", "accounts/password_reset", "en",
                       user=type("U", (), {"name": "Hong"})(), url="http://x/reset", minutes=60)
            db.session.commit()
            assert deliver_pending() == (1, 0)
        assert sent[0].recipients == ["someone@example.kr"]
        assert "Set a new password" in sent[0].subject
    finally:
        app.config["MAIL_SERVER"] = None


def test_mail_send_command(app, outbox):
    with app.test_request_context():
        queue_mail("someone@example.kr", "accounts/password_reset", "ko",
                   user=type("U", (), {"name": "홍길동"})(), url="http://x/reset", minutes=60)
        db.session.commit()
    result = app.test_cli_runner().invoke(args=["mail", "send"])
    assert "sent 1, failed 0" in result.output


def test_an_id_beyond_the_database_range_is_a_404(client):
    assert client.get("/listings/99999999999999999999").status_code == 404
    assert client.get("/enterprises/2147483648").status_code == 404


def test_a_fresh_process_serves_the_directory_on_its_first_request(tmp_path):
    """Backrefs such as Organization.profile exist only after the mappers are configured; the app factory
    does it, so the first request of a new worker does not fail."""
    import subprocess
    import sys

    script = (
        "import os; os.environ['MARKET_CONFIG'] = 'testing'\n"
        "from market import create_app\nfrom market.extensions import db\n"
        f"app = create_app({{'SQLALCHEMY_DATABASE_URI': 'sqlite:///{tmp_path}/fresh.sqlite3'}})\n"
        "from market.catalog.services import directory_query\n"
        "with app.app_context():\n"
        "    db.create_all()\n"
        "    print(directory_query().compile() is not None)\n"
    )
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, cwd=str(
        __import__("pathlib").Path(__file__).resolve().parent.parent))
    assert result.returncode == 0, result.stderr


def test_a_table_file_does_not_let_a_spreadsheet_run_a_typed_formula(app):
    import csv
    import io

    from openpyxl import load_workbook

    from market.core import tables

    with app.test_request_context():
        csv_file = tables.download("csv", "t.csv", ["이름"], [["=HYPERLINK(\"x\")", -5, "군산"]])
        xlsx_file = tables.download("xlsx", "t.xlsx", ["이름"], [["@SUM(A1)", -5, "군산"]])
        text = csv_file.get_data().decode("utf-8-sig")
    assert list(csv.reader(io.StringIO(text))) == [["이름"], ["'=HYPERLINK(\"x\")", "-5", "군산"]]
    sheet = load_workbook(io.BytesIO(xlsx_file.get_data())).active
    assert [cell.value for cell in sheet[2]] == ["'@SUM(A1)", -5, "군산"]


def test_an_upload_over_the_size_limit_gets_a_page_saying_the_limit_with_a_way_back(as_user, world, app,
                                                                                        monkeypatch):
    monkeypatch.setitem(app.config, "MAX_CONTENT_LENGTH", 1024 * 1024)
    browser = as_user(world.users.enterprise_a)
    browser.post("/language/en")
    form = f"http://localhost/catalog/listings/{world.listing_a.id}/edit"
    response = browser.post(f"/catalog/listings/{world.listing_a.id}/images", data={"image": (io.BytesIO(
        b"x" * (2 * 1024 * 1024)), "big.jpg")}, headers={"Referer": form})
    html = response.get_data(as_text=True)
    assert response.status_code == 413
    assert "larger than 1 MB" in html and f'href="{form}">Go back</a>' in html
    assert '<nav' in html, "in the site's layout"


def test_the_way_back_from_a_too_large_upload_never_leaves_the_site(as_user, world, app, monkeypatch):
    monkeypatch.setitem(app.config, "MAX_CONTENT_LENGTH", 1024)
    response = as_user(world.users.enterprise_a).post(
        f"/catalog/listings/{world.listing_a.id}/images", data={"image": (io.BytesIO(b"x" * 4096), "big.jpg")},
        headers={"Referer": "https://evil.example/"})
    assert response.status_code == 413 and "evil.example" not in response.get_data(as_text=True)
