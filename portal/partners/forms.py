"""Partner forms: handling a referral, and the organisation's own services and groups."""

from flask_babel import lazy_gettext as _l
from govuk_frontend_wtf.wtforms_widgets import GovCharacterCount, GovSelect, GovTextArea
from wtforms import (
    BooleanField,
    HiddenField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from portal.fields import GovDateField, WholeNumberField
from portal.forms import PortalForm, options, submit
from portal.partners.services import CONCERN_MAX
from portal.reporting.boroughs import BOROUGHS
from portal.support import referral_text
from portal.support.assessments import LEVEL_WORDS
from portal.support.matching import LANGUAGE_NAMES
from portal.support.referrals import NOTE_MAX
from portal.support.schedules import DAYS
from portal.widgets import CheckboxesInput, CheckboxInput, RadioInput, TextInput


class VersionField(HiddenField):
    """The version of the referral the partner saw. Errors about the whole form are shown against it, and the
    error summary links to the form's button."""

    error_id = "submit"

    def expected(self) -> int:
        """The version as a number; anything else cannot match, so the service reports the page as out of date."""
        value = (self.data or "").strip()
        return int(value) if value.isdigit() and len(value) <= 9 else -1


class ReferralActionForm(PortalForm):
    """A change to a referral, carrying the version the partner saw."""

    version = VersionField()

    fallback_error_field = "version"


def note_field(label: str) -> TextAreaField:
    """An optional note for the referral's history."""
    return TextAreaField(label, widget=GovCharacterCount(),
                         description=_l("Do not include anything the person would not want written down."),
                         validators=[Length(max=NOTE_MAX, message=_l("The note must be %(max)d characters or fewer",
                                                                      max=NOTE_MAX))])


class AcceptForm(ReferralActionForm):
    """Accept a referral."""

    submit = submit(_l("Accept referral"))


class DeclineForm(ReferralActionForm):
    """Decline a referral with one of the standard reasons."""

    reason = RadioField(_l("Why are you declining this referral?"), widget=RadioInput(),
                        choices=options(referral_text.DECLINE_REASONS.items()),
                        invalid_choice_message=_l("Select why you cannot accept this referral"),
                        validators=[InputRequired(message=_l("Select why you cannot accept this referral"))])
    note = note_field("Anything else to record (optional)")
    submit = submit(_l("Decline referral"))


class ContactForm(ReferralActionForm):
    """One attempt to reach the person."""

    outcome = RadioField(_l("What happened?"), widget=RadioInput(),
                         choices=options(referral_text.CONTACT_OUTCOMES.items()),
                         invalid_choice_message=_l("Select what happened when you tried to make contact"),
                         validators=[InputRequired(message=_l("Select what happened when you tried to make contact"))])
    note = note_field("Note (optional)")
    give_up = BooleanField(_l("We have tried enough: mark this referral as unable to contact"),
                           widget=CheckboxInput(),
                           description=_l("Only if you did not reach the person. You can still record contact later."))
    submit = submit(_l("Record contact attempt"))


class CloseForm(ReferralActionForm):
    """Close a referral with an outcome."""

    outcome = RadioField(_l("What was the outcome?"), widget=RadioInput(),
                         choices=options(referral_text.CLOSE_OUTCOMES.items()),
                         invalid_choice_message=_l("Select the outcome"),
                         validators=[InputRequired(message=_l("Select the outcome"))])
    note = note_field("Anything else to record (optional)")
    submit = submit(_l("Close referral"))


class ConcernForm(PortalForm):
    """A safeguarding concern about the person on a referral, for the police safeguarding team."""

    concern = TextAreaField(
        _l("What are you worried about?"), widget=GovCharacterCount(),
        description=_l("Say what you saw or were told, when, and whether the person or anyone else is at risk now. "
                       "The police safeguarding team reads this today. The person will not see it."),
        validators=[DataRequired(message=_l("Enter what you are worried about")),
                    Length(max=CONCERN_MAX, message=_l("What you are worried about must be %(max)d characters or "
                                                       "fewer", max=CONCERN_MAX))])
    submit = submit(_l("Send the concern to the police"))


# Services and groups ---------------------------------------------------------------------------------------


def checkboxes(label: str, choices, message: str, hint: str | None = None) -> SelectMultipleField:
    """Optional checkboxes whose values must come from the list."""
    return SelectMultipleField(label, widget=CheckboxesInput(), choices=options(choices),
                               description=hint, invalid_choice_message=message)


KIND_CHOICES = [("service", _l("A service run by your staff or volunteers")),
                ("peer_group", _l("A peer-support group")),
                ("peer_one_to_one", _l("One-to-one peer support, with peer supporters you have accepted"))]
DELIVERY_CHOICES = [("in_person", _l("In person")), ("online", _l("Online")),
                    ("both", _l("Both in person and online"))]
FREQ_CHOICES = [("none", _l("No fixed times: by appointment")), ("WEEKLY", _l("Weekly")),
                ("MONTHLY", _l("Monthly"))]
INTERVAL_CHOICES = [("1", _l("1: every week or every month")), ("2", _l("2: every other week or month")),
                    ("3", "3"), ("4", "4")]
WEEK_CHOICES = [("", _l("Select")), ("1", _l("First")), ("2", _l("Second")), ("3", _l("Third")),
                ("4", _l("Fourth")), ("-1", _l("Last"))]
DAY_CHOICES = list(DAYS.items())


class ServiceForm(PortalForm):
    """A service or peer-support group, as the organisation describes it."""

    name = StringField(_l("Name"), widget=TextInput(),
                       validators=[DataRequired(message=_l("Enter the name")),
                                   Length(max=200, message=_l("The name must be 200 characters or fewer"))])
    kind = RadioField(_l("What is it?"), widget=RadioInput(), choices=options(KIND_CHOICES),
                      invalid_choice_message=_l("Select whether this is a service or a peer-support group"),
                      validators=[InputRequired(message=_l("Select whether this is a service or a peer-support "
                                                           "group"))])
    levels = checkboxes("What support does the service give?",
                        [(level, LEVEL_WORDS[level]) for level in ("contact", "specialist")],
                        "Select the support this service gives", "For services only. Peer-support groups give "
                                                                 "peer support.")
    description = TextAreaField(_l("Description"), widget=GovCharacterCount(),
                                description=_l("What you offer and who it is for, in plain words."),
                                validators=[DataRequired(message=_l("Enter a description")),
                                            Length(max=5000, message=_l("The description must be 5000 characters "
                                                                        "or fewer"))])
    categories = checkboxes("Which crimes do you help with?", [], "Select crime categories from the list",
                            "Leave all unticked if you help with every kind of crime.")
    boroughs = checkboxes("Which boroughs do you cover?", [(b, b) for b in BOROUGHS],
                          "Select boroughs from the list", "Leave all unticked if you cover all of London.")
    languages = checkboxes("Which languages can you give support in?", LANGUAGE_NAMES.items(),
                           "Select languages from the list")
    delivery = RadioField(_l("How is the support given?"), widget=RadioInput(), choices=options(DELIVERY_CHOICES),
                          invalid_choice_message=_l("Select how the support is given"),
                          validators=[InputRequired(message=_l("Select how the support is given"))])
    location_name = StringField(_l("Name of the place (optional if online)"), widget=TextInput(),
                                validators=[Length(max=200, message=_l("The place name must be 200 characters or "
                                                                       "fewer"))])
    address = StringField(_l("Address (optional)"), widget=TextInput(),
                          validators=[Length(max=300, message=_l("The address must be 300 characters or fewer"))])
    postcode = StringField(_l("Postcode (optional)"), widget=TextInput(),
                           validators=[Length(max=10, message=_l("Enter a real postcode, like NW1 2DB"))],
                           render_kw={"class": "govuk-input--width-10", "autocomplete": "off"})
    accessibility = TextAreaField(_l("Accessibility (optional)"), widget=GovTextArea(),
                                  description=_l("For example, step-free access, a hearing loop, or quiet space."),
                                  validators=[Length(max=2000, message=_l("The accessibility information must be "
                                                                          "2000 characters or fewer"))])
    step_free = BooleanField(_l("The place has step-free access"), widget=CheckboxInput(),
                             description=_l("People who need step-free access are only offered places that have it."))
    minimum_age = WholeNumberField(_l("Youngest age you support (optional)"), what=_l("the youngest age"),
                                   validators=[Optional()])
    maximum_age = WholeNumberField(_l("Oldest age you support (optional)"), what=_l("the oldest age"),
                                   validators=[Optional()])
    capacity = WholeNumberField(_l("Number of places (optional)"), what=_l("the number of places"),
                                description=_l("For groups, the places in the group. For services, how many people "
                                               "you can support at once. Leave empty if there is no fixed limit."),
                                validators=[Optional()])
    expected_wait_days = WholeNumberField(_l("Usual wait before first contact, in days"), what=_l("the usual wait"),
                                          description=_l("Your estimate, in working days. Once 5 referrals in 90 "
                                                         "days have had first contact, we show the measured wait "
                                                         "instead."),
                                          validators=[InputRequired(message=_l("Enter the usual wait in days"))])
    schedule_freq = RadioField(_l("When does it meet or run?"), widget=RadioInput(), choices=options(FREQ_CHOICES),
                               invalid_choice_message=_l("Select weekly, monthly or by appointment"),
                               validators=[InputRequired(message=_l("Select weekly, monthly or by appointment"))])
    schedule_interval = SelectField(_l("How many weeks or months between meetings"), widget=GovSelect(),
                                    choices=options(INTERVAL_CHOICES),
                                    invalid_choice_message=_l("Select how many weeks or months between meetings"))
    weekly_days = checkboxes("If weekly: which days?", DAY_CHOICES, "Select days from the list")
    monthly_week = SelectField(_l("If monthly: which week of the month?"), widget=GovSelect(),
                               choices=options(WEEK_CHOICES), invalid_choice_message=_l("Select the week"))
    monthly_day = SelectField(_l("If monthly: which day?"), widget=GovSelect(),
                              choices=options([("", _l("Select"))] + DAY_CHOICES),
                              invalid_choice_message=_l("Select the day"))
    opens_at = StringField(_l("Start time (optional)"), widget=TextInput(), description=_l("For example, 18:30"),
                           validators=[Length(max=5, message=_l("Enter times in 24-hour form, like 18:30"))],
                           render_kw={"class": "govuk-input--width-5", "autocomplete": "off"})
    closes_at = StringField(_l("Finish time (optional)"), widget=TextInput(), description=_l("For example, 20:00"),
                            validators=[Length(max=5, message=_l("Enter times in 24-hour form, like 18:30"))],
                            render_kw={"class": "govuk-input--width-5", "autocomplete": "off"})
    facilitator_check = StringField(_l("Facilitators’ safeguarding check"), widget=TextInput(),
                                    description=_l("For example, enhanced DBS check. Needed for peer-support "
                                                   "groups."),
                                    validators=[Length(max=200, message=_l("The safeguarding check must be 200 "
                                                                           "characters or fewer"))])
    facilitator_checked_on = GovDateField(_l("Date of the check"), what=_l("the date of the check"),
                                          required=False, description=_l("For example, 27 3 2025"))
    active = BooleanField(_l("Open to referrals and shown in the directory"), widget=CheckboxInput())
    submit = submit(_l("Save"))

    def byday(self) -> str | None:
        """The days in iCalendar form: 'MO,TH' for weekly, '2TU' for monthly."""
        if self.schedule_freq.data == "WEEKLY":
            chosen = set(self.weekly_days.data or ())
            return ",".join(day for day in DAYS if day in chosen) or None
        if self.schedule_freq.data == "MONTHLY":
            if self.monthly_week.data and self.monthly_day.data:
                return f"{self.monthly_week.data}{self.monthly_day.data}"
        return None

    fallback_error_field = "name"

    def show_error(self, message: str, field: str | None = None) -> None:
        """Put a service's error on the question it is about; the schedule's day is two questions here."""
        if field == "schedule_byday":
            field = "weekly_days" if self.schedule_freq.data == "WEEKLY" else "monthly_day"
        super().show_error(message, field)
