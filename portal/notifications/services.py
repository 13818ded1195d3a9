"""Queue messages in the caller's transaction (portal.notifications.delivery sends them).

Messages never carry case details: a neutral subject, a short body and a link to sign in. Messages to the person
who reported go through one gate (queue_for_reporter), which chooses the channel: email, text message or letter,
whichever is safe for them and possible; when none is, a person is asked to call (portal.notifications.hooks).
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import has_request_context
from flask_babel import force_locale
from flask_babel import lazy_gettext as _l

from portal.clock import LONDON, utcnow
from portal.extensions import db
from portal.i18n import DEFAULT_LANGUAGE, N_, current_language, english_only_area
from portal.links import absolute_url
from portal.notifications.channels import Destination, destinations
from portal.notifications.hooks import hooks
from portal.notifications.models import Channel, OutboxMessage, OutboxStatus, new_delivery_key
from portal.notifications.rendering import REQUESTED_TEMPLATES, render_body

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
    "partner_new_message": _l("You have a new message"),
    "survey_invite": _l("Tell us what you think"),
    "check_in_invite": _l("How are you getting on?"),
    "tracking_code": _l("Your code"),
    "resume_link": _l("Continue where you left off"),
    "hearing_reminder": _l("You have a date coming up"),
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
    The caller commits. To write to an account holder, use queue_email_to; to the person who reported,
    queue_for_reporter.

    `neutral`: the person asked for messages from a name that does not mention the police. The message is sent
    from the neutral sender (delivery.sender_for) and its words never name the police, a crime, a report, a
    victim, a witness or the service: templates are given `neutral` and the neutral name as `service_name`."""
    return _queue(Destination(Channel.EMAIL, recipient), template, locale=locale or page_language(),
                  neutral=neutral, context=context)


def queue_requested(destination: Destination, template: str, *, locale: str, neutral: bool,
                    **context) -> OutboxMessage:
    """A message a person asked for on a page, to the email address or UK mobile they chose, in the caller's
    transaction: a code to follow a case, a link to go on with an unfinished report (REQUESTED_TEMPLATES). It is
    sent at once (the person is waiting for it: no quiet hours), and only by email or text."""
    if template not in REQUESTED_TEMPLATES or destination.channel is Channel.LETTER:
        raise ValueError(f"{template!r} by {destination.channel.value} is not a message a person asks for")
    return _queue(destination, template, locale=locale, neutral=neutral, context=context)


