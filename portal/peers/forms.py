"""Forms for offering to be a peer supporter (the organisation's are in organisation_forms.py)."""

from flask_babel import lazy_gettext as _l
from wtforms import RadioField, SelectMultipleField, StringField
from wtforms.validators import InputRequired, Length

from portal.forms import Answered, PortalForm, options, submit
from portal.peers.enums import Availability
from portal.support.matching import LANGUAGE_NAMES
from portal.widgets import CheckboxesInput, RadioInput, TextInput

AVAILABILITY_WORDS = {Availability.WEEKDAY_DAYTIME: _l("Weekday daytimes"),
                      Availability.WEEKDAY_EVENINGS: _l("Weekday evenings"),
                      Availability.WEEKENDS: _l("Weekends")}
DELIVERY_CHOICES = [("online", _l("Online")), ("in_person", _l("In person")), ("both", _l("Either"))]


def _checkboxes(label, choices, message, hint=None) -> SelectMultipleField:
    """Checkboxes of which at least one must be ticked, each from the list (the error names the question)."""
    return SelectMultipleField(label, widget=CheckboxesInput(), choices=options(choices), description=hint,
                               invalid_choice_message=message, validators=[Answered(message=message)])


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
                          validators=[Answered(message=_l("Select whether you could help online, in person or "
                                                          "either"))])
    first_name = StringField(_l("The first name you want others to see"), widget=TextInput(),
                             description=_l("It can be your own first name or another one. Nobody sees your full "
                                            "name."),
                             validators=[Answered(message=_l("Enter the first name you want others to see")),
                                         Length(max=40, message=_l("The first name must be 40 characters or fewer"))],
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
