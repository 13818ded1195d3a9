"""Forms for the victim's side of support: the needs assessment, the choice of level, consent and the
directory filters."""

from flask_babel import lazy_gettext as _l
from govuk_frontend_wtf.wtforms_widgets import GovSelect
from wtforms import BooleanField, RadioField, SelectField, SelectMultipleField, StringField
from wtforms.validators import InputRequired, Length, Optional, ValidationError

from portal.forms import Answered, PortalForm, options, submit
from portal.reporting.boroughs import BOROUGHS
from portal.support.assessments import CHOOSABLE_LEVELS, CONTACT_METHODS, LEVEL_WORDS
from portal.support.enums import ANY_TIME, Availability, ConsentScope
from portal.support.matching import LANGUAGE_NAMES
from portal.support.recommendation import Impact
from portal.support.referral_text import SCOPE_WORDS
from portal.support.schedules import DAYS
from portal.widgets import CheckboxesInput, CheckboxInput, RadioInput, TextInput

CONTACT_TIME_MAX = 200
AGE_MAX = 120

IMPACT_CHOICES = [
    (str(int(Impact.NONE)), _l("Not at all")),
    (str(int(Impact.A_LITTLE)), _l("A little")),
    (str(int(Impact.QUITE_A_LOT)), _l("Quite a lot")),
    (str(int(Impact.A_GREAT_DEAL)), _l("A great deal")),
]
YES_NO = [("yes", _l("Yes")), ("no", _l("No"))]
PRACTICAL_NEEDS = [
    ("locks", _l("Fixing or changing locks, doors or windows")),
    ("replace_documents", _l("Replacing documents, bank cards or keys")),
    ("insurance_letter", _l("A letter or crime number for my insurer")),
]
COMMUNICATION_NEEDS = [
    ("interpreter", _l("I need an interpreter")),
    ("bsl", _l("I use British Sign Language (BSL)")),
    ("easy_read", _l("I would like information in easy read")),
]
ACCESS_NEEDS = [
    ("step_free", _l("I need step-free access (no stairs or steps)")),
    ("online_only", _l("I can only take part online")),
]
CONTACT_METHOD_WORDS = {"phone": _l("Phone call"), "text": _l("Text message"), "email": _l("Email"),
                        "video": _l("Video call")}
# English first, then the other spoken languages by name; British Sign Language is its own checkbox.
SPOKEN_LANGUAGES = [("en", _l(LANGUAGE_NAMES["en"]))] + [
    (code, _l(name)) for code, name in sorted(LANGUAGE_NAMES.items(), key=lambda pair: pair[1])
    if code not in ("en", "bsl")]
LEVEL_HINTS = {
    "information": _l("Guides on what to do next, such as getting a letter for your insurer or replacing documents. "
                      "You can ask for more support at any time."),
    "contact": _l("A trained support worker from a charity calls you to talk things through and help with "
                  "practical things."),
    "specialist": _l("Regular support from a specialist or advocate, who can stay with you through what "
                     "happens next."),
}
SCOPE_HINTS = {
    ConsentScope.CATEGORY_AND_DATES.value: _l("Needed to make the referral. The organisation cannot help "
                                              "without it."),
    ConsentScope.CONTACT_DETAILS.value: _l("Without these, the organisation cannot get in touch with you. You would "
                                           "need to contact them yourself."),
    ConsentScope.DESCRIPTION.value: _l("So you do not have to explain it all again. Leave this out if you would "
                                       "rather tell them yourself."),
    ConsentScope.PROGRESS.value: _l("So your support worker knows what is happening without asking you. They see "
                                    "the updates we send you and any court dates, and stop seeing them the moment "
                                    "you stop sharing."),
}
DELIVERY_FILTERS = [("online", _l("Online")), ("in_person", _l("In person"))]
KIND_FILTERS = [("service", _l("Support services")), ("peer_group", _l("Peer-support groups"))]


def known_values(message: str):
    """Every chosen value must be one of the field's own choices (hostile or stale values get the message)."""

    def check(form, field):
        allowed = {choice.value for choice in field.iter_choices()}
        values = field.data if isinstance(field.data, list) else [field.data]
        if any(value not in allowed for value in values if value not in (None, "")):
            raise ValidationError(message)

    return check


def optional_radios(label, choices, hint=None, message=None) -> RadioField:
    """A radio question people may leave unanswered."""
    return RadioField(label, widget=RadioInput(), choices=options(choices), description=hint,
                      validators=[Optional(), known_values(message or _l("Select one of the options"))],
                      validate_choice=False)


