"""The forms of following a case without an account: the crime number, the code, and asking for a call."""

from flask_babel import lazy_gettext as _l
from wtforms import StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Regexp

from portal.cases.forms import CrimeNumberField
from portal.forms import PortalForm, submit
from portal.widgets import TextInput


class CrimeNumberForm(PortalForm):
    """The crime number of the case to follow."""

    crime_number = CrimeNumberField(_l("Crime number or reference number"), widget=TextInput(),
                                    description=_l("For example, CR-26-0001234-X, or IR-26-0001234-X for lost "
                                                   "property"),
                                    validators=[DataRequired(message=_l("Enter the crime number"))],
                                    render_kw={"class": "govuk-input--width-20", "spellcheck": "false"})
    submit = submit(_l("Send me a code"))


class CodeForm(PortalForm):
    """The six-digit code we sent."""

    code = StringField(_l("Code"), widget=TextInput(), description=_l("6 numbers, like 123456"),
                       filters=[lambda value: value.replace(" ", "") if isinstance(value, str) else value],
                       validators=[DataRequired(message=_l("Enter the code we sent you")),
                                   Regexp(r"^[0-9]{6}$", message=_l("The code is 6 numbers, like 123456"))],
                       render_kw={"class": "govuk-input--width-5", "spellcheck": "false",
                                  "autocomplete": "one-time-code", "inputmode": "numeric"})
    submit = submit(_l("Continue"))


class GuestCallForm(PortalForm):
    """Ask for a call."""

    note = TextAreaField(_l("Anything you want us to know before we call (optional)"),
                         validators=[Length(max=1000, message=_l("Note must be 1000 characters or fewer"))])
    submit = submit(_l("Ask for a call"))
