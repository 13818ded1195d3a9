"""Admin forms."""

from flask_babel import lazy_gettext as _l
from govuk_frontend_wtf.wtforms_widgets import GovSelect
from wtforms import BooleanField, IntegerField, RadioField, SelectField, StringField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from portal.auth.staff_names import RANKS
from portal.cases.enums import Route
from portal.forms import PortalForm, email_field, options, submit
from portal.widgets import CheckboxInput, RadioInput, TextInput

ROUTE_LABELS = [
    (Route.SELF_SERVICE.value, _l("Report online")),
    (Route.HATE_INCIDENT.value, _l("Report online as a hate incident (asks about motivation)")),
    (Route.INFORMATION.value, _l("Record as an information report (not a crime)")),
    (Route.FRAUD.value, _l("Send to the national fraud reporting service")),
    (Route.SPECIALIST.value, _l("Send to the specialist support page (not reported online)")),
]


class CategoryForm(PortalForm):
    """Edit a crime category and where it routes people."""

    name = StringField(_l("Name shown to the public"), widget=TextInput(),
                       validators=[DataRequired(message=_l("Enter a name")),
                                   Length(max=100, message=_l("Name must be 100 characters or fewer"))])
    hint = StringField(_l("Hint (optional)"), widget=TextInput(),
                       validators=[Length(max=300, message=_l("Hint must be 300 characters or fewer"))])
    route = RadioField(_l("Where does this category send people?"), choices=options(ROUTE_LABELS),
                       widget=RadioInput(), validators=[InputRequired(message=_l("Select where it sends people"))])
    sort_order = IntegerField(_l("Position in the list"), widget=TextInput(),
                              description=_l("Lower numbers come first"),
                              validators=[Optional(), NumberRange(min=0, max=10000,
                                                                  message=_l("Enter a number from 0 to 10000"))],
                              render_kw={"class": "govuk-input--width-5", "inputmode": "numeric"})
    active = BooleanField(_l("Show this category to the public"), widget=CheckboxInput())
    submit = submit(_l("Save category"))


STAFF_ROLE_CHOICES = [
    ("officer", _l("Police officer or staff")),
    ("supervisor", _l("Supervisor")),
    ("partner", _l("Support organisation (partner)")),
    ("admin", _l("Administrator")),
    ("commissioner", _l("Commissioner (insight dashboard only)")),
    ("witness_care", _l("Witness Care Unit (witness tasks and hearings only)")),
]


class StaffForm(PortalForm):
    """A new staff account."""

    email = email_field(_l("Work email address"))
    display_name = StringField(_l("Name"), widget=TextInput(),
                               description=_l("As the public and colleagues know them, for example Sam Jones"),
                               validators=[DataRequired(message=_l("Enter the name shown to the public")),
                                           Length(max=100, message=_l("Name must be 100 characters or fewer"))])
    rank = SelectField(_l("Rank (police officers only)"), widget=GovSelect(),
                       choices=options([("", _l("No rank"))] + [(rank, rank) for rank in RANKS]), validate_choice=False,
                       validators=[Optional()])
    collar_number = StringField(_l("Collar number (police officers only)"), widget=TextInput(),
                                description=_l("Numbers only, for example 1234"),
                                validators=[Length(max=7, message=_l("Collar number must be 7 digits or fewer"))],
                                render_kw={"class": "govuk-input--width-5", "inputmode": "numeric",
                                           "autocomplete": "off"})
    role = RadioField(_l("Role"), choices=options(STAFF_ROLE_CHOICES), widget=RadioInput(),
                      validators=[InputRequired(message=_l("Select a role"))])
    submit = submit(_l("Create account"))


class StaffActionForm(PortalForm):
    """A button on the staff list that acts on one account (deactivate it, or sign it out everywhere): the CSRF
    token is its only field; the page writes the buttons itself."""