def required_radios(label, choices, message, hint=None) -> RadioField:
    """A radio question that must be answered."""
    return RadioField(label, widget=RadioInput(), choices=options(choices), description=hint,
                      validators=[InputRequired(message=message), known_values(message)], validate_choice=False)


class AssessmentForm(PortalForm):
    """The needs assessment: how the crime is affecting the person, and how to communicate with them."""

    daily_life = required_radios(_l("How much is what happened affecting your daily life?"), IMPACT_CHOICES,
                                 _l("Select how much it is affecting your daily life"),
                                 hint=_l("For example, going to work or school, sleeping, or going out."))
    feelings = required_radios(_l("How much is it affecting how you feel?"), IMPACT_CHOICES,
                               _l("Select how much it is affecting how you feel"))
    feels_safe = required_radios(_l("Do you feel safe at the moment?"), YES_NO,
                                 _l("Select yes if you feel safe at the moment"),
                                 hint=_l("At home, and when you go out."))
    practical_needs = SelectMultipleField(
        _l("Do you need help with any of these? (optional)"), widget=CheckboxesInput(),
        choices=options(PRACTICAL_NEEDS), description=_l("Select all that apply."),
        validators=[known_values(_l("Select the things you need help with from the list"))], validate_choice=False)
    mental_health_worry = optional_radios(
        _l("Since this happened, have you been worried about your mental health? (optional)"),
        [("yes", _l("Yes")), ("no", _l("No")), ("rather_not_say", _l("I would rather not say"))],
        hint=_l("Many people feel anxious or low, or find it hard to sleep, after a crime. You do not have to "
                "answer this. If you do, it helps us suggest the right support."))
    wants_to_talk = optional_radios(_l("Would you like to talk to someone about how you feel? (optional)"), YES_NO)
    happened_before = optional_radios(
        _l("Has something like this happened to you before? (optional)"),
        [("yes", _l("Yes")), ("no", _l("No")), ("not_sure", _l("I am not sure"))],
        hint=_l("To you, or to your home or belongings."))
    interested_in_peer_support = optional_radios(
        _l("Would you like to meet other people who have been through something similar? (optional)"), YES_NO,
        hint=_l("Peer-support groups meet in person or online, with a trained person leading them."))
    language = SelectField(_l("Which language would you like support in?"), widget=GovSelect(),
                           choices=options(SPOKEN_LANGUAGES), default="en",
                           validators=[Answered(message=_l("Select a language from the list")),
                                       known_values(_l("Select a language from the list"))],
                           validate_choice=False)
    communication = SelectMultipleField(
        _l("Do you need any help to communicate? (optional)"), widget=CheckboxesInput(),
        choices=options(COMMUNICATION_NEEDS), description=_l("Select all that apply."),
        validators=[known_values(_l("Select the help you need from the list"))], validate_choice=False)
    access = SelectMultipleField(
        _l("Do you have any access needs? (optional)"), widget=CheckboxesInput(),
        choices=options(ACCESS_NEEDS), description=_l("We only suggest services you can use."),
        validators=[known_values(_l("Select your access needs from the list"))], validate_choice=False)
    contact_method = optional_radios(
        _l("How would you like a support worker to contact you? (optional)"),
        [(method, CONTACT_METHOD_WORDS[method]) for method in CONTACT_METHODS],
        message=_l("Select how you would like to be contacted"))
    contact_time = StringField(
        _l("When is the best time to contact you? (optional)"), widget=TextInput(),
        description=_l("For example, weekday evenings after 6pm."),
        validators=[Length(max=CONTACT_TIME_MAX, message=_l("The best time must be %(max)d characters or fewer",
                                                            max=CONTACT_TIME_MAX))])
    submit = submit(_l("Continue"))


# When a person asking for one-to-one peer support could usually talk: a peer supporter's times, or any time.
TALK_TIME_WORDS = {Availability.WEEKDAY_DAYTIME.value: _l("Weekday daytimes"),
                   Availability.WEEKDAY_EVENINGS.value: _l("Weekday evenings"),
                   Availability.WEEKENDS.value: _l("Weekends"),
                   ANY_TIME: _l("Any time")}


