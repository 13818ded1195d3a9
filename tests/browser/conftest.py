"""Browser fixtures: a live server, a real SMTP sink, Chromium through Playwright, and axe checks."""

import email
import email.policy
import re
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import getaddresses
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from axe_playwright_python.sync_playwright import Axe
from flask import Flask
from playwright.sync_api import Browser, BrowserContext, Page, Response, expect, sync_playwright
from werkzeug.datastructures import Headers
from werkzeug.serving import WSGIRequestHandler, make_server

from portal.auth.roles import Role
from portal.extensions import db
from tests.conftest import free_port
from tests.factories import DEFAULT_PASSWORD, UserFactory

BROWSER_DIR = Path(__file__).resolve().parent
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
AXE_OPTIONS = {"runOnly": {"type": "tag", "values": WCAG_TAGS}, "resultTypes": ["violations"]}
TIMEOUT_MS = 20_000  # generous: CI machines have 2 cores and may be busy

_axe = Axe()


def pytest_collection_modifyitems(config, items):
    """Mark every test in this folder as a browser test."""
    for item in items:
        if BROWSER_DIR in Path(item.path).resolve().parents:
            item.add_marker(pytest.mark.browser)


# --- Helpers the tests import ---------------------------------------------------------------


def assert_accessible(page: Page) -> None:
    """Run axe with the WCAG 2.2 A and AA rules on the page and fail on any violation."""
    results = _axe.run(page, options=AXE_OPTIONS)
    if results.violations_count:
        lines = [f"axe found {results.violations_count} WCAG violation(s) on {page.url}:"]
        for violation in results.response["violations"]:
            targets = "; ".join(", ".join(node["target"]) for node in violation["nodes"])
            lines.append(f"- {violation['id']} ({violation['impact']}): {violation['help']} -> {targets}")
        pytest.fail("\n".join(lines), pytrace=False)


def first_link(message: EmailMessage) -> str:
    """The first http(s) link in an email's plain-text body."""
    body = message.get_body(preferencelist=("plain",)).get_content()
    match = re.search(r"https?://\S+", body)
    assert match, f"no link in the email body:\n{body}"
    return match.group(0)


def heading(page: Page):
    """The page's main heading (h1)."""
    return page.get_by_role("heading", level=1)


def sign_in(page: Page, email_address: str, password: str = DEFAULT_PASSWORD) -> None:
    """Fill in and send the sign-in form from /login."""
    page.goto("/login")
    page.get_by_label("Email address").fill(email_address)
    page.get_by_label("Password", exact=True).fill(password)
    page.get_by_role("button", name="Sign in").click()


@dataclass(frozen=True)
class Account:
    """What a test needs to know about an account it created."""

    id: int
    email: str
    password: str
    totp_secret: str | None


# --- Live server ----------------------------------------------------------------------------


class _QuietRequestHandler(WSGIRequestHandler):
    """Werkzeug's handler without a log line per request (errors are still logged)."""

    def log_request(self, *args, **kwargs):
        """Do not log successful requests."""


def _closing_iterables(wsgi_app):
    """Wrap a WSGI app so that its response is always closed, even when the browser drops the connection.

    Werkzeug's server skips ``close()`` when the client goes away mid-response (a page navigating while its
    assets load), which leaves static files open and turns into ResourceWarnings, errors under this
    project's ``filterwarnings = error``. A generator's ``finally`` runs when the server drops it.
    """

    def app(environ, start_response):
        """Yield the wrapped app's response, then close it."""
        iterable = wsgi_app(environ, start_response)
        try:
            yield from iterable
        finally:
            if hasattr(iterable, "close"):
                iterable.close()

    return app


