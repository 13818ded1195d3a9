"""Two app servers (separate gunicorn masters) on one database and one Redis behave as one service:
a session started on one is good on the other, and rate limits count requests to both."""

import re

import pytest
import requests

from portal.auth.roles import Role
from tests.conftest import free_port
from tests.factories import DEFAULT_PASSWORD
from tests.processes import production_env


@pytest.fixture
def two_servers(app, database_url, redis_url, redis_client, processes):
    """Two gunicorn masters, one worker each, production settings, sharing the test database and Redis."""
    urls = []
    for n in range(2):
        port = free_port()
        processes.gunicorn(f"gunicorn-{n}", production_env(DATABASE_URL=database_url, REDIS_URL=redis_url,
                                                           WEB_CONCURRENCY=1), port)
        urls.append(f"http://127.0.0.1:{port}")
    return urls


def _csrf(browser: requests.Session, url: str) -> str:
    page = browser.get(url, timeout=10)
    return re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page.text).group(1)


def test_a_session_started_on_one_server_is_good_on_the_other(two_servers, make_user):
    first, second = two_servers
    victim = make_user(Role.VICTIM)
    browser = requests.Session()
    signed_in = browser.post(f"{first}/login", data={"csrf_token": _csrf(browser, f"{first}/login"),
                                                     "email": victim.email, "password": DEFAULT_PASSWORD},
                             timeout=30, allow_redirects=False)
    assert signed_in.status_code == 302, signed_in.text[:500]

    cases = browser.get(f"{second}/cases/", timeout=10, allow_redirects=False)
    assert cases.status_code == 200 and "Your cases" in cases.text
    assert "Sign out" in cases.text
    signed_out = requests.get(f"{second}/cases/", timeout=10, allow_redirects=False)
    assert signed_out.status_code == 302 and "/login" in signed_out.headers["Location"]


def test_rate_limits_count_requests_to_every_server(two_servers):
    """Production allows 10 sign-in attempts a minute from one address; alternating servers does not get 20."""
    browser = requests.Session()
    tokens = {url: _csrf(browser, f"{url}/login") for url in two_servers}
    statuses = []
    for attempt in range(11):
        url = two_servers[attempt % 2]
        response = browser.post(f"{url}/login", data={"csrf_token": tokens[url], "email": "nobody@example.org",
                                                      "password": "wrong-password"}, timeout=30)
        statuses.append(response.status_code)
    assert statuses == [200] * 10 + [429]
    assert "Wait a few minutes, then try again." in response.text
