"""Send through GOV.UK Notify, the production provider for email, text messages and precompiled letters.

Notify's sender name belongs to a Notify service, not to a message, so the portal has two services: the usual
one (NOTIFY_API_KEY) and a neutral one (NOTIFY_NEUTRAL_API_KEY) whose name and templates never mention the police
or the service. A message goes through the service its person chose. Each service has one email template and
one text template that show what the portal wrote: `((subject))` and `((body))` for email, `((body))` for texts
(NOTIFY_EMAIL_TEMPLATE_ID, NOTIFY_SMS_TEMPLATE_ID and the NEUTRAL_ ones). A text goes from the matching sender
id (NOTIFY_SMS_SENDER_ID, NOTIFY_NEUTRAL_SMS_SENDER_ID). A letter is a PDF the portal made (precompiled).

The delivery key is the reference Notify keeps, and its delivery receipts name it
(portal.notifications.receipts).
"""

from io import BytesIO

from flask import current_app
from notifications_python_client.errors import HTTPError
from notifications_python_client.notifications import NotificationsAPIClient

from portal.notifications.models import Channel, OutboxMessage


class Undeliverable(Exception):
    """The provider refused the message for good (a number or address that cannot be used): retrying is useless."""


def configured() -> bool:
    """Whether a Notify key is set (otherwise email goes by SMTP, texts and letters to the development mailbox)."""
    return bool(current_app.config.get("NOTIFY_API_KEY"))


def _setting(message: OutboxMessage, name: str) -> str | None:
    """A setting of the Notify service this message goes through: the neutral one when the person chose it."""
    config = current_app.config
    prefix = "NOTIFY_NEUTRAL_" if message.neutral_sender else "NOTIFY_"
    return config.get(prefix + name)


def _client(message: OutboxMessage) -> NotificationsAPIClient:
    """A client for the message's Notify service. A neutral message never falls back to the usual service."""
    key = _setting(message, "API_KEY")
    if not key:
        raise RuntimeError("NOTIFY_NEUTRAL_API_KEY is not set: a neutral message cannot go by the usual service")
    return NotificationsAPIClient(key, base_url=current_app.config["NOTIFY_BASE_URL"],
                                  timeout=current_app.config["MAIL_TIMEOUT_SECONDS"])


def send(message: OutboxMessage, pdf: bytes | None = None) -> str:
    """Hand the message to Notify; return Notify's id for it. Raises Undeliverable when Notify refuses it for
    good (HTTP 400: not a valid number or address), and anything else for a failure worth retrying."""
    client = _client(message)
    try:
        if message.channel is Channel.EMAIL:
            response = client.send_email_notification(
                message.recipient, _setting(message, "EMAIL_TEMPLATE_ID"),
                personalisation={"subject": message.subject, "body": message.body_text},
                reference=message.delivery_key)
        elif message.channel is Channel.TEXT:
            response = client.send_sms_notification(
                message.recipient, _setting(message, "SMS_TEMPLATE_ID"), personalisation={"body": message.body_text},
                reference=message.delivery_key, sms_sender_id=_setting(message, "SMS_SENDER_ID"))
        else:
            if pdf is None:
                raise ValueError("a letter needs its PDF")
            response = client.send_precompiled_letter_notification(message.delivery_key, BytesIO(pdf),
                                                                   postage="second")
    except HTTPError as error:
        if _refused_the_recipient(error):
            raise Undeliverable(f"Notify refused it: {error.message}") from error
        raise
    return str(response["id"])


# Notify's validation messages about the person's own number or address begin with the field's name.
_RECIPIENT_FIELDS = ("phone_number", "email_address", "address_line", "postcode")


def _refused_the_recipient(error: HTTPError) -> bool:
    """Whether Notify refused the message because of the person's number or address (a 400 ValidationError about
    it), as opposed to the portal's own set-up (a trial-mode or team key, an unknown template, a wrong sender id,
    missing personalisation: also 400s, but retried, for nobody's number is at fault)."""
    if error.status_code != 400 or not isinstance(error.message, list):
        return False
    return any(isinstance(item, dict) and item.get("error") == "ValidationError"
               and str(item.get("message", "")).startswith(_RECIPIENT_FIELDS) for item in error.message)

