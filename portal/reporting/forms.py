"""One form per question page of the report wizard. Field names are the keys of the saved answers."""

from flask_babel import lazy_gettext as _l
from govuk_frontend_wtf.wtforms_widgets import GovFileInput, GovSelect
from wtforms import BooleanField, FileField, RadioField, SelectField, SelectMultipleField, StringField, TextAreaField
from wtforms.validators import DataRequired, Email, InputRequired, Length, Optional, Regexp, ValidationError

from portal import contact_needs as needs
from portal import postal_address as postal
from portal.fields import GovDateField
from portal.forms import PortalForm, options, submit
from portal.notifications.channels import uk_mobile
from portal.reporting import money
from portal.reporting.boroughs import BOROUGHS
from portal.widgets import CharacterCount, CheckboxesInput, CheckboxInput, RadioInput, TextInput

YES_NO = [("yes", _l("Yes")), ("no", _l("No"))]
DESCRIPTION_MAX = 5000
NOTES_MAX = 2000

HATE_MOTIVATIONS = [
    ("race", _l("Race or ethnicity, including nationality")),
    ("religion", _l("Religion or belief")),
    ("sexual_orientation", _l("Sexual orientation")),
    ("disability", _l("Disability")),
    ("transgender", _l("Transgender identity")),
    ("other", _l("Something else about who they are")),
]
CHANNELS = [
    ("email", _l("Email")),
    ("phone", _l("Phone call")),
    ("text", _l("Text message")),
    ("letter", _l("Letter")),
]


def radios(label: str, choices, message: str, hint: str | None = None) -> RadioField:
    """A required radio question."""
    return RadioField(label, choices=options(choices), widget=RadioInput(), description=hint,
                      validators=[InputRequired(message=message)], validate_choice=True)


def optional_notes(label: str, hint: str) -> TextAreaField:
    """An optional long answer with a visible limit."""
    return TextAreaField(
        label, widget=CharacterCount(), description=hint,
        validators=[Optional(), Length(max=NOTES_MAX,
                                       message=_l("Answer must be %(max)d characters or fewer", max=NOTES_MAX))],
    )


class ContinueForm(PortalForm):
    """A page with only a Continue button."""

    submit = submit(_l("Continue"))


class SafetyNowForm(PortalForm):
    """Is anyone in danger now?"""

    danger_now = radios(_l("Is anyone in danger now, or is the crime happening now?"), YES_NO,
                        _l("Select yes if anyone is in danger now or the crime is happening now"))
    submit = submit(_l("Continue"))


class ImmediateRiskForm(PortalForm):
    """Weapons, injury, or a suspect nearby."""

    immediate_risk = radios(
        _l("Was anyone hurt, was a weapon involved, or is the person who did it still nearby?"), YES_NO,
        _l("Select yes if anyone was hurt, a weapon was involved, or the person is still nearby"))
    submit = submit(_l("Continue"))


# Offered after the categories (their codes are portal.reporting.journey.NOT_LISTED).
NOT_LISTED_CHOICES = [("something_else", _l("Something else")), ("not_sure", _l("I’m not sure"))]


class CategoryForm(PortalForm):
    """What happened. Choices come from the crime categories table."""

    category = radios(_l("What happened?"), [], _l("Select what happened"))
    submit = submit(_l("Continue"))


class HateMotivationForm(PortalForm):
    """Perceived motivation, across the five monitored strands."""

    hate_motivations = SelectMultipleField(
        _l("What do you think made them act this way?"), choices=options(HATE_MOTIVATIONS), widget=CheckboxesInput(),
        description=_l("Select all that apply. It is what you believe that matters."),
        validators=[InputRequired(message=_l("Select what you think made them act this way"))],
    )
    submit = submit(_l("Continue"))


class ThirdPartyForm(PortalForm):
    """Reporting through a community organisation."""

    via_third_party = radios(_l("Are you reporting this through a community organisation?"), YES_NO,
                             _l("Select yes if you are reporting through a community organisation"),
                             hint=_l("For example, a charity that supports people who experience hate crime"))
    third_party_organisation = StringField(
        _l("Name of the organisation"), widget=TextInput(),
        validators=[Length(max=200, message=_l("Name must be 200 characters or fewer"))],
    )
    submit = submit(_l("Continue"))

    def validate_third_party_organisation(self, field):
        """The organisation's name is needed when reporting through one."""
        if self.via_third_party.data == "yes" and not field.data:
            raise ValidationError(_l("Enter the name of the organisation"))


VICTIM_KINDS = [("person", _l("A person")), ("business", _l("A business or organisation"))]
VICTIM_KNOWS = [("yes", _l("Yes")), ("no", _l("No")), ("not_sure", _l("I do not know"))]


