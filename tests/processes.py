"""One harness for the real processes system tests start: gunicorn, workers, schedulers, servers.

Each process starts in a session of its own, and stopping or killing it reaches every process in that session:
everything it forked, gunicorn's workers and an RQ worker's work horse included. (The horse moves to a process
group of its own, so signalling the worker's group alone leaves it running to finish its job; it stays in the
session.) Readiness is polled with any error, a refused connection or a read time-out
alike, counting as "not ready yet", up to a generous limit: a busy two-core machine can take many seconds to boot
a server. Every process is stopped by the fixture that started it, whatever the test did.
"""

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import requests

from tests.paths import ROOT

BIN = Path(sys.executable).parent
# How long a process may take to become ready. Long, because a loaded CI machine is slow to boot a server; a
# process that exits while we wait fails at once, with its log.
READY_SECONDS = float(os.environ.get("TEST_READY_SECONDS", "90"))
STOP_SECONDS = 30


class Process:
    """A command run in its own process group, with its output in a log file."""

    def __init__(self, name: str, command: list, *, env: dict, log_dir: Path, cwd: Path = ROOT):
        self.name = name
        self.command = [str(part) for part in command]
        self.env = env
        self.cwd = cwd
        self.log_path = log_dir / f"{name}.log"
        self.popen: subprocess.Popen | None = None

    def start(self) -> "Process":
        """Start the command in a new session (its own process group)."""
        with self.log_path.open("ab") as log:
            self.popen = subprocess.Popen(self.command, cwd=self.cwd, env=self.env,  # noqa: S603 - our own commands
                                          stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
        return self

    @property
    def running(self) -> bool:
        """Whether the group leader is still running."""
        return self.popen is not None and self.popen.poll() is None

    def log(self, last: int = 4000) -> str:
        """The end of what the process printed."""
        return self.log_path.read_text(errors="replace")[-last:] if self.log_path.exists() else ""

    def wait_until(self, ready: Callable[[], bool], what: str, seconds: float = READY_SECONDS) -> None:
        """Poll until ready() is true. Any exception from it means "not ready yet"; the process exiting fails."""
        deadline = time.monotonic() + seconds
        last_error: BaseException | None = None
        while time.monotonic() < deadline:
            if not self.running:
                pytest.fail(f"{self.name} exited before {what}:\n{self.log()}")
            try:
                if ready():
                    return
            except Exception as error:  # noqa: BLE001 - every failure to answer is "not ready yet"
                last_error = error
            time.sleep(0.2)
        pytest.fail(f"{self.name}: no {what} after {seconds:.0f} s (last error: {last_error!r}):\n{self.log()}")

    def wait_for_http(self, url: str, seconds: float = READY_SECONDS) -> None:
        """Wait until GET url answers 200."""
        self.wait_until(lambda: requests.get(url, timeout=5).status_code == 200, f"200 from {url}", seconds)

    def signal_group(self, signum: int) -> None:
        """Send a signal to the whole process group (nothing happens if it has gone)."""
        if self.popen is None:
            return
        try:
            os.killpg(self.popen.pid, signum)
        except ProcessLookupError:
            pass

    def kill_session(self) -> None:
        """SIGKILL every live process of the session, and wait until none is left."""
        if self.popen is None:
            return
        deadline = time.monotonic() + STOP_SECONDS
        while members := session_members(self.popen.pid):
            for pid in members:
                try:
                    os.kill(pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
            if self.popen.poll() is None:
                self.popen.wait(timeout=STOP_SECONDS)
            if time.monotonic() > deadline:
                pytest.fail(f"{self.name}: processes {members} outlived SIGKILL")
            time.sleep(0.05)
        self.popen.wait(timeout=STOP_SECONDS)

    def kill(self) -> None:
        """Kill every process of it at once (a crash): no clean-up runs in any of them."""
        self.kill_session()

    def stop(self) -> str:
        """Ask the group to stop, kill whatever is left after a while, and return the whole log."""
        if self.popen is not None:
            self.signal_group(signal.SIGTERM)
            try:
                self.popen.wait(timeout=STOP_SECONDS)
            except subprocess.TimeoutExpired:
                pass
            self.kill_session()  # anything left behind, in any process group
        return self.log(last=1_000_000)


def session_members(session_id: int) -> list[int]:
    """Every live (not zombie) process in the session, read from /proc."""
    members = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:  # it ended meanwhile
            continue
        state, _parent, _group, session = stat[stat.rindex(")") + 2:].split()[:4]
        if int(session) == session_id and state not in ("Z", "X"):
            members.append(int(entry.name))
    return members


class Processes:
    """The processes one test started; all of them are stopped when it ends."""

    def __init__(self, log_dir: Path):
        self.log_dir = log_dir
        self.started: list[Process] = []

    def start(self, name: str, command: list, env: dict) -> Process:
        """Start a command in its own process group."""
        process = Process(name, command, env=env, log_dir=self.log_dir).start()
        self.started.append(process)
        return process

    def gunicorn(self, name: str, env: dict, port: int) -> Process:
        """gunicorn with the project's config on a loopback port, waited for until /health answers."""
        server = self.start(name, [BIN / "gunicorn", "--config", "gunicorn.conf.py", "wsgi:app"],
                            {**env, "BIND": f"127.0.0.1:{port}"})
        server.wait_for_http(f"http://127.0.0.1:{port}/health")
        return server

    def flask(self, name: str, arguments: list, env: dict) -> Process:
        """A long-running flask command (a worker or a scheduler)."""
        return self.start(name, [BIN / "flask", "--app", "wsgi", *arguments], env)

    def stop_all(self) -> None:
        """Stop every process this test started, the last started first."""
        for process in reversed(self.started):
            process.stop()


@pytest.fixture
def processes(tmp_path) -> Iterator[Processes]:
    """Start real processes for this test; each is stopped (with everything it forked) when the test ends."""
    started = Processes(tmp_path)
    try:
        yield started
    finally:
        started.stop_all()


def production_env(**settings) -> dict:
    """The environment of a production-like process on loopback (plain HTTP, no debug)."""
    env = {key: value for key, value in os.environ.items()
           if key not in ("REDIS_URL", "RATELIMIT_STORAGE_URI", "FLASK_DEBUG", "DATABASE_URL")}
    env.update(PORTAL_ENV="production", SECRET_KEY="system-test-secret-" + "x" * 30, HTTPS_ONLY="false",
               FLASK_APP="wsgi", PUBLIC_BASE_URL="http://127.0.0.1")
    env.update({key: str(value) for key, value in settings.items()})
    return env
