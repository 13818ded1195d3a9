"""Configuration classes, read from environment variables.

Secrets are checked in the application factory (``Config.validate``), never at import time.
"""

import os
import re
import tempfile
from datetime import timedelta
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent
INSTANCE_DIR = BASE_DIR / "instance"


def _env_int(name: str, default: int) -> int:
    """Read an integer environment variable, falling back to a default."""
    value = os.environ.get(name)
    return int(value) if value else default


class ConfigError(RuntimeError):
    """Raised when the configuration cannot run safely."""


class Config:
    """Settings shared by every environment."""

    ENV_NAME = "base"
    SECRET_KEY = os.environ.get("SECRET_KEY")
    SQLALCHEMY_DATABASE_URI: str | None = None  # set when the configuration is made (see database_url)
    SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True}

    SERVICE_NAME = "Report a crime and get support"
    # The organisation that runs the service, named in the header and footer. This is not a service on GOV.UK, so
    # it carries no crown, GOV.UK logotype or Crown copyright. The default is a made-up name for demonstrations, not
    # a real force's; ORGANISATION_LOGO is a file in static/ drawn light on the dark header, or empty for none.
    ORGANISATION_NAME = os.environ.get("ORGANISATION_NAME", "Demonstration Police Service")
    ORGANISATION_LOGO = os.environ.get("ORGANISATION_LOGO", "images/organisation-logo.svg")
    # Where fraud, scams and cyber crime are reported instead (the national service), linked from the fraud page.
    FRAUD_REPORTING_URL = os.environ.get("FRAUD_REPORTING_URL", "https://www.actionfraud.police.uk/")
    # For people who asked for messages from a name that does not mention the police: the words neutral emails
    # use instead of SERVICE_NAME (translated), and the From header they are sent with. Unset, the neutral sender
    # is MAIL_DEFAULT_SENDER's address under the neutral name: "Online account" <no-reply@...>.
    NEUTRAL_SERVICE_NAME = os.environ.get("NEUTRAL_SERVICE_NAME", "Online account")
    MAIL_NEUTRAL_SENDER = os.environ.get("MAIL_NEUTRAL_SENDER") or None
    # Where the "Exit this page" button finally lands: a neutral, busy site.
    EXIT_PAGE_URL = os.environ.get("EXIT_PAGE_URL", "https://www.bbc.co.uk/weather")
    CRIME_NUMBER_PREFIX = os.environ.get("CRIME_NUMBER_PREFIX", "CR")
    # Information reports (lost property: not a crime) get a reference number of their own: IR-26-0001234-X.
    INFORMATION_REPORT_PREFIX = os.environ.get("INFORMATION_REPORT_PREFIX", "IR")

    MAIL_SERVER = os.environ.get("MAIL_SERVER", "127.0.0.1")
    MAIL_PORT = _env_int("MAIL_PORT", 1025)
    MAIL_USE_TLS = os.environ.get("MAIL_USE_TLS", "") == "1"
    MAIL_USERNAME = os.environ.get("MAIL_USERNAME")
    MAIL_PASSWORD = os.environ.get("MAIL_PASSWORD")
    MAIL_DEFAULT_SENDER = os.environ.get("MAIL_DEFAULT_SENDER", "no-reply@portal.example.org")
    MAIL_TIMEOUT_SECONDS = _env_int("MAIL_TIMEOUT_SECONDS", 10)
    # Links in emails must be absolute; the request host is not trusted for that.
    PUBLIC_BASE_URL = os.environ.get("PUBLIC_BASE_URL", "http://127.0.0.1:5000")
    DEV_MAILBOX_DIR = os.environ.get("DEV_MAILBOX_DIR", str(INSTANCE_DIR / "mailbox"))
    DEV_MAIL_VIEWER = False

    # GOV.UK Notify, the production provider for email, text messages and letters (portal/notifications/notify.py).
    # Unset, email goes by SMTP and texts and letters to the development mailbox. Two Notify services: the usual
    # one, and a neutral one whose name and templates never mention the police, for people who asked for that.
    NOTIFY_API_KEY = os.environ.get("NOTIFY_API_KEY") or None
    NOTIFY_NEUTRAL_API_KEY = os.environ.get("NOTIFY_NEUTRAL_API_KEY") or None
    NOTIFY_BASE_URL = os.environ.get("NOTIFY_BASE_URL", "https://api.notifications.service.gov.uk")
    NOTIFY_EMAIL_TEMPLATE_ID = os.environ.get("NOTIFY_EMAIL_TEMPLATE_ID") or None
    NOTIFY_SMS_TEMPLATE_ID = os.environ.get("NOTIFY_SMS_TEMPLATE_ID") or None
    NOTIFY_SMS_SENDER_ID = os.environ.get("NOTIFY_SMS_SENDER_ID") or None
    NOTIFY_NEUTRAL_EMAIL_TEMPLATE_ID = os.environ.get("NOTIFY_NEUTRAL_EMAIL_TEMPLATE_ID") or None
    NOTIFY_NEUTRAL_SMS_TEMPLATE_ID = os.environ.get("NOTIFY_NEUTRAL_SMS_TEMPLATE_ID") or None
    NOTIFY_NEUTRAL_SMS_SENDER_ID = os.environ.get("NOTIFY_NEUTRAL_SMS_SENDER_ID") or None
    # The bearer token Notify sends with its delivery receipts (set in both Notify services' callback settings).
    NOTIFY_CALLBACK_TOKEN = os.environ.get("NOTIFY_CALLBACK_TOKEN") or None
    # Refused receipts (a wrong or missing token) are counted against this; Notify's own are never throttled.
    NOTIFY_CALLBACK_RATE_LIMIT = os.environ.get("NOTIFY_CALLBACK_RATE_LIMIT", "20 per minute;200 per hour")
    # The share of victims who were not referred that get cope-and-recover check-ins for comparison (issue 24).
    COMPARISON_SAMPLE_RATE = 0.10

    # Several app processes share rate-limit counts through Redis when REDIS_URL is set (sessions are signed
    # cookies, so they need no shared store).
    REDIS_URL = os.environ.get("REDIS_URL") or None
    RATELIMIT_STORAGE_URI = os.environ.get("RATELIMIT_STORAGE_URI") or REDIS_URL or "memory://"
    # Only load tests and benchmarks on loopback turn limits off (one address sends every request).
    RATELIMIT_ENABLED = os.environ.get("RATELIMIT_ENABLED", "true") != "false"
    RATELIMIT_HEADERS_ENABLED = True
    LOGIN_RATE_LIMIT = "10 per minute;50 per hour"
    REGISTER_RATE_LIMIT = "5 per minute;30 per hour"
    RESET_RATE_LIMIT = "5 per minute;30 per hour"
    REPORT_RATE_LIMIT = "5 per minute;20 per day"
    # New reports started and files uploaded from one address by people who are not signed in (signed-in
    # accounts, charity partners reporting for others among them, are not counted).
    DRAFT_RATE_LIMIT = "10 per hour"
    UPLOAD_RATE_LIMIT = "20 per hour"
    # Redeeming a witness code, by any route: counted per address and, when signed in, per account.
    JOIN_CODE_RATE_LIMIT = "10 per hour"
    # Links to an unfinished report sent to guests, and codes to follow a case asked for, per address.
    RESUME_LINK_RATE_LIMIT = "5 per hour"
    TRACK_CODE_RATE_LIMIT = "20 per hour"
    # Anonymous feedback sent from one address.
    FEEDBACK_RATE_LIMIT = "5 per minute;30 per day"
    # Generated cases `flask demo-data` loads for the insight pages (portal/devtools/demo.py).
    DEMO_VOLUME = _env_int("DEMO_VOLUME", 3000)
    # How many proxies in front of the app may be believed about the client's address (X-Forwarded-For) and
    # scheme. 0 (the default) believes none: set it to the number of proxies you run, never more.
    TRUSTED_PROXY_HOPS = _env_int("TRUSTED_PROXY_HOPS", 0)

    WTF_CSRF_TIME_LIMIT = None  # the token lives as long as the session
    # Room for one 10 MB evidence file plus the rest of the form.
    MAX_CONTENT_LENGTH = 11 * 1024 * 1024
    EVIDENCE_MAX_BYTES = 10 * 1024 * 1024
    EVIDENCE_MAX_DRAFT_BYTES = 25 * 1024 * 1024  # all the files on one report, as kept
    EVIDENCE_MAX_PIXELS = 25_000_000  # a 6000 x 4000 phone photo fits
    # The most memory decoding and cleaning one image may take, worked out from its header before it is decoded.
    EVIDENCE_MAX_DECODE_BYTES = 200 * 1024 * 1024
    EVIDENCE_DIR = os.environ.get("EVIDENCE_DIR")  # default: instance/evidence, never under static/
    MAX_FORM_MEMORY_SIZE = 500 * 1024

    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    # Only a production-like run on loopback over plain HTTP (make serve) turns these off.
    SESSION_COOKIE_SECURE = os.environ.get("HTTPS_ONLY", "true") != "false"
    REMEMBER_COOKIE_DURATION = timedelta(0)
    # The session cookie is written only when the session changes (every page notes the time of activity), never
    # on a stylesheet, script or image. Otherwise an asset that was still loading when the person pressed "Exit
    # this page" or signed out would answer afterwards with the old cookie and sign them back in.
    SESSION_REFRESH_EACH_REQUEST = False
    SESSION_IDLE_MINUTES = 30
    SESSION_WARNING_MINUTES = 25
    # However active, a signed-in session ends this long after signing in (the server keeps a record of each).
    SESSION_MAX_HOURS = 12
    # Back-off per account (by email address) after wrong passwords or codes: free tries within the window, then
    # a wait that starts at a minute and doubles with each further failure, up to the longest. Never a lock.
    BACKOFF_FREE_FAILURES = 5
    BACKOFF_WINDOW_MINUTES = 15
    BACKOFF_FIRST_WAIT_SECONDS = 60
    BACKOFF_LONGEST_WAIT_MINUTES = 15
    # After this many failures in a day the account holder is told.
    BACKOFF_TELL_AFTER_DAILY = 10
    PERMANENT_SESSION_LIFETIME = timedelta(minutes=SESSION_IDLE_MINUTES)
    FORCE_HTTPS = os.environ.get("HTTPS_ONLY", "true") != "false"

    # Argon2id parameters. Changing them makes the next successful log-in rehash the password.
    ARGON2_TIME_COST = 3
    ARGON2_MEMORY_COST = 65536
    ARGON2_PARALLELISM = 4

    VERIFY_EMAIL_TOKEN_HOURS = 48
    RESET_PASSWORD_TOKEN_MINUTES = 60
    TOTP_ISSUER = "Victim and witness portal"

    BABEL_DEFAULT_LOCALE = "en"
    BABEL_DEFAULT_TIMEZONE = "Europe/London"

    OUTBOX_MAX_BACKOFF_SECONDS = _env_int("OUTBOX_MAX_BACKOFF_SECONDS", 3600)
    # With background workers: how often the scheduler sweeps the outbox for retries and anything not yet sent.
    OUTBOX_SWEEP_SECONDS = _env_int("OUTBOX_SWEEP_SECONDS", 30)
    # How long a worker holds a message it is sending. Longer than the SMTP timeout, so a live worker never
    # loses its claim; a worker that died releases the message when this runs out.
    OUTBOX_LEASE_SECONDS = _env_int("OUTBOX_LEASE_SECONDS", 120)
    # Sent emails are deleted after this many days (they hold email addresses; the case timeline keeps the rest).
    OUTBOX_KEEP_DAYS = _env_int("OUTBOX_KEEP_DAYS", 90)

    # The bare baseline page the load benchmark compares every endpoint with (off unless asked for).
    BENCHMARK_BASELINE = os.environ.get("BENCHMARK_BASELINE") == "1"

    def __init__(self) -> None:
        """The database is read from the environment when the configuration is made, not when this module is
        imported, so a DATABASE_URL exported later (as the README suggests) is the one used."""
        self.SQLALCHEMY_DATABASE_URI = self.database_url()

    def database_url(self) -> str | None:
        """Where the database is: DATABASE_URL."""
        return os.environ.get("DATABASE_URL")

    def validate(self) -> None:
        """Refuse to run without what this environment needs."""
        if not self.SECRET_KEY:
            raise ConfigError("SECRET_KEY is not set.")
        if not self.SQLALCHEMY_DATABASE_URI:
            raise ConfigError("DATABASE_URL is not set.")
        if not re.fullmatch(r"[A-Z]{1,4}", self.CRIME_NUMBER_PREFIX or ""):
            raise ConfigError("CRIME_NUMBER_PREFIX must be 1 to 4 capital letters.")
        if not re.fullmatch(r"[A-Z]{1,4}", self.INFORMATION_REPORT_PREFIX or "") \
                or self.INFORMATION_REPORT_PREFIX == self.CRIME_NUMBER_PREFIX:
            raise ConfigError("INFORMATION_REPORT_PREFIX must be 1 to 4 capital letters, other than the crime "
                              "number's.")


