"""Queue emails in the caller's transaction, and deliver what is due.

Emails never carry case details: a neutral subject, a short body and a link to sign in.
"""

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import current_app
from flask_mail import Message
from sqlalchemy import select

from portal.clock import utcnow
from portal.extensions import db, mail
from portal.notifications.models import OutboxMessage, OutboxStatus

log = logging.getLogger(__name__)

# Every subject is neutral: someone reading over a shoulder learns nothing.
SUBJECTS = {
    "verify_email": "Confirm your email address",
    "account_exists": "Your account",
    "reset_password": "Reset your password",
    "password_changed": "Your account",
    "report_received": "Thank you for getting in touch",
    "claim_report": "Confirm it is you",
    "case_update": "You have an update",
    "new_message": "You have a new message",
    "staff_invite": "Set up your account",
    "witness_invite": "You have been invited to follow an update",
    "sla_alert": "Items need your attention",
    "support_offer": "You have an update",
    "partner_referral": "You have a new item to review",
    "partner_referral_withdrawn": "An item has been withdrawn",
    "survey_invite": "Tell us what you think",
    "check_in_invite": "How are you getting on?",
}


def queue_email(recipient: str, template: str, **context) -> OutboxMessage:
    """Add an email to the outbox in the current transaction. The caller commits."""
    if template not in SUBJECTS:
        raise ValueError(f"unknown email template {template!r}")
    # Rendered straight from the Jinja environment: emails have no request and need no page context.
    body = current_app.jinja_env.get_template(f"emails/{template}.txt").render(
        base_url=current_app.config["PUBLIC_BASE_URL"].rstrip("/"),
        service_name=current_app.config["SERVICE_NAME"],
        **context,
    )
    message = OutboxMessage(
        recipient=recipient,
        subject=SUBJECTS[template],
        body_text=body,
        template=template,
        status=OutboxStatus.PENDING,
        attempts=0,
        next_attempt_at=utcnow(),
    )
    db.session.add(message)
    return message


@dataclass
class DeliveryReport:
    """What one delivery run did."""

    sent: int = 0
    failed: int = 0


def backoff_delay(attempts: int) -> timedelta:
    """How long to wait after the given number of failed attempts: 30 s doubling, capped."""
    cap = current_app.config["OUTBOX_MAX_BACKOFF_SECONDS"]
    return timedelta(seconds=min(30 * 2 ** max(attempts - 1, 0), cap))


def deliver_pending(now: datetime | None = None, limit: int = 100) -> DeliveryReport:
    """Send every pending message that is due. Failures are kept and retried later."""
    now = now or utcnow()
    report = DeliveryReport()
    due = db.session.scalars(
        select(OutboxMessage)
        .where(OutboxMessage.status == OutboxStatus.PENDING, OutboxMessage.next_attempt_at <= now)
        .order_by(OutboxMessage.id)
        .limit(limit)
    ).all()
    for message in due:
        try:
            _send(message)
        except Exception as error:  # noqa: BLE001 - any transport failure is retried, never lost
            message.attempts += 1
            message.last_error = f"{type(error).__name__}: {error}"[:500]
            message.next_attempt_at = now + backoff_delay(message.attempts)
            report.failed += 1
            log.warning("outbox message %s not delivered (attempt %s): %s", message.id, message.attempts,
                        message.last_error)
        else:
            message.attempts += 1
            message.status = OutboxStatus.SENT
            message.sent_at = utcnow()
            message.last_error = None
            report.sent += 1
        db.session.commit()
    return report


def _send(message: OutboxMessage) -> None:
    """Hand one message to the SMTP server."""
    mail.send(
        Message(
            subject=message.subject,
            recipients=[message.recipient],
            body=message.body_text,
            sender=current_app.config["MAIL_DEFAULT_SENDER"],
        )
    )


def next_contact_time(report, now: datetime | None = None) -> datetime:
    """The earliest time the person agreed to be contacted: now, or the end of their quiet hours."""
    from zoneinfo import ZoneInfo

    now = now or utcnow()
    start, end = report.quiet_from_hour, report.quiet_until_hour
    if start is None or end is None or start == end:
        return now
    london = now.astimezone(ZoneInfo("Europe/London"))
    hour = london.hour
    quiet = start <= hour < end if start < end else (hour >= start or hour < end)
    if not quiet:
        return now
    opens = london.replace(hour=end, minute=0, second=0, microsecond=0)
    if opens <= london:
        opens += timedelta(days=1)
    return opens.astimezone(now.tzinfo)


def queue_for_reporter(report, template: str, **context) -> OutboxMessage | None:
    """The one way to message the person who reported: only by a safe channel, and not in their quiet hours.

    Emails say only that there is something to read, and link to sign in.
    """
    if "email" not in (report.safe_channels or []):
        return None
    recipient = report.contact_email
    if report.reporter_user_id is not None:
        from portal.auth.models import User

        account = db.session.get(User, report.reporter_user_id)
        recipient = account.email if account else recipient
    if not recipient:
        return None
    message = queue_email(recipient, template, **context)
    message.next_attempt_at = next_contact_time(report)
    return message


def notify_victim(report) -> OutboxMessage | None:
    """Tell the person who reported that there is an update."""
    from portal.links import absolute_url

    return queue_for_reporter(report, "case_update", sign_in_link=absolute_url("auth.login"))
