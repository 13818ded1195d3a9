"""The production shape: gunicorn with its config serves the app; REDIS_URL shares rate limits; the container
files describe a non-root, health-checked deployment."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
import requests

from tests.conftest import free_port
from tests.paths import ROOT
from tests.processes import production_env

BIN = Path(sys.executable).parent


def _env(tmp_path, **extra) -> dict:
    return {**os.environ, "PORTAL_ENV": "production", "SECRET_KEY": "x" * 40, "HTTPS_ONLY": "false",
            "FLASK_APP": "wsgi", "DATABASE_URL": f"sqlite:///{tmp_path / 'serve.db'}",
            "PUBLIC_BASE_URL": "http://127.0.0.1", **extra}


def test_gunicorn_serves_the_app_with_its_config(tmp_path, processes):
    """gunicorn with the project's config answers the health check; its workers boot."""
    env = production_env(DATABASE_URL=f"sqlite:///{tmp_path / 'serve.db'}", WEB_CONCURRENCY=2)
    subprocess.run([BIN / "flask", "db", "upgrade"], cwd=ROOT, env=env, check=True, capture_output=True, timeout=120)
    port = free_port()
    server = processes.gunicorn("gunicorn", env, port)
    response = requests.get(f"http://127.0.0.1:{port}/health", timeout=30)
    assert (response.status_code, response.content) == (200, b'{"database":"ok","status":"ok"}\n')
    assert "Booting worker" in server.stop()


@pytest.mark.parametrize(("extra", "expected"), [
    ({"REDIS_URL": "redis://cache:6379/0"}, "redis://cache:6379/0"),
    ({"REDIS_URL": "redis://cache:6379/0", "RATELIMIT_STORAGE_URI": "memcached://m:11211"}, "memcached://m:11211"),
    ({}, "memory://"),
])
def test_rate_limits_are_shared_through_redis_when_it_is_configured(tmp_path, extra, expected):
    env = {key: value for key, value in _env(tmp_path, **extra).items()
           if key not in ("REDIS_URL", "RATELIMIT_STORAGE_URI") or key in extra}
    printed = subprocess.run([sys.executable, "-c", "import config; print(config.Config.RATELIMIT_STORAGE_URI)"],
                             cwd=ROOT, env=env, check=True, capture_output=True, text=True, timeout=60).stdout
    assert printed.strip() == expected


def test_the_container_runs_as_a_non_root_user_with_a_health_check():
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert "\nUSER portal\n" in dockerfile and "HEALTHCHECK" in dockerfile
    assert dockerfile.index("USER portal") < dockerfile.index("CMD [")


def test_compose_has_the_app_worker_database_and_redis_with_health_checks():
    import yaml

    services = yaml.safe_load((ROOT / "compose.yaml").read_text())["services"]
    assert {"web", "worker", "scheduler", "db", "redis"} <= set(services)
    for name in ("worker", "scheduler", "db", "redis"):
        assert "healthcheck" in services[name], name
    assert services["worker"]["command"] == ["flask", "jobs", "worker"]
    assert services["scheduler"]["command"] == ["flask", "jobs", "scheduler"]
    assert services["web"]["depends_on"]["db"]["condition"] == "service_healthy"
    assert services["web"]["environment"]["REDIS_URL"] == "redis://redis:6379/0"
    assert services["web"]["ports"] == ["127.0.0.1:8000:8000"]


def test_every_flask_command_in_compose_exists(app):
    """A renamed command would leave a container restarting for ever."""
    import yaml

    services = yaml.safe_load((ROOT / "compose.yaml").read_text())["services"]
    commands = [s["command"] for s in services.values() if s.get("command", [None])[0] == "flask"]
    assert len(commands) == 2
    runner = app.test_cli_runner()
    for command in commands:
        result = runner.invoke(args=[*command[1:], "--help"])
        assert result.exit_code == 0 and "Usage:" in result.output, (command, result.output)
