"""Message forms: a GOV.UK character count; for the victim whether it adds to their report; witnesses and witness
care; the person referred and their support worker."""

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, TextAreaField
from wtforms.validators import DataRequired, ValidationError

from portal.forms import PortalForm, submit
from portal.messages.services import BODY_MAX
from portal.widgets import CharacterCount, CheckboxInput


class MessageLength:
    """At most BODY_MAX characters, counting a line break once (browsers send two characters for each)."""

    def __call__(self, form, field):
        if len((field.data or "").replace("\r\n", "\n")) > BODY_MAX:
            raise ValidationError(_l("Message must be %(max)d characters or fewer", max=BODY_MAX))


def body_field(label: str, hint: str) -> TextAreaField:
    """The message text."""
    return TextAreaField(label, widget=CharacterCount(), description=hint,
                         validators=[DataRequired(message=_l("Enter a message")), MessageLength()])


class VictimMessageForm(PortalForm):
    """The victim writes to the police."""

    body = body_field(_l("Your message"), _l("If you are telling us something new about what happened, tick the box "
                                      "below so that we add it to your report."))
    adds_information = BooleanField(_l("This adds information about what happened"), widget=CheckboxInput(),
                                    description=_l("We will add it to your report, and you will see it in "
                                                   "what has happened so far."))
    submit = submit(_l("Send message"))


class StaffMessageForm(PortalForm):
    """Police staff reply to the victim."""

    body = body_field(_l("Your reply"), _l("The victim reads this when they next sign in. Someone else may see "
                                    "their screen, so write nothing you would not put in a letter to them."))
    submit = submit(_l("Send reply"))


class WitnessMessageForm(PortalForm):
    """A witness writes to witness care."""

    body = body_field(_l("Your message"), _l("For example, a question about going to court, or something that has "
                                             "changed for you."))
    submit = submit(_l("Send message"))


class WitnessCareMessageForm(PortalForm):
    """Witness care reply to a witness (staff only: English)."""

    body = body_field("Your reply", "The witness reads this when they next sign in. Someone else may see their "
                                    "screen, so write nothing you would not put in a letter to them.")
    submit = submit("Send reply")


class SupportMessageForm(PortalForm):
    """The person referred writes to their support organisation."""

    body = body_field(_l("Your message"), _l("For example, a question for your support worker, or a good time to "
                                             "talk."))
    submit = submit(_l("Send message"))


class PartnerMessageForm(PortalForm):
    """A support worker writes to the person referred (partner pages are English)."""

    body = body_field("Your message", "They read this when they next sign in. Someone else may see their screen, so "
                                      "write nothing you would not put in a letter to them.")
    submit = submit("Send message")
