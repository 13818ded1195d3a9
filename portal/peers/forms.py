"""Forms for offering to be a peer supporter, and for the organisation that runs peer support."""

from flask_babel import lazy_gettext as _l
from wtforms import RadioField, SelectMultipleField, StringField
from wtforms.validators import InputRequired, Length

from portal.fields import GovDateField
from portal.forms import PortalForm, options, submit
from portal.peers.enums import Availability, DeclineReason, SupporterStatus
from portal.support.matching import LANGUAGE_NAMES
from portal.widgets import CheckboxesInput, RadioInput, TextInput

AVAILABILITY_WORDS = {Availability.WEEKDAY_DAYTIME: _l("Weekday daytimes"),
                      Availability.WEEKDAY_EVENINGS: _l("Weekday evenings"),
                      Availability.WEEKENDS: _l("Weekends")}
DELIVERY_CHOICES = [("online", _l("Online")), ("in_person", _l("In person")), ("both", _l("Either"))]
DECLINE_WORDS = {DeclineReason.NO_CAPACITY: _l("We cannot take on more peer supporters at the moment"),
                 DeclineReason.CHECKS_NOT_MET: _l("Our checks were not completed"),
                 DeclineReason.NOT_A_FIT: _l("The offer does not fit the peer support we run"),
                 DeclineReason.TOO_SOON: _l("We ask people to wait longer after their own support"),
                 DeclineReason.OTHER: _l("Another reason")}
STATUS_WORDS = {SupporterStatus.ACTIVE: _l("Active"), SupporterStatus.PAUSED: _l("Paused"),
                SupporterStatus.LEFT: _l("Left")}


def _checkboxes(label, choices, message, hint=None) -> SelectMultipleField:
    return SelectMultipleField(label, widget=CheckboxesInput(), choices=options(choices), description=hint,
                               invalid_choice_message=message)


class OfferForm(PortalForm):
    """What the person offers: none of it is shared until they agree on the next page."""

    categories = _checkboxes(_l("What did you go through?"), [],
                             _l("Select what you went through"),
                             _l("Select all that apply. Organisations see only these categories, never your case."))
    languages = _checkboxes(_l("Which languages could you help in?"),
                            [(code, _l(name)) for code, name in LANGUAGE_NAMES.items()],
                            _l("Select the languages you could help in"))
    availability = _checkboxes(_l("When could you usually help?"), list(AVAILABILITY_WORDS.items()),
                               _l("Select when you could usually help"))
    delivery = RadioField(_l("Could you help online, in person, or either?"), widget=RadioInput(),
                          choices=options(DELIVERY_CHOICES),
                          validators=[InputRequired(message=_l("Select whether you could help online, in person or "
                                                               "either"))])
    first_name = StringField(_l("The first name you want others to see"), widget=TextInput(),
                             description=_l("It can be your own first name or another one. Nobody sees your full "
                                            "name."),
                             validators=[Length(max=40, message=_l("The first name must be 40 characters or fewer"))],
                             render_kw={"class": "govuk-input--width-20", "autocomplete": "off", "spellcheck": "false"})
    shared_contact = StringField(_l("Contact details you want to share with the organisations (optional)"),
                                 widget=TextInput(),
                                 description=_l("For example, an email address or phone number. Leave it empty and "
                                                "they see none: they can reach you through this portal."),
                                 validators=[Length(max=200, message=_l("Contact details must be 200 characters or "
                                                                        "fewer"))],
                                 render_kw={"autocomplete": "off"})
    submit = submit(_l("Continue"))

    fallback_error_field = "categories"


class ConsentForm(PortalForm):
    """The explicit agreement to share the offer with the organisations named on the page."""

    agree = RadioField(_l("Do you agree to share your offer with these organisations?"), widget=RadioInput(),
                       choices=options([("yes", _l("Yes, I agree")), ("no", _l("No, do not share my offer"))]),
                       validators=[InputRequired(message=_l("Select whether you agree to share your offer"))])
    submit = submit(_l("Continue"))

    fallback_error_field = "agree"


class WithdrawForm(PortalForm):
    """Withdraw the offer from every organisation."""

    submit = submit(_l("Withdraw my offer"))


class ChecksForm(PortalForm):
    """The organisation's own checks, with dates (empty for not done yet)."""

    training_completed_on = GovDateField(_l("Training completed on (optional)"), what=_l("the training date"),
                                         required=False, description=_l("For example, 27 3 2026"))
    references_received_on = GovDateField(_l("References received on (optional)"), what=_l("the references date"),
                                          required=False, description=_l("For example, 27 3 2026"))
    safeguarding_checked_on = GovDateField(_l("Safeguarding check on (optional)"),
                                           what=_l("the safeguarding check date"), required=False,
                                           description=_l("For example, an enhanced DBS check. 27 3 2026"))
    submit = submit(_l("Save the checks"))

    fallback_error_field = "training_completed_on"


class AcceptForm(PortalForm):
    """Take the person on as a peer supporter."""

    submit = submit(_l("Accept as a peer supporter"))


class DeclineForm(PortalForm):
    """Decline an offer with a reason from the list."""

    reason = RadioField(_l("Why are you declining this offer?"), widget=RadioInput(),
                        choices=options(list(DECLINE_WORDS.items())),
                        validators=[InputRequired(message=_l("Select a reason"))])
    note = StringField(_l("If another reason, say what it is"), widget=TextInput(),
                       validators=[Length(max=200, message=_l("The reason must be 200 characters or fewer"))])
    submit = submit(_l("Decline the offer"))

    fallback_error_field = "reason"


class StatusForm(PortalForm):
    """An accepted peer supporter's status."""

    status = RadioField(_l("Status"), widget=RadioInput(), choices=options(list(STATUS_WORDS.items())),
                        validators=[InputRequired(message=_l("Select the status"))])
    submit = submit(_l("Save the status"))

    fallback_error_field = "status"
