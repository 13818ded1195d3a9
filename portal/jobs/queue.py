"""The Redis connection and RQ queue, and handing each new email to a worker once its transaction commits."""

import logging

from flask import Flask, current_app, has_app_context
from redis import Redis
from redis.exceptions import RedisError
from rq import Queue, Retry
from sqlalchemy import event, inspect

from portal.extensions import db
from portal.jobs import tasks
from portal.notifications.services import QUEUED_KEY

log = logging.getLogger(__name__)

QUEUE_NAME = "portal"
# A job that fails (say, the database restarting) is tried again after these delays; the outbox and the
# scheduled sweeps catch anything still left after that.
RETRY = Retry(max=3, interval=[10, 60, 300])


def redis_connection(app: Flask | None = None) -> Redis | None:
    """The app's Redis client, or None when REDIS_URL is not set."""
    app = app or current_app
    url = app.config.get("REDIS_URL")
    if not url:
        return None
    clients = app.extensions.setdefault("portal_redis", {})
    if url not in clients:
        clients[url] = Redis.from_url(url, socket_timeout=5, socket_connect_timeout=2)
    return clients[url]


def job_queue(app: Flask | None = None) -> Queue | None:
    """The RQ queue every portal job goes on, or None when there is no Redis."""
    connection = redis_connection(app)
    return Queue(QUEUE_NAME, connection=connection) if connection is not None else None


def _hand_new_emails_to_workers(session) -> None:
    """After a commit: ask a worker to send each email queued in that transaction straight away.

    If Redis cannot be reached the emails are not lost: they wait in the outbox for the next delivery sweep.
    """
    queued = session.info.pop(QUEUED_KEY, None)
    if not queued or not has_app_context():
        return
    queue = job_queue()
    if queue is None:
        return

    ids = [state.identity[0] for state in map(inspect, queued) if state.identity is not None]
    try:
        for message_id in ids:
            queue.enqueue(tasks.deliver_message, message_id, retry=RETRY, result_ttl=3600, failure_ttl=86400)
    except RedisError as error:
        log.warning("could not hand %s email(s) to the workers (the outbox sweep will send them): %s",
                    len(ids), error)


def _forget_rolled_back(session, *_args) -> None:
    """Emails from a rolled-back transaction were never written."""
    session.info.pop(QUEUED_KEY, None)


def register(app: Flask) -> None:
    """Listen for commits on the app's session (once; the session factory is shared by every app)."""
    del app
    factory = db.session.session_factory
    if not event.contains(factory, "after_commit", _hand_new_emails_to_workers):
        event.listen(factory, "after_commit", _hand_new_emails_to_workers)
        event.listen(factory, "after_rollback", _forget_rolled_back)
