"""When a machine cannot reach the person who reported: a call task, and a note on the case for staff.

The notifications layer chooses each message's channel (portal.notifications.services.queue_for_reporter) but
sits below the case core; the app factory connects these functions to it (portal.notifications.hooks).
"""

from sqlalchemy import select

from portal.audit.services import record_audit
from portal.cases.models import Report
from portal.cases.timeline import add_timeline_event
from portal.extensions import db
from portal.i18n import N_
from portal.notifications.channels import destinations
from portal.notifications.hooks import Hooks
from portal.notifications.models import OutboxMessage
from portal.tasks.enums import OWED, Asker, TaskType
from portal.tasks.models import Task
from portal.tasks.services import raise_task

CHANNEL_WORDS = {"email": N_("email"), "text": N_("text message"), "letter": N_("letter")}


def ask_for_call(report: Report) -> None:
    """Nobody can be told anything by email, text or letter: someone must call, within a working day. One owed
    task at a time is enough; once it is done, the next message that cannot go by machine raises another."""
    owed = db.session.scalar(select(Task.id).where(Task.report_id == report.id,
                                                   Task.type == TaskType.CONTACT_OFFLINE,
                                                   Task.status.in_(OWED)).limit(1))
    if owed is None:
        raise_task(report, TaskType.CONTACT_OFFLINE, Asker.SYSTEM, None)


def ask_for_call_if_unreachable(report: Report) -> None:
    """After the person changed how to reach them: a call task if no machine channel is left."""
    if not destinations(report):
        ask_for_call(report)


def not_delivered(report: Report, failed: OutboxMessage, replacement: OutboxMessage | None) -> None:
    """Tell staff, on the case, that a message could not be delivered and what was done instead."""
    if replacement is not None:
        add_timeline_event(report.id, "contact", N_("A %(failed)s could not be delivered"),
                           N_("It was sent again by %(next)s."),
                           values={"failed": CHANNEL_WORDS[failed.channel.value],
                                   "next": CHANNEL_WORDS[replacement.channel.value]})
    else:
        add_timeline_event(report.id, "contact", N_("A %(failed)s could not be delivered"),
                           N_("No other safe way to send it is left: someone needs to call."),
                           values={"failed": CHANNEL_WORDS[failed.channel.value]})
    record_audit(None, "message.not_delivered", "report", report.crime_number,
                 f"{failed.channel.value} failed; " + (f"sent by {replacement.channel.value}" if replacement
                                                      else "call task raised"))


def connect_hooks() -> Hooks:
    """The functions the notifications layer calls (the app factory passes them to hooks.connect)."""
    return Hooks(report_for=lambda report_id: db.session.get(Report, report_id),
                 person_needed=ask_for_call, not_delivered=not_delivered)
