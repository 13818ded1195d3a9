"""Forms for one-to-one peer support: the organisation proposes a peer supporter; the person answers; either side
writes, shares contact details, ends the conversation or reports a concern; the organisation pauses, resumes and
deals with concerns (partner pages are in English, as the rest of the partner area)."""

from flask_babel import lazy_gettext as _l
from wtforms import RadioField, StringField, TextAreaField
from wtforms.validators import InputRequired, Length

from portal.forms import PortalForm, options, submit
from portal.messages.forms import body_field
from portal.peers.matches import CONTACT_MAX, REASON_MAX
from portal.widgets import CharacterCount, RadioInput, TextInput


class ProposeForm(PortalForm):
    """The organisation chooses one of the suitable peer supporters (choices set by the view)."""

    supporter = RadioField("Which peer supporter do you propose?", widget=RadioInput(), choices=[],
                           validators=[InputRequired(message="Select a peer supporter from the list")])
    submit = submit("Propose this peer supporter")

    fallback_error_field = "supporter"


class AnswerForm(PortalForm):
    """The person agrees to talk with the proposed peer supporter, with the first name they want to be shown by."""

    agree = RadioField(_l("Do you want to talk with this peer supporter?"), widget=RadioInput(),
                       choices=options([("yes", _l("Yes")), ("no", _l("No, not this person"))]),
                       validators=[InputRequired(message=_l("Select whether you want to talk with this peer "
                                                            "supporter"))])
    first_name = StringField(_l("The first name you want them to see"), widget=TextInput(),
                             description=_l("It can be your own first name or another one. They never see your "
                                            "full name or your case."),
                             validators=[Length(max=40, message=_l("The first name must be 40 characters or "
                                                                   "fewer"))],
                             render_kw={"class": "govuk-input--width-20", "autocomplete": "off",
                                        "spellcheck": "false"})
    submit = submit(_l("Continue"))

    fallback_error_field = "agree"


class PeerMessageForm(PortalForm):
    """One side writes to the other."""

    body = body_field(_l("Your message"), _l("Write nothing you would not want them to know. The organisation "
                                             "can read this conversation."))
    submit = submit(_l("Send message"))


class ShareForm(PortalForm):
    """One side chooses to share contact details."""

    contact = StringField(_l("Contact details you want to share"), widget=TextInput(),
                          description=_l("For example, an email address or a phone number. They see it only if "
                                         "they share theirs too."),
                          validators=[InputRequired(message=_l("Enter the contact details you want to share")),
                                      Length(max=CONTACT_MAX, message=_l("Contact details must be %(max)d "
                                                                         "characters or fewer", max=CONTACT_MAX))],
                          render_kw={"autocomplete": "off"})
    submit = submit(_l("Share my contact details"))

    fallback_error_field = "contact"


class StopSharingForm(PortalForm):
    """One side takes their contact details back."""

    submit = submit(_l("Stop sharing my contact details"))


class EndForm(PortalForm):
    """Either side ends the conversation."""

    submit = submit(_l("End the conversation"))


class ConcernForm(PortalForm):
    """Either side reports a concern to the organisation."""

    reason = TextAreaField(_l("What worries you?"), widget=CharacterCount(),
                           description=_l("The organisation reads this and decides what to do. The other person is "
                                          "not told."),
                           validators=[InputRequired(message=_l("Say what worries you")),
                                       Length(max=REASON_MAX, message=_l("This must be %(max)d characters or fewer",
                                                                         max=REASON_MAX))])
    submit = submit(_l("Report the concern"))

    fallback_error_field = "reason"


class PauseForm(PortalForm):
    """The organisation pauses or resumes the conversation."""

    submit = submit("Pause the conversation")


class ResumeForm(PortalForm):
    """The organisation lets a paused conversation go on."""

    submit = submit("Start the conversation again")


class DealtWithForm(PortalForm):
    """The organisation records that a concern was dealt with."""

    note = TextAreaField("What you did (optional)", widget=CharacterCount(),
                         validators=[Length(max=REASON_MAX, message=f"This must be {REASON_MAX} characters or fewer")])
    submit = submit("Mark as dealt with")

    fallback_error_field = "note"
