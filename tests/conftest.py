"""Shared fixtures: one app and schema per run (built by the migrations), and a clean database for each test.

Tests live in tiers, one folder each, and carry the folder's marker: `unit` (no app, no database),
`integration` (the app and its database, each test rolled back), `system` (real servers and processes:
gunicorn, PostgreSQL, Redis, workers, faults) and `browser` (Chromium). An integration test runs inside a
transaction that is rolled back at its end; one that needs real commits (threads, a second app, the database's
own catalogue) is marked `commits`, and every table is emptied after it instead, as for system and browser tests.
"""

import gc
import os
import secrets
import socket
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager

import flask_migrate
import jinja2
import jinja2.bccache
import pytest
from flask import Flask
from flask.testing import FlaskClient
from hypothesis import settings
from itsdangerous import URLSafeTimedSerializer
from sqlalchemy import MetaData, inspect, text

from config import TestingConfig
from portal.app import create_app
from portal.auth import session_records
from portal.auth.models import User
from portal.auth.roles import Role
from portal.auth.sessions import SESSION_RECORD_KEY
from portal.clock import utcnow
from portal.extensions import db
from tests.factories import UserFactory
from tests.paths import MIGRATIONS

# Seeded by the migrations and kept between tests.
REFERENCE_TABLES = frozenset({"crime_categories"})

# Property tests (hypothesis) try every example they ask for in `make test`, which gates every change. The fast tier
# (`make test-fast` sets TEST_TIER=fast) tries a third of them, at least five: the same tests and strategies, fewer
# random draws, for the loop a developer runs between changes.
FAST_TIER = os.environ.get("TEST_TIER") == "fast"
settings.register_profile("fast", max_examples=34)
if FAST_TIER:
    settings.load_profile("fast")


