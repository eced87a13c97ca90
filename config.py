"""Configuration classes. `create_app()` picks one by name from MARKET_CONFIG (default: development)."""
from __future__ import annotations

import os
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent
INSECURE_DEV_KEY = "dev-only-insecure-key"


class Config:
    SECRET_KEY = os.environ.get("SECRET_KEY", INSECURE_DEV_KEY)
    SQLALCHEMY_DATABASE_URI = os.environ.get("DATABASE_URL", f"sqlite:///{BASE_DIR / 'instance' / 'market.sqlite3'}")
    SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True}
    # SQLite serving several requests at once: WAL, and writers wait their turn up to the busy timeout.
    SQLITE_JOURNAL_MODE = "wal"
    SQLITE_BUSY_TIMEOUT = float(os.environ.get("SQLITE_BUSY_TIMEOUT", "15"))
    INSTANCE_DIR = BASE_DIR / "instance"
    UPLOAD_DIR = Path(os.environ.get("UPLOAD_DIR", BASE_DIR / "instance" / "uploads"))
    TRUSTED_PROXIES = int(os.environ.get("TRUSTED_PROXIES", "0"))  # reverse proxies in front (nginx: 1)
    # Where uploads are kept (market/core/storage.py): local (UPLOAD_DIR), database, or s3.
    FILE_STORAGE = os.environ.get("FILE_STORAGE", "local")
    S3_BUCKET = os.environ.get("S3_BUCKET", "")
    S3_PREFIX = os.environ.get("S3_PREFIX", "")
    S3_ENDPOINT_URL = os.environ.get("S3_ENDPOINT_URL")  # an S3-compatible store other than AWS (MinIO, NCP, ...)
    S3_REGION = os.environ.get("S3_REGION")
    MAX_CONTENT_LENGTH = 20 * 1024 * 1024

    LANGUAGES = ("ko", "en")
    BABEL_DEFAULT_LOCALE = "ko"
    BABEL_DEFAULT_TIMEZONE = "Asia/Seoul"
    BABEL_TRANSLATION_DIRECTORIES = str(BASE_DIR / "market" / "translations")

    # Sessions: browsers must never send the cookie to scripts; production adds Secure (below).
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"
    WTF_CSRF_TIME_LIMIT = None  # tie the token to the session, not a clock: long forms must not expire

    # Limits are counted in RATELIMIT_STORAGE_URI: each process's memory by default, Redis (redis://host:6379/N)
    # when several processes or servers serve, so that they count together.
    RATELIMIT_STORAGE_URI = os.environ.get("RATELIMIT_STORAGE_URI", "memory://")
    RATELIMIT_KEY_PREFIX = os.environ.get("RATELIMIT_KEY_PREFIX", "market")
    # Redis down: each process counts in its own memory meanwhile (limits still hold, per process), never a 500.
    RATELIMIT_IN_MEMORY_FALLBACK_ENABLED = True
    RATELIMIT_SWALLOW_ERRORS = True
    RATELIMIT_HEADERS_ENABLED = True
    LOGIN_RATE_LIMIT = os.environ.get("LOGIN_RATE_LIMIT", "10 per minute")  # login tries from one address
    # Failed logins to one account, from any number of addresses.
    LOGIN_ACCOUNT_RATE_LIMIT = os.environ.get("LOGIN_ACCOUNT_RATE_LIMIT", "5 per minute; 20 per hour")
    PASSWORD_RESET_RATE_LIMIT = "5 per minute"
    PASSWORD_RESET_MAX_AGE = 60 * 60  # seconds a reset link stays valid
    # Sign-up, password reset and invitation answer no sooner than this, for a known address or not
    # (market.core.security.steady_answer): well above the slower path (a password hashed, rows and mail written:
    # 0.1 s on a quiet machine, 0.5 s on a busy one).
    STEADY_ANSWER_SECONDS = 1.0
    INVITATION_MAX_AGE = 7 * 24 * 60 * 60

    # Outgoing mail: the outbox is delivered by `flask mail send`; without MAIL_SERVER it is logged.
    MAIL_SERVER = os.environ.get("MAIL_SERVER")
    MAIL_PORT = int(os.environ.get("MAIL_PORT", "25"))
    MAIL_USE_TLS = os.environ.get("MAIL_USE_TLS", "") == "1"
    MAIL_USERNAME = os.environ.get("MAIL_USERNAME")
    MAIL_PASSWORD = os.environ.get("MAIL_PASSWORD")
    MAIL_DEFAULT_SENDER = os.environ.get("MAIL_DEFAULT_SENDER", "군산시 사회적경제지원센터 <noreply@gunsan-se.example.kr>")
    SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:5000")
    OUTBOX_ALERT_SECONDS = int(os.environ.get("OUTBOX_ALERT_SECONDS", "900"))  # /healthz is "degraded" past it

    PAGE_SIZE = 20
    HSTS_SECONDS = 0  # Strict-Transport-Security: production only (a local `make run` is plain HTTP)
    # The shared cache (market/core/cache.py): this process's memory unless CACHE_URL names a folder or Redis.
    CACHE_URL = os.environ.get("CACHE_URL", "simple://")
    CACHE_KEY_PREFIX = os.environ.get("CACHE_KEY_PREFIX", "market:")
    STATISTICS_CACHE_SECONDS = int(os.environ.get("STATISTICS_CACHE_SECONDS", "60"))  # the public statistics' figures
    PAGE_CACHE_SECONDS = int(os.environ.get("PAGE_CACHE_SECONDS", "30"))  # public pages for visitors without a session

    # Card payments (Stripe). Without a secret key card payment is off and bank transfer remains.
    STRIPE_SECRET_KEY = os.environ.get("STRIPE_SECRET_KEY", "")
    STRIPE_WEBHOOK_SECRET = os.environ.get("STRIPE_WEBHOOK_SECRET", "")
    STRIPE_API_BASE = os.environ.get("STRIPE_API_BASE")  # None: Stripe's own; tests point it at a fake server
    PAYMENT_CURRENCY = os.environ.get("PAYMENT_CURRENCY", "KRW")
    PLATFORM_FEE_BASIS_POINTS = int(os.environ.get("PLATFORM_FEE_BASIS_POINTS", "0"))  # 100 = 1 %

    # Open Contracting: every ocid starts with the prefix; "ocds-gunsanse" stands in until the Open
    # Contracting Partnership registers the city's own (ocds- and six characters).
    OCDS_PREFIX = os.environ.get("OCDS_PREFIX", "ocds-gunsanse")
    OCDS_PUBLISHER = os.environ.get("OCDS_PUBLISHER", "군산시 사회적경제지원센터")

    @classmethod
    def init_app(cls, app) -> None:
        """Hook for checks a configuration makes of its environment."""