class SomeoneElseForm(PortalForm):
    """Who the victim is, when someone reports for them, and whether they know about the report."""

    victim_kind = radios(_l("Who is the victim?"), VICTIM_KINDS,
                         _l("Select whether the victim is a person or a business or organisation"))
    victim_name = StringField(
        _l("Their name, or the business’s name (optional)"), widget=TextInput(),
        validators=[Optional(), Length(max=200, message=_l("Name must be 200 characters or fewer"))],
        render_kw={"autocomplete": "off"},
    )
    victim_knows = radios(_l("Do they know you are reporting this?"), VICTIM_KNOWS,
                          _l("Select whether they know you are reporting this"),
                          _l("If they do not know, an officer may need to speak to them before anything else "
                             "happens"))
    submit = submit(_l("Continue"))


class ReporterForm(PortalForm):
    """Who is reporting."""

    reporter_role = radios(_l("Who are you reporting as?"), [
        ("victim", _l("I am the victim")),
        ("witness", _l("I saw it happen, or saw what happened afterwards")),
        ("on_behalf", _l("I am reporting for someone else")),
    ], _l("Select who you are reporting as"))
    submit = submit(_l("Continue"))


class WhenForm(PortalForm):
    """When it happened: a date or a range, and a time if known."""

    occurred_on = GovDateField(_l("Date it happened, or the earliest it could have happened"),
                               what=_l("the date it happened"),
                               description=_l("For example, 27 3 2026"))
    occurred_until = GovDateField(_l("Latest date it could have happened (optional)"),
                                  what=_l("the latest date"), required=False,
                                  description=_l("Leave this empty if you know the exact date"))
    occurred_time = StringField(
        _l("Time (optional)"), widget=TextInput(), description=_l("Use the 24-hour clock, for example 17:30"),
        validators=[Optional(), Regexp(r"^([01]?[0-9]|2[0-3])[:.][0-5][0-9]$",
                                       message=_l("Enter a time in the 24-hour clock, like 17:30"))],
        render_kw={"class": "govuk-input--width-5"},
    )
    submit = submit(_l("Continue"))

    def validate_occurred_until(self, field):
        """The latest date cannot come before the first."""
        if field.data and self.occurred_on.data and field.data < self.occurred_on.data:
            field.invalid_parts = ["day", "month", "year"]
            raise ValidationError(_l("The latest date must be the same as or after the first date"))


class WhereForm(PortalForm):
    """Where it happened."""

    borough = SelectField(
        _l("Which London borough did it happen in?"), widget=GovSelect(),
        choices=options([("", _l("Select a borough"))] + [(b, b) for b in BOROUGHS]),
        validators=[InputRequired(message=_l("Select the borough"))], validate_choice=False,
    )
    postcode = StringField(_l("Postcode (optional)"), widget=TextInput(),
                           validators=[Length(max=10, message=_l("Enter a real postcode"))],
                           render_kw={"class": "govuk-input--width-10", "autocomplete": "off"})
    location = TextAreaField(
        _l("Describe the place"), widget=CharacterCount(),
        description=_l("For example, the street name, the shop, or outside the station"),
        validators=[Length(max=500, message=_l("Description of the place must be 500 characters or fewer"))],
    )
    submit = submit(_l("Continue"))

    def validate_borough(self, field):
        """Only the boroughs we cover."""
        if field.data not in BOROUGHS:
            raise ValidationError(_l("Select the borough"))

    def validate_postcode(self, field):
        """A UK postcode shape, if given."""
        if field.data:
            normalised = postal.normalise_postcode(field.data)
            if normalised is None:
                raise ValidationError(_l("Enter a real postcode, like SW1A 2AA"))
            field.data = normalised

    def validate_location(self, field):
        """A postcode or a description is needed."""
        if not field.data and not self.postcode.data:
            raise ValidationError(_l("Enter a postcode or describe the place"))


class DescriptionForm(PortalForm):
    """What happened, in the person's words."""

    description = TextAreaField(
        _l("Tell us what happened"), widget=CharacterCount(),
        description=_l("Include what you saw and heard, in the order it happened. Do not worry about spelling."),
        validators=[
            DataRequired(message=_l("Enter what happened")),
            Length(max=DESCRIPTION_MAX, message=_l("What happened must be %(max)d characters or fewer",
                                                   max=DESCRIPTION_MAX)),
        ],
    )
    submit = submit(_l("Continue"))


class HasPropertyForm(PortalForm):
    """Was anything stolen or damaged?"""

    has_property = radios(_l("Was anything lost, stolen or damaged?"), YES_NO,
                          _l("Select yes if anything was lost, stolen or damaged"))
    submit = submit(_l("Continue"))


def _an_amount(form, field) -> None:
    """An amount of money written any of the usual ways (see portal.reporting.money)."""
    try:
        money.parse_pounds(field.data)
    except money.MoneyError as error:
        raise ValidationError(error.message) from None