def examples(count: int) -> int:
    """How many examples a property test that asks for `count` tries in this tier."""
    return max(5, count // 3) if FAST_TIER else count


def pytest_report_header(config):
    """Say which database this run uses, and whether Redis is there."""
    return (f"database: {os.environ.get('TEST_DATABASE_URL') or 'SQLite (temporary file)'}; "
            f"redis: {os.environ.get('TEST_REDIS_URL') or 'none (rate limits in memory, jobs from the CLI)'}")


def make_config(database_url: str, **overrides) -> TestingConfig:
    """A testing configuration on the given database."""
    config = TestingConfig()
    config.SQLALCHEMY_DATABASE_URI = database_url
    for key, value in overrides.items():
        setattr(config, key, value)
    return config


def _drop_everything(app: Flask) -> None:
    """Empty the test database, including Alembic's version table."""
    with app.app_context():
        meta = MetaData()
        meta.reflect(bind=db.engine)
        meta.drop_all(bind=db.engine)


@pytest.fixture(scope="session")
def database_url(tmp_path_factory) -> str:
    """TEST_DATABASE_URL if set (PostgreSQL in CI), otherwise a SQLite file for this run."""
    url = os.environ.get("TEST_DATABASE_URL")
    if url:
        return url
    return f"sqlite:///{tmp_path_factory.mktemp('db') / 'portal-test.db'}"


class CsrfClient(FlaskClient):
    """A test client that sends the session's CSRF token with every POST, as a browser would.

    Pass ``csrf=False`` to post without one.
    """

    def open(self, *args, csrf: bool = True, **kwargs):
        """Add the token to form posts."""
        method = kwargs.get("method", "GET")
        data = kwargs.get("data")
        if csrf and method == "POST" and (data is None or isinstance(data, dict)):
            data = dict(data or {})
            if "csrf_token" not in data:
                data["csrf_token"] = self._token()
                kwargs["data"] = data
        return super().open(*args, **kwargs)

    def _token(self) -> str:
        """A token for this client's session, made as Flask-WTF makes the one it writes into every form: the
        session's secret (created if the session has none yet), signed with the app's key. Making it here
        saves drawing a page before each post; that every form carries the token is the page checks' test."""
        with self.session_transaction() as session:
            secret = session.setdefault("csrf_token", secrets.token_hex(20))
        if secret != getattr(self, "_token_secret", None):
            serializer = URLSafeTimedSerializer(self.application.secret_key, salt="wtf-csrf-token")
            self._cached_token, self._token_secret = serializer.dumps(secret), secret
        return self._cached_token


@pytest.fixture(scope="session")
def app(database_url: str) -> Iterator[Flask]:
    """The application, with its schema built from empty by the migrations."""
    application = create_app(make_config(database_url))
    application.test_client_class = CsrfClient
    application.jinja_env.bytecode_cache = COMPILED_TEMPLATES
    _drop_everything(application)
    with application.app_context():
        flask_migrate.upgrade(directory=str(MIGRATIONS))
    yield application
    with application.app_context():
        db.session.remove()
        db.engine.dispose()


class CompiledTemplates(jinja2.BytecodeCache):
    """Templates compiled once for every app of the run, in memory: an app made for one test (make_app) would
    otherwise compile each template it draws again, about a fifth of a second a test. A template whose source
    changed is compiled again (the cache checks the source)."""

    def __init__(self):
        self.compiled: dict[str, bytes] = {}

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        """Give the bucket the compiled template, if there is one."""
        if bucket.key in self.compiled:
            bucket.bytecode_from_string(self.compiled[bucket.key])

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        """Keep a newly compiled template."""
        self.compiled[bucket.key] = bucket.bytecode_to_string()


COMPILED_TEMPLATES = CompiledTemplates()


def extra_app(database_url: str, **overrides) -> Flask:
    """Another app on the test database, with other settings."""
    application = create_app(make_config(database_url, **overrides))
    application.jinja_env.bytecode_cache = COMPILED_TEMPLATES
    return application


def close(application: Flask) -> None:
    """Close an extra app's connections."""
    with application.app_context():
        db.session.remove()
        db.engine.dispose()


@contextmanager
def on_the_tests_connection(application: Flask) -> Iterator[None]:
    """Inside a rolled-back test, an extra app works on the test's connection, in its transaction: it sees the test's
    data, and what it writes is rolled back with the test's."""
    if not ROLLED_BACK:
        yield
        return
    engines = db._app_engines[application]  # Flask-SQLAlchemy's engines for this app: the session binds from it
    own_engine, engines[None] = engines[None], ROLLED_BACK[-1]
    try:
        yield
    finally:
        with application.app_context():
            db.session.remove()
        engines[None] = own_engine


@pytest.fixture
def make_app(database_url: str):
    """Build extra apps on the test database with other settings, on the test's connection; their connections close
    afterwards."""
    with ExitStack() as joined:
        built: list[Flask] = []

        def _make(**overrides) -> Flask:
            application = extra_app(database_url, **overrides)
            built.append(application)
            joined.enter_context(on_the_tests_connection(application))
            return application

        yield _make
    for application in built:
        close(application)


@pytest.fixture(autouse=True)
def no_hidden_server_errors(caplog) -> Iterator[None]:
    """Fail any test during which a request hit the 500 handler, even if the test did not look."""
    yield
    crashes = [r for r in caplog.records if r.name == "portal.errors" and r.levelname == "ERROR"]
    assert not crashes, f"a request raised an unhandled error: {crashes[0].getMessage()} {crashes[0].exc_text}"


@pytest.fixture(autouse=True)
def clean_redis() -> Iterator[None]:
    """With Redis (the PostgreSQL pass), each test starts with no rate-limit counts and no queued jobs."""
    url = os.environ.get("TEST_REDIS_URL")
    if url:
        import redis

        with redis.Redis.from_url(url) as connection:
            connection.flushdb()
    yield


TESTS = MIGRATIONS.parent / "tests"
TIERS = ("unit", "integration", "system", "browser")


def pytest_configure(config):
    """Collect the youngest objects every 10,000 allocations rather than every 700: a request makes thousands of
    short-lived objects, and collecting that often walked the ones still in use over and over.

    With the freezing below, garbage collection in `make test-fast` took 4.7 s of CPU instead of 14.2 s (of which
    11.2 s were 27 full collections over every object of the app)."""
    gc.set_threshold(10_000, 10, 10)


@pytest.hookimpl(trylast=True)
def pytest_runtest_teardown(item, nextitem):
    """When a module's tests are done (its module fixtures too): collect its garbage, then set what is still alive
    (the app, its compiled templates and caches) aside, so later full collections do not walk it again."""
    if nextitem is None or nextitem.module is not item.module:
        gc.collect()
        gc.freeze()


def pytest_collection_modifyitems(config, items):
    """Mark each test with its tier (its folder), and keep unit tests away from the app."""
    for item in items:
        tier = item.path.relative_to(TESTS).parts[0]
        if tier not in TIERS:
            raise pytest.UsageError(f"{item.nodeid}: tests live in tests/{{{','.join(TIERS)}}}/")
        item.add_marker(tier)
        if tier == "unit" and "app" in item.fixturenames:
            raise pytest.UsageError(f"{item.nodeid}: a unit test needs no app; move it to tests/integration/")


@pytest.fixture(autouse=True)
def clean_database(request) -> Iterator[None]:
    """Give each test that uses the database a clean one: a rolled-back transaction for integration tests,
    emptied tables after system and browser tests and after integration tests marked `commits`."""
    if "app" not in request.fixturenames and "make_app" not in request.fixturenames:  # make_app's apps join it
        yield
        return
    application = request.getfixturevalue("app")
    if request.node.get_closest_marker("integration") and not request.node.get_closest_marker("commits"):
        with rolled_back_to_savepoint(application) if KEPT else rolled_back(application):
            yield
        return
    if KEPT:
        raise pytest.UsageError(f"{request.node.nodeid}: a test that commits cannot share a module's kept data")
    yield
    empty_tables(application)


# The connection of the rolled-back test running now, if any (apps made by make_app join it).
ROLLED_BACK: list = []
# The connection holding data kept for several tests (see `kept_for_the_module`), if any.
KEPT: list = []


@contextmanager
def rolled_back(application: Flask) -> Iterator[None]:
    """Run the test on one connection inside a transaction that is rolled back at the end.

    Every session the app opens (each request has its own) is bound to that connection and works in a savepoint,
    so a commit in the code under test releases a savepoint, and nothing reaches the database for good.
    """
    with application.app_context():
        db.session.remove()
        engine = db.engine
    engines = db._app_engines[application]  # Flask-SQLAlchemy's engines for this app: the session binds from it
    connection = engine.connect()
    sqlite = engine.dialect.name == "sqlite"
    driver = connection.connection.driver_connection
    if sqlite:
        # The sqlite3 driver opens transactions itself and a RELEASE of the first savepoint would commit: take
        # over, so the outer transaction is real and savepoints nest inside it.
        driver.isolation_level = None
    outer = connection.begin()
    if sqlite:
        connection.exec_driver_sql("BEGIN")
    engines[None] = connection
    ROLLED_BACK.append(connection)
    db.session.session_factory.configure(join_transaction_mode="create_savepoint")
    try:
        yield
    finally:
        ROLLED_BACK.remove(connection)
        with application.app_context():
            db.session.remove()
        db.session.session_factory.kw.pop("join_transaction_mode", None)
        engines[None] = engine
        outer.rollback()
        if sqlite:
            driver.isolation_level = ""
        connection.close()


@contextmanager
def kept_for_the_module(application: Flask) -> Iterator[None]:
    """Make data once for the tests of a module (in a module-scoped fixture): the data is made inside a transaction
    that is rolled back when the module's tests are done, and each test in the module runs in a savepoint inside
    it, rolled back at the test's end, so every test starts from the same data, as if it had made it itself."""
    with rolled_back(application):
        KEPT.append(ROLLED_BACK[-1])
        try:
            yield
        finally:
            KEPT.remove(ROLLED_BACK[-1])


@contextmanager
def rolled_back_to_savepoint(application: Flask) -> Iterator[None]:
    """Run the test inside the kept data's transaction, in a savepoint that is rolled back at the end."""
    connection = KEPT[-1]
    with application.app_context():
        db.session.remove()
    savepoint = connection.begin_nested()
    try:
        yield
    finally:
        with application.app_context():
            db.session.remove()
        if savepoint.is_active:
            savepoint.rollback()


def empty_tables(application: Flask) -> None:
    """Delete every row but the reference data (the crime categories the migrations load)."""
    with application.app_context():
        db.session.remove()
        with db.engine.begin() as connection:
            for table in reversed(db.metadata.sorted_tables):
                if table.name not in REFERENCE_TABLES:
                    connection.execute(table.delete())


@pytest.fixture
def ctx(app: Flask) -> Iterator[None]:
    """An application context for calling services directly."""
    with app.app_context():
        yield
        db.session.remove()


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    """A test client with cookies."""
    return app.test_client()


def sign_in_as(client: FlaskClient, user: User) -> None:
    """Put a fully signed-in session (password and, for staff, TOTP done) into the client."""
    with client.application.app_context():
        secret = session_records.open_session(user)
        db.session.commit()
    with client.session_transaction() as session:
        session[SESSION_RECORD_KEY] = secret
        session["_user_id"] = str(user.id)
        session["_fresh"] = True
        session["last_seen"] = utcnow().timestamp()
        session.permanent = True


def new_user(app: Flask, role: Role = Role.VICTIM, **kwargs) -> User:
    """Create a user (committed) and return it, detached."""
    with app.app_context():
        user = UserFactory(role=role, **kwargs)
        db.session.refresh(user)
        db.session.expunge(user)
        return user


@pytest.fixture
def make_user(app: Flask):
    """Create a user (committed) and return its id and email."""

    def _make(role: Role = Role.VICTIM, **kwargs) -> User:
        return new_user(app, role, **kwargs)

    return _make


@pytest.fixture
def signed_in(client: FlaskClient, make_user):
    """Sign the client in as a new user of the given role, and return the user."""

    def _sign_in(role: Role = Role.VICTIM, **kwargs) -> User:
        user = make_user(role, **kwargs)
        sign_in_as(client, user)
        return user

    return _sign_in


def free_port() -> int:
    """A TCP port on loopback that nothing is listening on now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def table_names(app: Flask) -> set[str]:
    """Tables that exist in the database."""
    with app.app_context():
        return set(inspect(db.engine).get_table_names())


def scalar(app: Flask, sql: str, **params):
    """Run one SQL query and return the first column of the first row."""
    with app.app_context():
        return db.session.execute(text(sql), params).scalar()


class SmtpSink:
    """A real aiosmtpd server on loopback that keeps what it receives."""

    def __init__(self, port: int):
        self.port = port
        self.messages: list = []
        self.controller = None

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's hook name
        """Keep the parsed message."""
        from email import message_from_bytes, policy

        self.messages.append(message_from_bytes(envelope.content, policy=policy.default))
        return "250 OK"

    def start(self) -> None:
        """Start listening."""
        from aiosmtpd.controller import Controller

        self.controller = Controller(self, hostname="127.0.0.1", port=self.port)
        self.controller.start()

    def stop(self) -> None:
        """Stop listening."""
        if self.controller is not None:
            self.controller.stop()
            self.controller = None


@pytest.fixture
def smtp_sink(app: Flask) -> Iterator[SmtpSink]:
    """A running SMTP server that Flask-Mail delivers to for this test."""
    sink = SmtpSink(free_port())
    state = app.extensions["mail"]
    saved = (state.server, state.port)
    state.server, state.port = "127.0.0.1", sink.port
    sink.start()
    yield sink
    sink.stop()
    state.server, state.port = saved


def outbox_rows(app: Flask) -> list:
    """Every outbox message, oldest first, detached for reading."""
    from sqlalchemy import select

    from portal.notifications.models import OutboxMessage

    with app.app_context():
        rows = db.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)).all()
        db.session.expunge_all()
        return rows


def link_in(body: str) -> str:
    """The first http(s) link in a plain-text email body, as a path."""
    import re
    from urllib.parse import urlsplit

    match = re.search(r"https?://\S+", body)
    assert match, f"no link in: {body}"
    parts = urlsplit(match.group(0))
    return parts.path + (f"?{parts.query}" if parts.query else "")


@pytest.fixture(scope="session")
def redis_url() -> Iterator[str]:
    """A Redis server: TEST_REDIS_URL (the PostgreSQL pass), otherwise a throwaway redis-server for this run.

    Without redis-server installed the test is skipped, except in CI, where that is a failure."""
    url = os.environ.get("TEST_REDIS_URL")
    if url:
        yield url
        return
    from tests.servers import ThrowawayRedis, require_servers

    require_servers("redis-server", why="testing the background workers")
    server = ThrowawayRedis().start()
    yield server.url
    server.remove()


@pytest.fixture
def redis_client(redis_url: str):
    """A client on the test Redis, emptied before the test."""
    import redis

    connection = redis.Redis.from_url(redis_url)
    connection.flushdb()
    yield connection
    connection.close()