class DevelopmentConfig(Config):
    """Local development: SQLite under instance/, mail to a local sink, readable in the browser."""

    ENV_NAME = "development"
    SECRET_KEY = os.environ.get("SECRET_KEY", "development-only-secret-key-not-for-production")
    SESSION_COOKIE_SECURE = False
    FORCE_HTTPS = False
    DEV_MAIL_VIEWER = True

    def database_url(self) -> str:
        """DATABASE_URL, or a SQLite file under instance/."""
        return os.environ.get("DATABASE_URL") or f"sqlite:///{INSTANCE_DIR / 'portal.db'}"


class TestingConfig(Config):
    """The test suite: a database URL from TEST_DATABASE_URL or a SQLite file chosen by the fixture."""

    ENV_NAME = "testing"
    TESTING = True
    SECRET_KEY = "testing-secret-key"  # noqa: S105 - tests only
    # The PostgreSQL pass runs with Redis (shared rate limits, jobs handed to RQ); the SQLite pass without.
    REDIS_URL = os.environ.get("TEST_REDIS_URL") or None
    RATELIMIT_STORAGE_URI = REDIS_URL or "memory://"
    SESSION_COOKIE_SECURE = False
    FORCE_HTTPS = False
    # Never a real provider; a test that wants Notify points these at the local fake (tests/fake_notify.py), and
    # one that reads texts and letters gives the app a mailbox folder of its own.
    NOTIFY_API_KEY = NOTIFY_NEUTRAL_API_KEY = NOTIFY_CALLBACK_TOKEN = None
    DEV_MAILBOX_DIR = str(Path(tempfile.gettempdir()) / f"portal-test-mailbox-{os.getpid()}")
    # Limits stay on (Flask-Limiter's switch is global to the process), but high enough not to trip;
    # the rate-limit tests lower them on the app for a moment.
    LOGIN_RATE_LIMIT = "10000 per minute"
    REGISTER_RATE_LIMIT = "10000 per minute"
    RESET_RATE_LIMIT = "10000 per minute"
    REPORT_RATE_LIMIT = "10000 per minute"
    DRAFT_RATE_LIMIT = "10000 per minute"
    UPLOAD_RATE_LIMIT = "10000 per minute"
    JOIN_CODE_RATE_LIMIT = "10000 per minute"
    RESUME_LINK_RATE_LIMIT = "10000 per minute"
    TRACK_CODE_RATE_LIMIT = "10000 per minute"
    FEEDBACK_RATE_LIMIT = "10000 per minute"
    # Nobody is drawn for the comparison sample unless a test asks (tests/integration/test_comparison_sample.py), so
    # tests about other check-ins and emails do not depend on chance.
    COMPARISON_SAMPLE_RATE = 0.0
    DEMO_VOLUME = 0  # the demo-data tests run it often; tests/integration/test_demo_volume.py loads the real 3,000
    MAIL_PORT = _env_int("TEST_MAIL_PORT", 0)  # a worker process started by a test is told its sink
    MAIL_SUPPRESS_SEND = False  # tests deliver to a real aiosmtpd server
    PUBLIC_BASE_URL = "http://localhost"
    # Cheap hashing keeps the suite quick; production parameters are tested separately.
    ARGON2_TIME_COST = 1
    ARGON2_MEMORY_COST = 8
    ARGON2_PARALLELISM = 1

    def database_url(self) -> str:
        """TEST_DATABASE_URL, or an in-memory SQLite database (the fixtures choose a file). Never DATABASE_URL:
        the tests empty the database they run on."""
        return os.environ.get("TEST_DATABASE_URL") or "sqlite://"


class ProductionConfig(Config):
    """Production: every secret from the environment, nothing defaulted."""

    ENV_NAME = "production"


CONFIGS = {
    "development": DevelopmentConfig,
    "testing": TestingConfig,
    "production": ProductionConfig,
}


def config_from_env() -> type[Config]:
    """Choose a configuration class from PORTAL_ENV (default: development)."""
    name = os.environ.get("PORTAL_ENV", "development")
    try:
        return CONFIGS[name]
    except KeyError:
        raise ConfigError(f"PORTAL_ENV must be one of {', '.join(CONFIGS)}, not {name!r}.") from None