def _queue(destination: Destination, template: str, *, locale: str, neutral: bool, context: dict,
           report_id: int | None = None, replaces: OutboxMessage | None = None) -> OutboxMessage:
    """Write one message for one channel into the outbox, in the caller's transaction."""
    if template not in SUBJECTS:
        raise ValueError(f"unknown message template {template!r}")
    body = render_body(destination.channel, template, locale=locale, neutral=neutral, **context)
    with force_locale(locale):
        subject = str(SUBJECTS[template])
    message = OutboxMessage(
        recipient=destination.recipient,
        postal_address=destination.postal_address,
        channel=destination.channel,
        subject=subject,
        body_text=body,
        template=template,
        neutral_sender=neutral,
        status=OutboxStatus.PENDING,
        delivery_key=new_delivery_key(),
        attempts=0,
        next_attempt_at=utcnow(),
        report_id=report_id,
        # Kept so that a message that cannot be delivered can be written again for the next channel.
        template_context=dict(context) if report_id is not None else None,
        replaces_id=replaces.id if replaces is not None else None,
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


@dataclass(frozen=True)
class _WitnessReached:
    """A witness as the channel chooser reads a person: their account, and the channels and details they gave."""

    safe_channels: list
    reporter: object
    reporter_user_id: int
    contact_phone: str | None
    contact_name: str | None
    contact_address: str | None
    contact_address_postcode: str | None
    contact_email: None = None


def queue_for_witness(link, account, template: str, **context) -> OutboxMessage | None:
    """The one way to write to a witness about a case they follow (`link`, their witness link): by the first safe
    channel they gave, as for the person who reported (email to their account's address unless they said otherwise,
    else a text message, else a letter), in their language and neutral words. Never to a closed account. Nothing
    is queued if no channel works, which the witness's contact form does not allow."""
    if account is None or not account.is_active_account:
        return None
    found = destinations(_WitnessReached(
        safe_channels=list(link.safe_channels or ["email"]), reporter=account, reporter_user_id=account.id,
        contact_phone=link.contact_phone, contact_name=link.contact_name, contact_address=link.contact_address,
        contact_address_postcode=link.contact_address_postcode))
    if not found:
        return None
    return _queue(found[0], template, locale=account_language(account), neutral=True, context=context)


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


def reporter_language(report) -> str:
    """The language to write to the person who reported in: their account's, else the report's."""
    account = report.reporter if report.reporter_user_id is not None else None
    return (account.locale if account is not None else None) or report.locale or DEFAULT_LANGUAGE


def queue_for_reporter(report, template: str, **context) -> OutboxMessage | None:
    """The one way to message the person who reported: only by a safe channel, and not in their quiet hours.

    The channel is chosen here, once, for every message: the first of email, text message and letter that the
    person said is safe and gave an address or number for (portal.notifications.channels). When there is none,
    only a person can reach them: someone is asked to call (a task), and nothing is queued. Messages say only
    that there is something to read, and link to sign in; from the neutral sender, in neutral words, when the
    person asked for it (report.neutral_sender). `context` must be plain data: it is kept with the message.
    """
    found = destinations(report)
    if not found:
        hooks().person_needed(report)
        return None
    return _queue_for(report, found[0], template, context)


# What a guest may be sent, linking to /track (the rest of REPORTER_TEMPLATES need an account to act on).
GUEST_TEMPLATES = frozenset({"report_received", "case_update", "support_offer"})


def _queue_for(report, destination: Destination, template: str, context: dict,
               replaces: OutboxMessage | None = None) -> OutboxMessage:
    """Queue one message to the person who reported, by one channel, held until their quiet hours end.

    A guest (a report with no account) cannot sign in: their link is to /track, where the crime number and a code
    open the case, and the words say "follow your case" (`guest`). Surveys, check-ins and messages from the officer
    need an account and are only ever sent to account holders."""
    if report.reporter_user_id is None and template in GUEST_TEMPLATES:
        context = {**context, "sign_in_link": absolute_url("track.start"), "guest": True}
    message = _queue(destination, template, locale=reporter_language(report), neutral=report.neutral_sender,
                     context=context, report_id=report.id, replaces=replaces)
    message.next_attempt_at = next_contact_time(report)
    return message


def channels_tried(message: OutboxMessage) -> frozenset[Channel]:
    """The channels this message, and every message it replaced, went by."""
    tried = {message.channel}
    earlier = message.replaces_id
    while earlier is not None:
        before = db.session.get(OutboxMessage, earlier)
        if before is None:
            break
        tried.add(before.channel)
        earlier = before.replaces_id
    return frozenset(tried)


def fall_back(message: OutboxMessage) -> OutboxMessage | None:
    """A message could not be delivered for good (a number that does not exist, an address that cannot be
    delivered to): send it again by the person's next safe channel, or, when none is left, ask someone to call.
    Staff see it on the case either way. Returns the new message, if there is one. The caller commits."""
    message.status = OutboxStatus.FAILED
    message.claimed_until = None
    if message.report_id is None:
        return None  # an account or staff email: nobody else to try
    report = hooks().report_for(message.report_id)
    if report is None:
        return None
    remaining = destinations(report, leaving_out=channels_tried(message))
    context = dict(message.template_context or {})
    replacement = _queue_for(report, remaining[0], message.template, context, replaces=message) if remaining else None
    hooks().not_delivered(report, message, replacement)
    if replacement is None:
        hooks().person_needed(report)
    return replacement


def notify_victim(report) -> OutboxMessage | None:
    """Tell the person who reported that there is an update."""
    return queue_for_reporter(report, "case_update", sign_in_link=absolute_url("auth.login"))
