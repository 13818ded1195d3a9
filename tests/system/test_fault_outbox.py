"""Faults in email delivery, with real worker processes: killed mid-delivery, and the SMTP server stopped.

Each runs twice: with the embedded default (`flask outbox worker`, no Redis) and with RQ (`flask jobs worker`
and `flask jobs scheduler` on Redis). The outbox is the source of truth, so either way nothing is lost.

What "exactly once" means here. A worker that dies before the SMTP server has accepted a message leaves
nothing behind at the server, and the message is sent once after the restart. A worker that dies after the
server accepted it, but before it could record that, cannot know; the message is sent again once its claim
runs out, with the same delivery key as its Message-ID, so the recipient's mail store (which keeps one message
per Message-ID, as this test's sink does) holds it once. Both cases are tested.
"""

import asyncio
import os
import threading
import time
from email import message_from_bytes, policy

import pytest
from sqlalchemy import select

from portal.extensions import db
from portal.notifications.models import OutboxMessage, OutboxStatus
from portal.notifications.services import queue_email
from tests.conftest import free_port
from tests.processes import Process, Processes

LEASE_SECONDS = 3
# How long to wait for something the workers must do. Generous: each step is polled, so a long limit costs
# nothing on a quiet machine, and on a busy one (every attempt a forked job) it can take minutes.
WAIT_SECONDS = 240


class MailStore:
    """An SMTP server that can hang on its first conversation, and keeps one message per Message-ID.

    ``transmissions`` lists the Message-ID of every message the server accepted (the end of DATA), in order.
    """

    def __init__(self, port: int, hang_at: str | None = None):
        self.port = port
        self.hang_at = hang_at  # "rcpt" (before the server has the message) or "data" (after it has it)
        self.hanging = False
        self.released = threading.Event()
        self.transmissions: list[str] = []
        self.mailbox: dict[str, object] = {}
        self.controller = None

    async def _maybe_hang(self, stage: str) -> None:
        """Hold the worker here until the test, having killed it, lets go: however slow the machine, the worker
        dies at this very point, with no time window the test must act within."""
        if self.hang_at == stage:
            self.hang_at = None
            self.hanging = True
            while not self.released.is_set():
                await asyncio.sleep(0.05)
            self.hanging = False

    def release(self) -> None:
        """Let a held conversation go on (its worker is dead by then)."""
        self.released.set()

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):  # noqa: N802 - aiosmtpd's hook
        await self._maybe_hang("rcpt")
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's hook
        message = message_from_bytes(envelope.content, policy=policy.default)
        self.transmissions.append(message["Message-ID"])
        self.mailbox.setdefault(message["Message-ID"], message)
        await self._maybe_hang("data")  # the server has the message; the worker dies before hearing "250 OK"
        return "250 OK"

    def start(self) -> "MailStore":
        from aiosmtpd.controller import Controller

        self.controller = Controller(self, hostname="127.0.0.1", port=self.port)
        self.controller.start()
        return self

    def stop(self) -> None:
        self.release()
        if self.controller is not None:
            self.controller.stop()
            self.controller = None


def wait_for(condition, what: str, seconds: float = WAIT_SECONDS, explain=None) -> None:
    """Poll until condition() holds; on time-out, say what was awaited and what explain() reports."""
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}\n{explain() if explain else ''}")
        time.sleep(0.1)


class Workers:
    """Worker processes of one kind, each started and SIGKILLed as a whole process group (tests/processes.py)."""

    def __init__(self, kind: str, database_url: str, redis_url: str | None, mail_port: int, processes: Processes):
        self.kind = kind
        self.env = {
            **os.environ, "FLASK_APP": "wsgi", "PORTAL_ENV": "testing", "TEST_DATABASE_URL": database_url,
            "MAIL_SERVER": "127.0.0.1", "TEST_MAIL_PORT": str(mail_port), "MAIL_TIMEOUT_SECONDS": "30",
            "OUTBOX_LEASE_SECONDS": str(LEASE_SECONDS), "OUTBOX_MAX_BACKOFF_SECONDS": "1",
            "OUTBOX_SWEEP_SECONDS": "1",
        }
        self.env.pop("TEST_REDIS_URL", None)
        if redis_url:
            self.env["TEST_REDIS_URL"] = redis_url
        self.processes = processes
        self.started: list[Process] = []

    def start(self) -> None:
        commands = ([["outbox", "worker", "--interval", "0.2"]] if self.kind == "cli" else
                    [["jobs", "worker"], ["jobs", "scheduler", "--interval", "0.2"]])
        for command in commands:
            name = f"{len(self.processes.started):02d}-{command[0]}-{command[1]}"
            self.started.append(self.processes.flask(name, command, self.env))

    def kill(self) -> None:
        """SIGKILL every process of every group (RQ's forked work horse included)."""
        for process in self.started:
            process.kill()
        self.started = []

    def logs(self) -> str:
        return "\n".join(p.log(last=100_000) for p in self.processes.started)


