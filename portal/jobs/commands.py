"""flask jobs ...: the RQ worker, the scheduler, and running any scheduled job once without Redis."""

import time

import click
from flask import current_app
from flask.cli import with_appcontext
from rq import Worker

from portal.extensions import db
from portal.jobs.queue import job_queue
from portal.jobs.schedule import BY_NAME, SCHEDULE, enqueue_due


@click.group()
def jobs():
    """Background jobs on RQ (needs REDIS_URL), or run once from cron."""


def _queue_or_fail():
    queue = job_queue()
    if queue is None:
        raise click.ClickException("REDIS_URL is not set. Without Redis, run the jobs from cron: "
                                   "flask jobs run NAME (see the README).")
    return queue


@jobs.command("worker")
@click.option("--burst", is_flag=True, help="Stop when the queue is empty (for tests and one-off runs).")
@click.option("--name", default=None, help="A name for this worker (default: RQ picks one).")
@with_appcontext
def worker(burst: bool, name: str | None):
    """Run jobs from the queue until stopped. Run as many as you like, on any machine."""

    queue = _queue_or_fail()
    # Each job runs in a forked child: it must not share this process's database connections.
    db.engine.dispose()
    click.echo(f"worker on queue {queue.name!r} at {current_app.config['REDIS_URL'].rpartition('@')[2]}")
    # with_scheduler: one worker at a time (RQ elects it) moves retries that are waiting into the queue.
    Worker([queue], connection=queue.connection, name=name).work(burst=burst, with_scheduler=True,
                                                                logging_level="INFO")


@jobs.command("scheduler")
@click.option("--interval", default=1.0, show_default=True, help="Seconds between checks for due jobs.")
@click.option("--once", is_flag=True, help="Enqueue what is due now and stop.")
@with_appcontext
def scheduler(interval: float, once: bool):
    """Enqueue the recurring jobs when they fall due. Several schedulers can run: each slot is enqueued once."""
    queue = _queue_or_fail()
    click.echo("scheduler: " + ", ".join(f"{job.name} every {job.interval()} s" for job in SCHEDULE))
    while True:
        for job_id in enqueue_due(queue):
            click.echo(f"enqueued {job_id}")
        if once:
            return
        time.sleep(interval)


@jobs.command("run")
@click.argument("name")
@with_appcontext
def run(name: str):
    """Run one scheduled job now, in this process (the embedded default, for cron)."""
    if name not in BY_NAME:
        raise click.BadParameter(f"choose one of: {', '.join(BY_NAME)}", param_hint="NAME")
    click.echo(f"{name}: {BY_NAME[name].work()}")
