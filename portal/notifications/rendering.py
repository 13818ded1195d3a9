"""Write a message's words for its channel: an email, a text message or a letter, in the person's language.

Each channel has its own folder of plain-text templates of the same names (`templates/emails/`,
`templates/texts/`, `templates/letters/`). Every template is given `neutral` (the person asked for a sender that
does not mention the police: the words then name neither the police, a crime, a report nor the service) and
`service_name` (the neutral name when neutral). Only messages to the person who reported have a text and a letter
form; account and staff messages are emails.
"""

from flask import current_app
from flask_babel import force_locale, gettext

from portal.clock import utcnow
from portal.i18n import uk_date
from portal.notifications.models import Channel

FOLDERS = {Channel.EMAIL: "emails", Channel.TEXT: "texts", Channel.LETTER: "letters"}

# What the person who reported may be told, by whichever channel is safe for them.
REPORTER_TEMPLATES = frozenset({
    "report_received", "case_update", "support_offer", "new_message", "survey_invite", "check_in_invite",
})
# What a person asks for on a page, sent at once by the email or text they chose: a code to follow a case, a link
# to go on with an unfinished report (portal.notifications.services.queue_requested).
REQUESTED_TEMPLATES = frozenset({"tracking_code", "resume_link"})
# What a witness may be told, by whichever channel is safe for them (queue_for_witness): always in neutral words.
WITNESS_TEMPLATES = frozenset({"case_update", "new_message", "hearing_reminder", "check_in_invite"})
TEXT_TEMPLATES = REPORTER_TEMPLATES | REQUESTED_TEMPLATES | WITNESS_TEMPLATES
LETTER_TEMPLATES = REPORTER_TEMPLATES | WITNESS_TEMPLATES


def template_path(channel: Channel, template: str) -> str:
    """The template file for a message of this kind on this channel."""
    if channel is Channel.TEXT and template not in TEXT_TEMPLATES:
        raise ValueError(f"{template!r} is not sent as a text message")
    if channel is Channel.LETTER and template not in LETTER_TEMPLATES:
        raise ValueError(f"{template!r} is not sent as a letter")
    return f"{FOLDERS[channel]}/{template}.txt"


def render_body(channel: Channel, template: str, *, locale: str, neutral: bool, **context) -> str:
    """The message's words, in `locale`. Rendered straight from the Jinja environment: a message has no request."""
    config = current_app.config
    name = config["NEUTRAL_SERVICE_NAME"] if neutral else config["SERVICE_NAME"]
    with force_locale(locale):
        if channel is Channel.LETTER:
            context.setdefault("letter_date", uk_date(utcnow()))
        body = current_app.jinja_env.get_template(template_path(channel, template)).render(
            base_url=config["PUBLIC_BASE_URL"].rstrip("/"),
            service_name=gettext(name),
            neutral=neutral,
            **context,
        )
    # A text message is counted by the character: no blank line at either end.
    return body if channel is Channel.EMAIL else body.strip()