class DevelopmentConfig(Config):
    DEBUG = False  # `make run` serves with the debugger off: never show a stack trace, even locally


class TestingConfig(Config):
    TESTING = True
    SECRET_KEY = "testing-key"
    SQLALCHEMY_DATABASE_URI = os.environ.get("TEST_DATABASE_URL", "sqlite:///:memory:")
    WTF_CSRF_ENABLED = False  # forms are tested directly; tests that prove CSRF turn it back on
    SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": False}  # the test database does not go away mid-run
    SQLITE_JOURNAL_MODE = None  # the throwaway test database keeps its journal in memory (tests/conftest.py)
    RATELIMIT_ENABLED = True
    MAIL_SUPPRESS_SEND = True
    SERVER_NAME = None
    STRIPE_SECRET_KEY = ""  # card payments off unless a test points them at its fake Stripe
    STRIPE_WEBHOOK_SECRET = "whsec_testing"
    STRIPE_API_BASE = None
    STATISTICS_CACHE_SECONDS = 0  # tests change the data and read the figures at once
    STEADY_ANSWER_SECONDS = 0  # the timing test sets it; the other tests need not wait
    PAGE_CACHE_SECONDS = 0


class ProductionConfig(Config):
    SESSION_COOKIE_SECURE = True
    REMEMBER_COOKIE_SECURE = True
    PREFERRED_URL_SCHEME = "https"
    HSTS_SECONDS = 365 * 24 * 60 * 60  # browsers then refuse plain HTTP to the site for a year

    @classmethod
    def init_app(cls, app) -> None:
        key = app.config.get("SECRET_KEY")
        if not key or key == INSECURE_DEV_KEY or len(key) < 32:
            raise RuntimeError("ProductionConfig needs SECRET_KEY: a random value of at least 32 characters.")
        if not os.environ.get("DATABASE_URL"):
            raise RuntimeError("ProductionConfig needs DATABASE_URL (e.g. postgresql+psycopg://user@host/db).")


CONFIGS = {
    "development": DevelopmentConfig,
    "testing": TestingConfig,
    "production": ProductionConfig,
}
