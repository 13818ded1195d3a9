"""Throwaway PostgreSQL and Redis servers on loopback, for tests and benchmarks that need their own.

Each lives in a temporary directory on a free port and is removed on stop. initdb and pg_ctl refuse to run as
root, so as root they run as the postgres user (as scripts/pg-throwaway.sh does).
"""

import os
import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path


def free_port() -> int:
    """A TCP port on loopback that nothing is listening on now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def postgres_bin() -> Path | None:
    """Debian's newest PostgreSQL binaries, or None when postgresql is not installed."""
    found = sorted(Path("/usr/lib/postgresql").glob("*/bin"), key=lambda p: int(p.parent.name)
                   if p.parent.name.isdigit() else 0)
    return found[-1] if found else None


def redis_bin() -> str | None:
    """redis-server, or None when it is not installed."""
    return shutil.which("redis-server")


# What each tool the suite may need is called, how to find it, and how to install it.
VNU_JAR = Path(__file__).resolve().parent / "html" / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
TOOLS = {
    "postgresql": (lambda: postgres_bin(), "apt-get install postgresql"),
    "redis-server": (lambda: redis_bin(), "apt-get install redis-server"),
    "java": (lambda: shutil.which("java"), "apt-get install default-jre-headless"),
    "vnu.jar": (lambda: VNU_JAR if VNU_JAR.exists() else None, "make install, which fetches it with npm"),
}


def require_servers(*programs: str, why: str) -> None:
    """Skip the test when a tool it needs is not installed (a developer's machine may lack postgresql,
    redis-server, Java or the HTML checker), but fail in CI, which installs them all (.ci/run sets CI=true):
    there a missing tool must not hide a test."""
    import pytest

    missing = [name for name in programs if TOOLS[name][0]() is None]
    if not missing:
        return
    reason = f"{why} needs {' and '.join(missing)} ({'; '.join(TOOLS[name][1] for name in missing)})"
    if os.environ.get("CI") == "true":
        pytest.fail(f"{reason}, and CI must run it")
    pytest.skip(reason)


class ThrowawayPostgres:
    """A PostgreSQL cluster of its own: start, stop, restart (fast or immediate) and remove."""

    def __init__(self, pgbin: Path | None = None, max_connections: int = 200):
        self.pgbin = pgbin or postgres_bin()
        if self.pgbin is None:
            raise RuntimeError("PostgreSQL is not installed (apt-get install postgresql)")
        self.max_connections = max_connections
        self.dir = Path(tempfile.mkdtemp(prefix="portal-pg-"))
        self.port = free_port()
        self.url = f"postgresql+psycopg://portal@127.0.0.1:{self.port}/postgres"

    def _as_owner(self, *args: str, check: bool = True) -> subprocess.CompletedProcess:
        command = [str(a) for a in args]
        if os.geteuid() == 0:
            command = ["runuser", "-u", "postgres", "--", *command]
        return subprocess.run(command, check=check, capture_output=True, text=True, timeout=120)  # noqa: S603

    def start(self) -> "ThrowawayPostgres":
        """Create the cluster if needed and start it; returns when it accepts connections."""
        if os.geteuid() == 0:
            shutil.chown(self.dir, "postgres")
        if not (self.dir / "data").exists():
            self._as_owner(self.pgbin / "initdb", "-D", self.dir / "data", "-A", "trust", "-U", "portal")
        self._pg_ctl("start")
        return self

    def _pg_ctl(self, action: str, mode: str = "fast") -> None:
        options = (f"-p {self.port} -k {self.dir} -c listen_addresses=127.0.0.1 -c fsync=off "
                   f"-c max_connections={self.max_connections}")
        args = [self.pgbin / "pg_ctl", "-D", self.dir / "data", "-w", "-l", self.dir / "log"]
        if action in ("start", "restart"):
            args += ["-o", options]
        if action in ("stop", "restart"):
            args += ["-m", mode]
        self._as_owner(*args, action)

    def stop(self, mode: str = "fast") -> None:
        """Stop the server (the data stays). `immediate` is a crash: no clean shutdown."""
        self._pg_ctl("stop", mode)

    def restart(self, mode: str = "fast") -> None:
        """Stop and start again on the same port."""
        self._pg_ctl("restart", mode)

    def remove(self) -> None:
        """Stop the server if it runs, and delete its files."""
        if (self.dir / "data").exists():
            self._as_owner(self.pgbin / "pg_ctl", "-D", self.dir / "data", "-m", "immediate", "stop", check=False)
        shutil.rmtree(self.dir, ignore_errors=True)


class ThrowawayRedis:
    """A redis-server of its own, with no persistence."""

    def __init__(self):
        binary = redis_bin()
        if binary is None:
            raise RuntimeError("Redis is not installed (apt-get install redis-server)")
        self.binary = binary
        self.dir = Path(tempfile.mkdtemp(prefix="portal-redis-"))
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process: subprocess.Popen | None = None

    def start(self) -> "ThrowawayRedis":
        """Start the server; returns when it answers PING."""
        self.process = subprocess.Popen(  # noqa: S603
            [self.binary, "--bind", "127.0.0.1", "--port", str(self.port), "--dir", str(self.dir), "--save", "",
             "--appendonly", "no", "--logfile", str(self.dir / "log")],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
        import redis

        client = redis.Redis.from_url(self.url, socket_timeout=5)
        # Generous, and any error (refused, or a time-out on a busy machine) means "not ready yet".
        deadline = time.monotonic() + 60
        while True:
            try:
                client.ping()
                break
            except redis.RedisError:
                if time.monotonic() > deadline or self.process.poll() is not None:
                    raise RuntimeError(f"redis-server did not start: {(self.dir / 'log').read_text()}") from None
                time.sleep(0.05)
            finally:
                client.close()
        return self

    def remove(self) -> None:
        """Stop the server and delete its files."""
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        shutil.rmtree(self.dir, ignore_errors=True)