@pytest.fixture(params=["cli", "rq"])
def worker_kind(request) -> str:
    return request.param


@pytest.fixture
def queueing_app(worker_kind, app, make_app, request):
    """The app the test queues mail with: with Redis for RQ workers (so commits hand the email over).

    Redis starts empty (`redis_client`): jobs queued by an earlier test's scheduler, or a lock its killed worker
    left behind, must not reach this test's workers."""
    if worker_kind == "cli":
        return app
    request.getfixturevalue("redis_client")
    return make_app(REDIS_URL=request.getfixturevalue("redis_url"))


@pytest.fixture
def workers(worker_kind, database_url, queueing_app, processes):
    """Make a group of workers; every process is stopped by the `processes` fixture when the test ends."""

    def _make(mail_port: int) -> Workers:
        return Workers(worker_kind, database_url, queueing_app.config["REDIS_URL"], mail_port, processes)

    return _make


def queue_messages(application, count: int) -> list[int]:
    with application.app_context():
        messages = [queue_email(f"person{n}@example.org", "case_update", sign_in_link="https://example.org/login")
                    for n in range(count)]
        db.session.commit()
        return [m.id for m in messages]


def rows(application) -> list[OutboxMessage]:
    with application.app_context():
        found = db.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)).all()
        db.session.expunge_all()
        db.session.remove()
        return found


@pytest.mark.parametrize("killed", ["rcpt", "data"], ids=["before-the-server-had-it", "after-the-server-had-it"])
def test_a_worker_killed_mid_delivery_loses_nothing_and_the_mailbox_gets_it_once(queueing_app, workers, killed):
    store = MailStore(free_port(), hang_at=killed).start()
    try:
        [message_id] = queue_messages(queueing_app, 1)
        first = workers(store.port)
        first.start()
        wait_for(lambda: store.hanging, "the worker to reach the SMTP server")
        first.kill()
        store.release()
        [claimed] = rows(queueing_app)
        assert claimed.status == OutboxStatus.SENDING, "the killed worker had claimed it"

        second = workers(store.port)
        second.start()
        wait_for(lambda: rows(queueing_app)[0].status == OutboxStatus.SENT, "delivery after the restart")
        [sent] = rows(queueing_app)
        key = f"<{sent.delivery_key}@portal.example.org>"
        assert list(store.mailbox) == [key], second.logs()
        assert sent.id == message_id and sent.attempts == 2
        if killed == "rcpt":
            assert store.transmissions == [key], "the server never had the first attempt"
        else:
            assert store.transmissions == [key, key], "resent once, under the same Message-ID"
    finally:
        store.stop()


def test_with_the_smtp_server_down_nothing_is_lost_and_delivery_resumes(queueing_app, workers):
    port = free_port()
    ids = queue_messages(queueing_app, 3)
    group = workers(port)
    group.start()
    wait_for(lambda: all(r.attempts >= 2 for r in rows(queueing_app)), "failed attempts while the server is down",
             explain=lambda: f"{[(r.id, r.status, r.attempts, r.next_attempt_at) for r in rows(queueing_app)]}\n"
                             f"{group.logs()[-6000:]}")
    down = rows(queueing_app)
    assert OutboxStatus.SENT not in {r.status for r in down}  # waiting, or being tried again at this moment
    assert all(r.last_error and "Connection refused" in r.last_error for r in down), [r.last_error for r in down]

    store = MailStore(port).start()
    try:
        wait_for(lambda: all(r.status == OutboxStatus.SENT for r in rows(queueing_app)), "delivery to resume")
        sent = rows(queueing_app)
        assert [r.id for r in sent] == ids
        assert sorted(store.transmissions) == sorted(f"<{r.delivery_key}@portal.example.org>" for r in sent)
        assert sorted(m["To"] for m in store.mailbox.values()) == [f"person{n}@example.org" for n in range(3)]
    finally:
        store.stop()


def test_two_sets_of_workers_side_by_side_send_every_message_exactly_once(queueing_app, workers):
    """Two worker processes (and, with RQ, two schedulers sweeping every second) on one outbox."""
    store = MailStore(free_port()).start()
    try:
        first, second = workers(store.port), workers(store.port)
        first.start()
        second.start()
        ids = queue_messages(queueing_app, 20) + queue_messages(queueing_app, 20)
        wait_for(lambda: all(r.status == OutboxStatus.SENT for r in rows(queueing_app)), "every message sent")
        sent = rows(queueing_app)
        assert [r.id for r in sent] == ids
        assert sorted(store.transmissions) == sorted(f"<{r.delivery_key}@portal.example.org>" for r in sent)
        assert {r.attempts for r in sent} == {1}
    finally:
        store.stop()