class PropertyItemForm(PortalForm):
    """One item and its value."""

    item_description = StringField(
        _l("What was it?"), widget=TextInput(),
        description=_l("For example, black Raleigh bicycle, frame number if known"),
        validators=[DataRequired(message=_l("Enter what the item was")),
                    Length(max=200, message=_l("Item must be 200 characters or fewer"))],
    )
    item_value = StringField(
        _l("Roughly how much was it worth, in pounds? (optional)"), widget=TextInput(),
        description=_l("For example, 450 or £1,200.50"),
        validators=[Optional(), _an_amount],
        render_kw={"class": "govuk-input--width-10", "inputmode": "decimal", "spellcheck": False},
    )
    item_damaged = BooleanField(_l("It was damaged, not taken"), widget=CheckboxInput())
    submit = submit(_l("Add item"))


class AddAnotherForm(PortalForm):
    """Add another item?"""

    add_another = radios(_l("Do you need to add another item?"), YES_NO,
                         _l("Select yes if you need to add another item"))
    submit = submit(_l("Continue"))


class RemoveItemForm(PortalForm):
    """Are you sure you want to remove this item?"""

    remove = radios(_l("Are you sure you want to remove this item?"), YES_NO,
                    _l("Select yes if you want to remove this item"))
    submit = submit(_l("Continue"))


class SuspectForm(PortalForm):
    """Anything known about who did it."""

    suspect_description = optional_notes(
        _l("Do you know anything about who did it? (optional)"),
        _l("For example, what they looked like, their name, or a vehicle they used"))
    submit = submit(_l("Continue"))


class WitnessesForm(PortalForm):
    """Other people who saw it."""

    other_witnesses = optional_notes(
        _l("Did anyone else see what happened? (optional)"),
        _l("Tell us who they are and how to contact them, if you know"))
    submit = submit(_l("Continue"))


class EvidenceForm(PortalForm):
    """Upload a photo or PDF."""

    file = FileField(_l("Upload a file"), widget=GovFileInput(),
                     description=_l("A photo (JPG or PNG) or a PDF, smaller than 10MB"))
    submit = submit(_l("Upload file"))


class ContactForm(PortalForm):
    """How to reach the person."""

    contact_name = StringField(_l("Full name"), widget=TextInput(),
                               validators=[DataRequired(message=_l("Enter your full name")),
                                           Length(max=200, message=_l("Name must be 200 characters or fewer"))],
                               render_kw={"autocomplete": "name", "spellcheck": "false"})
    contact_email = StringField(
        _l("Email address"), widget=TextInput(),
        description=_l("We will only email you to say there is an update. The email will not mention the crime."),
        validators=[Optional(), Length(max=254, message=_l("Email address must be 254 characters or fewer")),
                    Email(message=_l("Enter an email address in the correct format, like name@example.com"))],
        render_kw={"autocomplete": "email", "spellcheck": "false"},
    )
    contact_phone = StringField(
        _l("Phone number"), widget=TextInput(),
        validators=[Optional(), Regexp(r"^\+?[0-9 ()-]{7,20}$",
                                       message=_l("Enter a phone number, like 07700 900 982 or +44 808 157 0192"))],
        render_kw={"autocomplete": "tel", "class": "govuk-input--width-20"},
    )
    submit = submit(_l("Continue"))

    def validate(self, extra_validators=None):
        """At least one way to reach the person (checked after each field's own rules)."""
        valid = super().validate(extra_validators)
        if valid and not self.contact_email.data and not self.contact_phone.data:
            self.contact_email.errors = [_l("Enter an email address or a phone number")]
            return False
        return valid


class SafeContactForm(PortalForm):
    """How, and when, it is safe to contact the person."""

    safe_channels = SelectMultipleField(
        _l("How is it safe for us to contact you?"), choices=options(CHANNELS), widget=CheckboxesInput(),
        description=_l("Select all that are safe. Leave out any that someone else might see or hear."),
        validators=[InputRequired(message=_l("Select at least one safe way to contact you"))],
    )
    safe_times = StringField(_l("When is it safe to contact you? (optional)"), widget=TextInput(),
                             description=_l("For example, weekdays after 6pm"),
                             validators=[Length(max=200, message=_l("Answer must be 200 characters or fewer"))])
    submit = submit(_l("Continue"))


class VoicemailForm(PortalForm):
    """Asked only when a phone call is safe."""

    voicemail_allowed = radios(_l("Can we leave a voicemail?"), YES_NO, _l("Select yes if we can leave a voicemail"),
                               hint=_l("Say no if someone else might listen to your voicemail."))
    submit = submit(_l("Continue"))