class ChooseForm(PortalForm):
    """The level of support the victim wants, and whether they want a peer-support group too."""

    level = required_radios(_l("What support would you like?"),
                            [(level, _l(LEVEL_WORDS[level])) for level in CHOOSABLE_LEVELS],
                            _l("Select the support you want"))
    peer = BooleanField(_l("I would also like to join a peer-support group"), widget=CheckboxInput())
    one_to_one = BooleanField(_l("I would also like to talk one-to-one with a peer supporter"), widget=CheckboxInput())
    # Checked by the service (assessments.talk_times), and only when one-to-one peer support is ticked.
    talk_times = SelectMultipleField(
        _l("If you would like to talk one-to-one, when could you usually talk?"), widget=CheckboxesInput(),
        choices=options(list(TALK_TIME_WORDS.items())),
        description=_l("Select all that apply. We only ask so the organisation can suggest someone free at the "
                       "same times."), validate_choice=False)
    submit = submit(_l("Continue"))


def _check_scopes(form, field):
    """What kind of crime and when is always shared; nothing outside the list can be."""
    allowed = set(SCOPE_WORDS)
    chosen = field.data or []
    if any(scope not in allowed for scope in chosen):
        raise ValidationError(_l("Select what you agree to share from the list"))
    if ConsentScope.CATEGORY_AND_DATES.value not in chosen:
        raise ValidationError(_l("Select ‘what kind of crime it was, and when it happened’. The organisation "
                                 "needs this to help you"))


class ConsentForm(PortalForm):
    """What the victim agrees to share with one organisation."""

    scopes = SelectMultipleField(
        _l("What do you agree to share with them?"), widget=CheckboxesInput(),
        choices=options([(scope, _l(words)) for scope, words in SCOPE_WORDS.items()]),
        description=_l("Select all that you agree to share."), validators=[_check_scopes], validate_choice=False)
    submit = submit(_l("Agree and send the referral"))


class ProposalForm(PortalForm):
    """Yes or no to a referral an officer suggested, and what to share if yes."""

    decision = required_radios(_l("Do you want to be referred to them?"),
                               [("yes", _l("Yes, refer me and share what I choose")),
                                ("no", _l("No, I do not want this support"))],
                               _l("Select yes if you want to be referred"))
    scopes = SelectMultipleField(
        _l("What do you agree to share with them?"), widget=CheckboxesInput(),
        choices=options([(scope, _l(words)) for scope, words in SCOPE_WORDS.items()]),
        description=_l("Select all that you agree to share."), validate_choice=False)
    submit = submit(_l("Continue"))

    def validate_scopes(self, field):
        """What to share matters only when the answer is yes."""
        if self.decision.data == "yes":
            _check_scopes(self, field)


class DirectoryForm(PortalForm):
    """The directory's filters, read from the address (a GET form, so no CSRF token)."""

    class Meta:
        """Filters are in the address; nothing is changed."""

        csrf = False

    category = SelectField(_l("Type of crime"), widget=GovSelect(), choices=[],
                           validators=[known_values(_l("Select a type of crime from the list"))],
                           validate_choice=False)
    borough = SelectField(_l("Borough"), widget=GovSelect(),
                          choices=options([("", _l("Any borough"))] + [(b, b) for b in BOROUGHS]),
                          validators=[known_values(_l("Select a borough from the list"))], validate_choice=False)
    language = SelectField(_l("Language"), widget=GovSelect(),
                           choices=options([("", _l("Any language"))] + SPOKEN_LANGUAGES
                                           + [("bsl", _l(LANGUAGE_NAMES["bsl"]))]),
                           validators=[known_values(_l("Select a language from the list"))], validate_choice=False)
    delivery = SelectField(_l("Online or in person"), widget=GovSelect(),
                           choices=options([("", _l("Either"))] + DELIVERY_FILTERS),
                           validators=[known_values(_l("Select online or in person"))], validate_choice=False)
    day = SelectField(_l("Day of the week"), widget=GovSelect(),
                      choices=options([("", _l("Any day"))] + [(code, _l(name)) for code, name in DAYS.items()]),
                      validators=[known_values(_l("Select a day of the week from the list"))], validate_choice=False)
    age = StringField(_l("Age"), widget=TextInput(), description=_l("The age of the person who needs support."),
                      render_kw={"class": "govuk-input--width-3", "inputmode": "numeric"})
    kind = SelectField(_l("Services or groups"), widget=GovSelect(),
                       choices=options([("", _l("Both"))] + KIND_FILTERS),
                       validators=[known_values(_l("Select services or groups"))], validate_choice=False)

    def validate_age(self, field):
        """A whole number of years, within human range."""
        value = (field.data or "").strip()
        if not value:
            field.data = ""
            return
        if not (value.isascii() and value.isdigit()) or len(value) > 3:
            raise ValidationError(_l("Enter age as a whole number, like 34"))
        if not 0 <= int(value) <= AGE_MAX:
            raise ValidationError(_l("Age must be between 0 and %(max)d", max=AGE_MAX))
