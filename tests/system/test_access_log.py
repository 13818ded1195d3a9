"""The access log of both servers (gunicorn with the project's config, and the development server) names a route
that carries a secret in its path by its pattern, never with the token or code someone opened."""

import subprocess
import sys
from pathlib import Path

import pytest
import requests

from tests.conftest import free_port
from tests.paths import ROOT
from tests.processes import production_env

BIN = Path(sys.executable).parent

# Each route with a secret in its path, a made-up secret for it, and the pattern the log shows instead.
SECRET_ROUTES = [
    ("/reset-password/{}", "ResetSecret7Qx2", "/reset-password/<token>"),
    ("/verify-email/{}", "VerifySecret8Lm4", "/verify-email/<token>"),
    ("/report/claim/{}", "ClaimSecret9Kp6", "/report/claim/<token>"),
    ("/cases/join/{}", "JOINCODE4X7", "/cases/join/<code>"),
]


def _serve(processes, tmp_path, server: str):
    """Start the given server on a migrated SQLite database, and return it with its address."""
    env = production_env(DATABASE_URL=f"sqlite:///{tmp_path / 'serve.db'}", WEB_CONCURRENCY=1)
    subprocess.run([BIN / "flask", "db", "upgrade"], cwd=ROOT, env=env, check=True, capture_output=True, timeout=120)
    port = free_port()
    if server == "gunicorn":
        return processes.gunicorn("gunicorn", env, port), f"http://127.0.0.1:{port}"
    process = processes.flask("flask-run", ["run", "--host", "127.0.0.1", "--port", str(port)], env)
    process.wait_for_http(f"http://127.0.0.1:{port}/health")
    return process, f"http://127.0.0.1:{port}"


@pytest.mark.parametrize("server", ["gunicorn", "flask run"])
def test_the_access_log_shows_the_pattern_of_a_secret_route_not_the_secret(tmp_path, processes, server):
    """Open each secret link (following its redirects, as a browser would); the log has each route's pattern
    and none of the secrets, not even in a query string such as a sign-in page's `next`."""
    process, base = _serve(processes, tmp_path, server)
    for path, secret, _pattern in SECRET_ROUTES:
        response = requests.get(base + path.format(secret), timeout=30)
        assert response.status_code < 500, (path, response.status_code)
    requests.get(f"{base}/privacy", timeout=30)
    log = process.stop()

    for path, secret, pattern in SECRET_ROUTES:
        assert secret not in log, f"{path.format(secret)} is in the {server} log:\n{log}"
        assert f"GET {pattern}" in log, f"{pattern} is not in the {server} log:\n{log}"
    assert "GET /privacy" in log  # other pages are logged by their path, as before
