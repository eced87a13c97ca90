"""Gunsan Social Economy Marketplace: the application factory."""
from __future__ import annotations

import logging
import os
from pathlib import Path

from flask import Flask

from config import CONFIGS


def create_app(config: str | type | dict | None = None) -> Flask:
    """Build the app. `config` is a name from config.CONFIGS, a config class, or a dict of overrides
    on top of MARKET_CONFIG (default: development)."""
    app = Flask(__name__, template_folder="../templates", static_folder="../static", instance_relative_config=False)
    overrides = config if isinstance(config, dict) else {}
    if config is None or isinstance(config, dict):
        config = os.environ.get("MARKET_CONFIG", "development")
    config_class = CONFIGS[config] if isinstance(config, str) else config
    app.config.from_object(config_class)
    app.config.update(overrides)
    config_class.init_app(app)
    Path(app.config["INSTANCE_DIR"]).mkdir(parents=True, exist_ok=True)
    if not app.debug and not app.testing:
        logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
        # Alembic 1.20 announces each of its autogenerate plugins at INFO on every command: noise.
        logging.getLogger("alembic.runtime.plugins").setLevel(logging.WARNING)
    app.logger.setLevel(logging.INFO)

    if app.config.get("TRUSTED_PROXIES"):
        from werkzeug.middleware.proxy_fix import ProxyFix

        # Behind nginx every request comes from nginx: the visitor's address (for the login limits) and scheme
        # are in the X-Forwarded-* headers it sets, trusted from that many proxies and no further.
        count = int(app.config["TRUSTED_PROXIES"])
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=count, x_proto=count)
    register_extensions(app)
    register_url_converters(app)
    register_security(app)
    register_blueprints(app)
    register_notifications()
    register_errorhandlers(app)
    register_template_helpers(app)
    register_commands(app)
    return app


def register_extensions(app: Flask) -> None:
    from market.extensions import (babel, csrf, db, limiter, login_manager, mail, migrate, select_locale,
                                   serve_sqlite_concurrently)

    _sqlite_driver_options(app)
    db.init_app(app)
    with app.app_context():
        serve_sqlite_concurrently(db.engine, app.config.get("SQLITE_JOURNAL_MODE"))
    migrate.init_app(app, db, directory=str(app.config.get("MIGRATIONS_DIR", _migrations_dir())))
    login_manager.init_app(app)
    csrf.init_app(app)
    mail.init_app(app)
    limiter.init_app(app)
    from market.core import cache, page_cache, storage

    cache.init_app(app)
    page_cache.init_app(app)
    storage.init_app(app)
    babel.init_app(app, locale_selector=select_locale)
    # Importing the models registers them on the metadata (Alembic and the tests need every table).
    from market import models  # noqa: F401
    from sqlalchemy.orm import configure_mappers

    # Backrefs (Organization.profile, .certifications) exist only once the mappers are configured: do it now,
    # not on whichever request happens to come first.
    configure_mappers()
    from market.accounts.services import load_user

    login_manager.user_loader(load_user)
    login_manager.login_view = "accounts.login"
    login_manager.login_message_category = "info"
    from flask_babel import lazy_gettext as _l

    login_manager.login_message = _l("Please log in to see this page.")


def _sqlite_driver_options(app: Flask) -> None:
    """On SQLite, how long a writer waits for another to finish (the driver's `timeout`, in seconds)."""
    if not str(app.config["SQLALCHEMY_DATABASE_URI"]).startswith("sqlite"):
        return
    options = dict(app.config.get("SQLALCHEMY_ENGINE_OPTIONS") or {})
    options["connect_args"] = {"timeout": app.config["SQLITE_BUSY_TIMEOUT"], **options.get("connect_args", {})}
    app.config["SQLALCHEMY_ENGINE_OPTIONS"] = options


def _migrations_dir() -> Path:
    return Path(__file__).resolve().parent.parent / "migrations"


def register_url_converters(app: Flask) -> None:
    from werkzeug.routing import IntegerConverter

    from market.core.params import MAX_ID

    class DatabaseId(IntegerConverter):
        """`<int:...>` capped at the database's integer range: a larger number is a 404, not a driver error."""

        def __init__(self, url_map, *args, **kwargs):
            kwargs.setdefault("max", MAX_ID)
            super().__init__(url_map, *args, **kwargs)

    app.url_map.converters["int"] = DatabaseId


def register_security(app: Flask) -> None:
    from market.core import security

    security.register(app)  # before the blueprints, which add what their pages need to the policy


def register_blueprints(app: Flask) -> None:
    from market.accounts.views import bp as accounts_bp
    from market.api.views import bp as api_bp
    from market.catalog.views import bp as catalog_bp
    from market.content.views import bp as content_bp
    from market.core.views import bp as core_bp
    from market.payments.views import bp as payments_bp
    from market.procurement.views import bp as procurement_bp
    from market.reports.views import bp as reports_bp

    app.register_blueprint(core_bp)
    app.register_blueprint(accounts_bp)
    app.register_blueprint(catalog_bp)
    app.register_blueprint(procurement_bp)
    app.register_blueprint(payments_bp)
    app.register_blueprint(content_bp)
    app.register_blueprint(api_bp)
    app.register_blueprint(reports_bp)


def register_notifications() -> None:
    """Each domain's notifications module says, when imported, who is told of its state machines' moves."""
    from market.accounts import notifications as accounts  # noqa: F401
    from market.catalog import notifications as catalog  # noqa: F401
    from market.content import notifications as content  # noqa: F401
    from market.procurement import notifications as procurement  # noqa: F401
    from market.reports import notifications as reports  # noqa: F401


def register_errorhandlers(app: Flask) -> None:
    from market.core.errors import register

    register(app)


def register_template_helpers(app: Flask) -> None:
    from market.core.templating import register
    from market.core.cache import remember
    from market.reports.services import public_statistics

    register(app)

    # The catalog's public statistics page shows the city-wide purchasing figure without importing reports;
    # it sums a year of orders, so it is kept as long as the catalog's figures.
    def purchasing_statistics():
        return remember("reports.public_statistics", app.config["STATISTICS_CACHE_SECONDS"], public_statistics)

    app.jinja_env.globals["purchasing_statistics"] = purchasing_statistics


def register_commands(app: Flask) -> None:
    from market.accounts.cli import users_cli
    from market.catalog.cli import catalog_cli, certifications_cli
    from market.content import cli as content_jobs  # noqa: F401  (registers the portal's job)
    from market.core.cli import files_cli, jobs_cli, mail_cli
    from market.demo.cli import demo_cli
    from market.procurement.cli import procurement_cli

    app.cli.add_command(users_cli)
    app.cli.add_command(mail_cli)
    app.cli.add_command(files_cli)
    app.cli.add_command(jobs_cli)
    app.cli.add_command(demo_cli)
    app.cli.add_command(catalog_cli)
    app.cli.add_command(certifications_cli)
    app.cli.add_command(procurement_cli)
