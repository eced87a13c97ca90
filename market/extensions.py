"""Every Flask extension, created once and bound to the app in `create_app`."""
from __future__ import annotations

import sqlite3

from flask import has_request_context, session
from flask_babel import Babel, get_locale
from flask_caching import Cache
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager, current_user
from flask_mail import Mail
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf import CSRFProtect
from sqlalchemy import MetaData, event
from sqlalchemy.engine import Engine
from sqlalchemy.orm import DeclarativeBase

# Named constraints let Alembic alter and drop them on SQLite (batch mode) and PostgreSQL alike.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


db = SQLAlchemy(model_class=Base)
migrate = Migrate(render_as_batch=True, compare_type=True)
login_manager = LoginManager()
csrf = CSRFProtect()
mail = Mail()
limiter = Limiter(get_remote_address)
cache = Cache()  # configured from CACHE_URL by market.core.cache.init_app


def select_locale() -> str:
    from flask import current_app

    languages = current_app.config["LANGUAGES"]
    if not has_request_context():  # CLI commands and mail rendering choose with force_locale
        return current_app.config["BABEL_DEFAULT_LOCALE"]
    if current_user and current_user.is_authenticated and current_user.locale in languages:
        return current_user.locale
    chosen = session.get("lang")
    if chosen in languages:
        return chosen
    return current_app.config["BABEL_DEFAULT_LOCALE"]


babel = Babel()


def current_locale() -> str:
    """The language the request is read in, "ko" or "en" (what select_locale chose)."""
    return str(get_locale())


@event.listens_for(Engine, "connect")
def _sqlite_enforces_foreign_keys(dbapi_connection, connection_record) -> None:
    # PostgreSQL always checks foreign keys; SQLite only when asked, per connection.
    if isinstance(dbapi_connection, sqlite3.Connection):
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.close()


def serve_sqlite_concurrently(engine: Engine, journal_mode: str | None) -> None:
    """SQLite as a server's database: in WAL mode readers never block the writer nor the writer the readers
    (in the default rollback journal a commit waits for every reader and, under a steady read load, fails with
    "database is locked"). Writers still take turns, waiting up to the busy timeout (`SQLITE_BUSY_TIMEOUT`, set
    as the driver's `timeout`). WAL is a property of the database file: setting it again costs nothing."""
    if engine.dialect.name != "sqlite" or not journal_mode:
        return

    @event.listens_for(engine, "connect")
    def _journal_mode(dbapi_connection, connection_record) -> None:
        cursor = dbapi_connection.cursor()
        cursor.execute(f"PRAGMA journal_mode={journal_mode}")
        cursor.close()

__all__ = ["db", "migrate", "login_manager", "csrf", "mail", "limiter", "babel", "cache"]
