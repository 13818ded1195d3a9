"""Queue emails in the caller's transaction (portal.notifications.delivery sends them).

Emails never carry case details: a neutral subject, a short body and a link to sign in.
"""

from datetime import datetime, timedelta

from flask import current_app, has_request_context
from flask_babel import force_locale, gettext
from flask_babel import lazy_gettext as _l

from portal.clock import LONDON, utcnow
from portal.extensions import db
from portal.i18n import DEFAULT_LANGUAGE, N_, current_language, english_only_area
from portal.links import absolute_url
from portal.notifications.models import OutboxMessage, OutboxStatus, new_delivery_key

# Every subject is neutral: someone reading over a shoulder learns nothing.
SUBJECTS = {
    "verify_email": _l("Confirm your email address"),
    "account_exists": _l("Your account"),
    "reset_password": _l("Reset your password"),
    "password_changed": _l("Your account"),
    "sign_in_attempts": _l("Your account"),
    "report_received": _l("Thank you for getting in touch"),
    "claim_report": _l("Confirm it is you"),
    "case_update": _l("You have an update"),
    "new_message": _l("You have a new message"),
    "staff_invite": _l("Set up your account"),
    "witness_invite": _l("You have been invited to follow an update"),
    "sla_alert": _l("Items need your attention"),
    "deadline_reminder": _l("Items need your attention"),
    "task_reminder": _l("Items need your attention"),
    "tasks_overdue": _l("Items need your attention"),
    "support_offer": _l("You have an update"),
    "partner_referral": _l("You have a new item to review"),
    "partner_referral_withdrawn": _l("An item has been withdrawn"),
    "survey_invite": _l("Tell us what you think"),
    "check_in_invite": _l("How are you getting on?"),
}


# The name a neutral message goes by (config NEUTRAL_SERVICE_NAME's default, marked here so the catalogues have it).
NEUTRAL_SERVICE_NAME = N_("Online account")


# Where the session keeps the messages queued in its current transaction (see portal.jobs.queue).
QUEUED_KEY = "outbox_queued"


def account_language(account) -> str:
    """The language to write to an account holder in: staff in English, everyone else in their own choice."""
    return DEFAULT_LANGUAGE if account.is_staff else (account.locale or DEFAULT_LANGUAGE)


def page_language() -> str:
    """For an address with no account: the language of the page that caused the email, otherwise English."""
    if has_request_context() and not english_only_area():
        return current_language()
    return DEFAULT_LANGUAGE


def queue_email(recipient: str, template: str, *, locale: str | None = None, neutral: bool = False,
                **context) -> OutboxMessage:
    """Add an email to the outbox in the current transaction, in `locale` (by default the page's language).
    The caller commits. To write to an account holder, use queue_email_to.

    `neutral`: the person asked for messages from a name that does not mention the police. The message is sent
    from the neutral sender (delivery.sender_for) and its words never name the police, a crime, a report, a
    victim, a witness or the service: templates are given `neutral` and the neutral name as `service_name`."""
    if template not in SUBJECTS:
        raise ValueError(f"unknown email template {template!r}")
    name = current_app.config["NEUTRAL_SERVICE_NAME"] if neutral else current_app.config["SERVICE_NAME"]
    with force_locale(locale or page_language()):
        # Rendered straight from the Jinja environment: emails have no request and need no page context.
        body = current_app.jinja_env.get_template(f"emails/{template}.txt").render(
            base_url=current_app.config["PUBLIC_BASE_URL"].rstrip("/"),
            service_name=gettext(name),
            neutral=neutral,
            **context,
        )
        subject = str(SUBJECTS[template])
    message = OutboxMessage(
        recipient=recipient,
        subject=subject,
        body_text=body,
        template=template,
        neutral_sender=neutral,
        status=OutboxStatus.PENDING,
        delivery_key=new_delivery_key(),
        attempts=0,
        next_attempt_at=utcnow(),
    )
    db.session.add(message)
    # Once the transaction commits, a background worker (when there is one) is asked to send it at once.
    db.session.info.setdefault(QUEUED_KEY, []).append(message)
    return message


def queue_email_to(account, template: str, **context) -> OutboxMessage:
    """Email an account holder (anything with email, locale and is_staff) in their language.

    Staff and partners are written to by the service's name. Everyone else (victims and witnesses) is always
    written to from the neutral sender: an account email (confirm your address, reset your password, sign-in
    attempts) belongs to no one report, the account may have several reports or none yet, and whoever shares the
    inbox must not learn from it that the person has an account with the police. A caller may still pass
    `neutral=` for a message about one report; a staff or partner email is never neutral."""
    neutral = context.pop("neutral", True) and not account.is_staff
    return queue_email(account.email, template, locale=account_language(account), neutral=neutral, **context)


def next_contact_time(report, now: datetime | None = None) -> datetime:
    """The earliest time the person agreed to be contacted: now, or the end of their quiet hours."""
    now = now or utcnow()
    start, end = report.quiet_from_hour, report.quiet_until_hour
    if start is None or end is None or start == end:
        return now
    london = now.astimezone(LONDON)
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

    Emails say only that there is something to read, and link to sign in; from the neutral sender, in neutral
    words, when the person asked for it (report.neutral_sender).
    """
    if "email" not in (report.safe_channels or []):
        return None
    recipient, language = report.contact_email, report.locale
    if report.reporter_user_id is not None:
        account = report.reporter
        if account is not None:
            recipient, language = account.email, account.locale or language
    if not recipient:
        return None
    message = queue_email(recipient, template, locale=language or "en", neutral=report.neutral_sender, **context)
    message.next_attempt_at = next_contact_time(report)
    return message


def notify_victim(report) -> OutboxMessage | None:
    """Tell the person who reported that there is an update."""
    return queue_for_reporter(report, "case_update", sign_in_link=absolute_url("auth.login"))