@contextmanager
def serving(app: Flask, port: int | None = None) -> Iterator[str]:
    """Serve an app with Werkzeug on loopback in a daemon thread (on `port`, or a free one); yields its base URL."""
    port = port or free_port()
    server = make_server("127.0.0.1", port, _closing_iterables(app), threaded=True,
                         request_handler=_QuietRequestHandler)
    thread = threading.Thread(target=server.serve_forever, name=f"live-server-{port}", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


@pytest.fixture(scope="session")
def live_server(app: Flask) -> Iterator[str]:
    """The session's app served on loopback; yields its base URL."""
    with serving(app) as url:
        yield url


# --- SMTP sink ------------------------------------------------------------------------------


class _Collector:
    """An aiosmtpd handler that keeps every message it receives, in order."""

    def __init__(self) -> None:
        self.messages: list[EmailMessage] = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's hook name
        """Parse and keep the message."""
        raw = envelope.original_content or envelope.content
        self.messages.append(email.message_from_bytes(raw, policy=email.policy.default))
        return "250 Message accepted for delivery"


@pytest.fixture(scope="session")
def smtp_sink() -> Iterator[_Collector]:
    """A real SMTP server on loopback that collects messages."""
    collector = _Collector()
    controller = Controller(collector, hostname="127.0.0.1", port=free_port())
    controller.start()
    collector.port = controller.port
    try:
        yield collector
    finally:
        controller.stop()


@pytest.fixture(autouse=True)
def _browser_app_settings(app: Flask, live_server: str, smtp_sink: _Collector) -> Iterator[None]:
    """Point emailed links at the live server and Flask-Mail at the sink, then put both back."""
    state = app.extensions["mail"]  # Flask-Mail copies its settings here at init
    saved_mail = (state.server, state.port, state.suppress, state.use_tls, state.use_ssl)
    saved_base_url = app.config["PUBLIC_BASE_URL"]
    state.server, state.port, state.suppress, state.use_tls, state.use_ssl = (
        "127.0.0.1", smtp_sink.port, False, False, False)
    app.config["PUBLIC_BASE_URL"] = live_server
    smtp_sink.messages.clear()
    try:
        yield
    finally:
        state.server, state.port, state.suppress, state.use_tls, state.use_ssl = saved_mail
        app.config["PUBLIC_BASE_URL"] = saved_base_url


@pytest.fixture
def read_email(app: Flask, smtp_sink: _Collector) -> Callable[[str], EmailMessage]:
    """Deliver the outbox through SMTP and return the newest message to an address."""

    def _read(address: str) -> EmailMessage:
        from portal.notifications.delivery import deliver_pending

        with app.app_context():
            report = deliver_pending()
            db.session.remove()
        assert report.failed == 0, "the outbox could not deliver to the SMTP sink"
        wanted = address.lower()
        matches = [m for m in smtp_sink.messages
                   if wanted in (addr.lower() for _, addr in getaddresses(m.get_all("To", [])))]
        assert matches, f"no email to {address}; the sink has {[m['To'] for m in smtp_sink.messages]}"
        return matches[-1]

    return _read


# --- Accounts -------------------------------------------------------------------------------


@pytest.fixture
def make_account(app: Flask) -> Callable[..., Account]:
    """Create a committed account with tests.factories.UserFactory and return its details."""

    def _make(role: Role = Role.VICTIM, **kwargs) -> Account:
        password = kwargs.pop("password", DEFAULT_PASSWORD)
        with app.app_context():
            user = UserFactory(role=role, password=password, **kwargs)
            account = Account(id=user.id, email=user.email, password=password, totp_secret=user.totp_secret)
            db.session.remove()
        return account

    return _make


# --- Browser --------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    """One headless Debian Chromium for the whole run."""
    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} is missing: the browser tests need Debian's Chromium. "
                    "Install it with `apt-get install chromium`.", pytrace=False)
    expect.set_options(timeout=TIMEOUT_MS)
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
        try:
            yield chromium
        finally:
            chromium.close()


@pytest.fixture
def new_context(browser: Browser, live_server: str) -> Iterator[Callable[..., BrowserContext]]:
    """Open browser contexts on the live server, or another server a test started (`base_url=`), closed after the
    test; only that server is reachable."""
    opened: list[BrowserContext] = []

    def _open(base_url: str = live_server, **options) -> BrowserContext:
        context = browser.new_context(base_url=base_url, **options)
        context.set_default_timeout(TIMEOUT_MS)
        # The network is closed: refuse anything off the server unless a test routes it.
        offsite = re.compile(r"^(?!" + re.escape(base_url) + r"(/|$))")
        context.route(offsite, lambda route: route.abort("blockedbyclient"))
        opened.append(context)
        return context

    yield _open
    for context in opened:
        context.close()


@pytest.fixture
def context(new_context) -> BrowserContext:
    """A fresh browser context (cookies, storage) for one test."""
    return new_context()


@pytest.fixture
def page(context: BrowserContext) -> Page:
    """A page in the test's browser context."""
    return context.new_page()


@pytest.fixture
def exit_url(app: Flask) -> str:
    """The configured neutral site that "Exit this page" ends on."""
    return app.config["EXIT_PAGE_URL"]


FAKE_EXIT_PAGE = ("<!DOCTYPE html><html lang='en'><head><title>Weather</title></head>"
                  "<body><h1>Weather</h1></body></html>")


def serve_fake_exit_site(target: Page | BrowserContext, exit_url: str) -> None:
    """Answer requests for the exit site with a small page, so the browser never leaves loopback."""
    target.route(lambda url: url == exit_url,
                 lambda route: route.fulfill(status=200, content_type="text/html", body=FAKE_EXIT_PAGE))


@pytest.fixture
def fake_exit_site(page: Page, exit_url: str) -> str:
    """The page's requests for the exit site get a stand-in page titled "Weather"; returns its URL."""
    serve_fake_exit_site(page, exit_url)
    return exit_url


class SentPage:
    """A page as the server sent it to the browser, in the shape tests.pagecheck reads (a Flask response's)."""

    def __init__(self, response: Response):
        self.headers = Headers([(h["name"], h["value"]) for h in response.headers_array()])
        self._text = response.text()

    def get_data(self, as_text: bool = False) -> str:
        return self._text
