"""flask CLI commands: demo data, the outbox worker and the development mail sink."""

import time

import click
from flask import Flask, current_app
from flask.cli import with_appcontext

from portal.devmail.sink import run_sink
from portal.devtools.demo import load_demo_data
from portal.devtools.generator import generate_cases
from portal.extensions import db
from portal.insight.refresh import refresh
from portal.jobs.commands import jobs
from portal.jobs.retention import apply_retention
from portal.notifications.delivery import deliver_pending
from portal.reporting.services import purge_old_drafts
from portal.support.assessments import send_due_offers
from portal.surveys.schedule import send_due
from portal.tasks.reminders import remind_and_escalate
from portal.triage.alerts import raise_sla_alerts
from portal.triage.reminders import remind_due_deadlines


def register(app: Flask) -> None:
    """Add the commands to the app's CLI."""
    app.cli.add_command(demo_data)
    app.cli.add_command(outbox)
    app.cli.add_command(dev_mail_sink)
    app.cli.add_command(reports)
    app.cli.add_command(triage)
    app.cli.add_command(tasks)
    app.cli.add_command(support)
    app.cli.add_command(surveys)
    app.cli.add_command(insight)
    app.cli.add_command(retention)

    app.cli.add_command(jobs)

    app.cli.add_command(generate_cases)


@click.command("demo-data")
@with_appcontext
def demo_data():
    """Create the demo accounts (idempotent) and print how to sign in."""
    for line in load_demo_data():
        click.echo(line)


@click.group()
def outbox():
    """Deliver queued email."""


@outbox.command("send")
@with_appcontext
def outbox_send():
    """Deliver pending messages once."""
    report = deliver_pending()
    click.echo(f"sent {report.sent}, failed {report.failed}")


@outbox.command("worker")
@click.option("--interval", default=5.0, show_default=True, help="Seconds between delivery runs.")
@with_appcontext
def outbox_worker(interval: float):
    """Deliver pending messages in a loop until stopped."""
    click.echo(f"outbox worker: delivering every {interval} s (Ctrl+C to stop)")
    while True:
        try:
            report = deliver_pending()
            if report.sent or report.failed:
                click.echo(f"sent {report.sent}, failed {report.failed}")
        except Exception:  # noqa: BLE001 - the worker keeps going; the outbox keeps the messages
            current_app.logger.exception("outbox delivery run failed")
            db.session.rollback()
        finally:
            db.session.remove()
        time.sleep(interval)


@click.command("dev-mail-sink")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=1025, show_default=True)
@with_appcontext
def dev_mail_sink(host: str, port: int):
    """Development only: receive mail on loopback and keep it for the /dev/mail viewer."""
    if not current_app.config["DEV_MAIL_VIEWER"]:
        raise click.ClickException("The mail sink is for development only.")
    click.echo(f"mail sink on {host}:{port}, saving to {current_app.config['DEV_MAILBOX_DIR']}")
    run_sink(host, port, current_app.config["DEV_MAILBOX_DIR"])


@click.group()
def reports():
    """Housekeeping for reports."""


@reports.command("purge-drafts")
@with_appcontext
def purge_drafts():
    """Delete unfinished reports not saved for 30 days, with their uploaded files."""
    click.echo(f"deleted {purge_old_drafts()} old draft(s)")


@click.group()
def triage():
    """Triage housekeeping."""


@triage.command("sla-alerts")
@with_appcontext
def sla_alerts():
    """Alert supervisors to reports about to miss the 45-minute or 48-hour targets."""
    click.echo(f"raised {raise_sla_alerts()} new alert(s)")


@triage.command("deadline-reminders")
@with_appcontext
def deadline_reminders():
    """Remind officers of Victims' Code promises to victims falling due within a day (each once)."""
    click.echo(f"reminded about {remind_due_deadlines()} deadline(s)")


@click.group()
def tasks():
    """Tasks housekeeping."""


@tasks.command("remind")
@with_appcontext
def task_reminders():
    """Warn officers of tasks due by the end of the next working day, and tell supervisors of overdue ones."""
    done = remind_and_escalate()
    click.echo(f"reminded about {done.reminded} task(s), escalated {done.escalated} overdue task(s)")


@click.group()
def retention():
    """Deleting what the service no longer needs."""


@retention.command("apply")
@with_appcontext
def retention_apply():
    """Delete drafts untouched for 30 days, sent emails past their keeping time and long-expired links."""
    done = apply_retention()
    click.echo(f"deleted {done.drafts} draft(s), {done.sent_messages} sent message(s), {done.spent_tokens} link(s), "
               f"{done.old_sessions} old session record(s), {done.failed_attempts} old sign-in failure(s), "
               f"{done.feedback_comments} old feedback comment(s)")


@click.group()
def support():
    """Support for victims."""


@support.command("send-offers")
@with_appcontext
def send_offers():
    """Offer support on cases reported over an hour ago that have not been offered it yet."""
    click.echo(f"offered support on {send_due_offers()} case(s)")


@click.group()
def surveys():
    """Satisfaction surveys and cope-and-recover check-ins."""


@surveys.command("send")
@with_appcontext
def surveys_send():
    """Offer the surveys and check-ins that are due, and email the invitations (by a safe channel only)."""
    counts = send_due()
    click.echo(f"offered {counts.surveys} survey(s) and {counts.check_ins} check-in(s) "
               f"({counts.check_ins_created} check-in(s) scheduled); emailed {counts.emails}; "
               f"drew {counts.drawn} case(s) for the comparison, {counts.chosen} chosen")


@click.group()
def insight():
    """The insight dashboard's figures."""


@insight.command("refresh")
@click.option("--all", "everything", is_flag=True, help="Rebuild every day, not only the recent and changed ones.")
@with_appcontext
def insight_refresh(everything: bool):
    """Work out the daily rollups the insight pages read (every 15 minutes)."""
    done = refresh(everything=everything)
    click.echo(f"insight figures rebuilt for {done.days} day(s) in {done.seconds:.1f} s")