class MessageWordsForm(PortalForm):
    """What the messages say: a name that does not mention the police, and the crime number if asked for."""

    neutral_sender = radios(_l("Should our messages come from a name that does not mention the police?"), YES_NO,
                            _l("Select yes if our messages should not mention the police"))
    # The one exception to "no case details in messages", off unless the person ticks it. The warning is the hint,
    # shown above the box and read out with it.
    crime_number_in_confirmation = BooleanField(
        _l("Include my crime number in my confirmation email or text message"), widget=CheckboxInput(),
        description=_l("Insurers often ask for the crime number. Anyone who can read your emails or texts would see "
                       "it, and would know you reported a crime. We will also show you the number when you send "
                       "your report."))
    submit = submit(_l("Continue"))


class ContactNeedsForm(PortalForm):
    """Help to talk with us: an interpreter (and its language), BSL, large print."""

    contact_needs = needs.needs_question(_l("Do you need any help to talk with us? (optional)"))
    interpreter_language = needs.language_question()
    submit = submit(_l("Continue"))

    def validate(self, extra_validators=None):
        """An interpreter needs a language, and a language needs an interpreter."""
        if not super().validate(extra_validators):
            return False
        found = needs.problem(self.contact_needs.data or [], self.interpreter_language.data)
        if found:
            getattr(self, found[0]).errors = [found[1]]
            return False
        return True


class PostalAddressForm(PortalForm):
    """Where to send letters: asked only when a letter is a safe way to reach the person (GOV.UK address
    pattern)."""

    address_line_1 = postal.line_1_field()
    address_line_2 = postal.line_2_field()
    address_town = postal.town_field()
    address_postcode = postal.postcode_field()
    submit = submit(_l("Continue"))

    def validate(self, extra_validators=None):
        """Line 1, the town and a UK postcode (kept in capitals with one space)."""
        return super().validate(extra_validators) and postal.check_form(self)


class FollowUpForm(PortalForm):
    """Call, visit or nothing further."""

    follow_up = radios(_l("Would you like us to contact you about this?"), [
        ("call", _l("Yes, please call me")),
        ("visit", _l("Yes, I would like an officer to visit")),
        ("none", _l("No, I only want to report it")),
    ], _l("Select if you would like us to contact you"),
        hint=_l("We will try to do what you ask, but we cannot promise a visit. We will tell you what we decide."))
    submit = submit(_l("Continue"))


class NewDemandForm(PortalForm):
    """Would this have been reported without the online service?"""

    would_have_reported = radios(_l("If you could not report this online, would you have reported it another way?"), [
        ("yes", _l("Yes")), ("no", _l("No")), ("not_sure", _l("I am not sure")),
    ], _l("Select whether you would have reported it another way"),
        hint=_l("Your answer helps us understand who the online service reaches. It does not change your report."))
    submit = submit(_l("Continue"))


class DeclarationForm(PortalForm):
    """The declaration before submitting."""

    declaration = BooleanField(_l("I confirm that the information I have given is true, as far as I know"),
                               widget=CheckboxInput(),
                               validators=[InputRequired(message=_l("Confirm that the information is true"))])
    submit = submit(_l("Submit report"))


class SaveForLaterForm(PortalForm):
    """How to send a guest a link to go on with their unfinished report: by email or by text to a UK mobile.

    Not a conditional reveal: GOV.UK Frontend puts aria-expanded on the radio, which axe rejects on a radio. Both
    boxes are shown; only the one for the chosen way is checked, and what was typed in either stays on an error."""

    channel = radios(_l("How should we send you a link?"), [
        ("email", _l("Email")),
        ("text", _l("Text message")),
    ], _l("Select how we should send you a link"))
    email = StringField(
        _l("Email address"), widget=TextInput(), description=_l("If you chose email"),
        render_kw={"autocomplete": "email", "spellcheck": "false"},
    )
    mobile = StringField(
        _l("UK mobile number"), widget=TextInput(), description=_l("If you chose text message"),
        render_kw={"autocomplete": "tel", "class": "govuk-input--width-20"},
    )
    submit = submit(_l("Send link"))

    def validate_email(self, field):
        """An email address in the right format, when email was chosen."""
        if self.channel.data != "email":
            return
        if not field.data:
            raise ValidationError(_l("Enter your email address"))
        if len(field.data) > 254:
            raise ValidationError(_l("Email address must be %(max)d characters or fewer", max=254))
        Email(message=_l("Enter an email address in the correct format, like name@example.com"))(self, field)

    def validate_mobile(self, field):
        """A UK mobile number, when a text message was chosen."""
        if self.channel.data != "text":
            return
        if not field.data:
            raise ValidationError(_l("Enter a UK mobile number"))
        if uk_mobile(field.data) is None:
            raise ValidationError(_l("Enter a UK mobile number, like 07700 900982"))

    def destination(self) -> str:
        """The address or number typed for the chosen way (checked by then)."""
        return self.email.data if self.channel.data == "email" else self.mobile.data
