"""Staff forms. Each carries the version of the report the officer saw (optimistic locking)."""


from flask_babel import lazy_gettext as _l
from govuk_frontend_wtf.wtforms_widgets import GovCharacterCount, GovSelect
from wtforms import BooleanField, HiddenField, RadioField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, Optional, Regexp

from portal.cases.enums import CaseStatus
from portal.clock import TIME_PATTERN
from portal.fields import GovDateField
from portal.forms import PortalForm, options, submit
from portal.triage import wording
from portal.triage.services import ENHANCED_RIGHTS_REASONS, TEXT_MAX
from portal.widgets import CheckboxInput, RadioInput, TextInput

DECISION_CHOICES = [
    ("allocate", _l("Allocate for investigation to a named officer")),
    ("nfi", _l("No further investigation")),
    ("attendance", _l("Attendance needed: arrange a visit")),
    ("call", _l("Officer-initiated follow-up: call the victim")),
    ("escalate", _l("Escalate: the risk is higher than reported")),
    ("refer", _l("Refer to another agency")),
    ("information", _l("Record as information only (not a crime)")),
    ("duplicate", _l("Link as a duplicate of another report")),
]


def message_field(label: str = "Message to the victim (optional)",
                  hint: str = "Leave this empty to use the standard wording shown above.") -> TextAreaField:
    """Wording the officer may adjust."""
    return TextAreaField(_l(label), widget=GovCharacterCount(), description=_l(hint),
                         validators=[Length(max=TEXT_MAX, message=_l("Message must be %(max)d characters or fewer",
                                                                     max=TEXT_MAX))])


def time_field(label: str) -> StringField:
    """A 24-hour time."""
    return StringField(_l(label), widget=TextInput(), description=_l("For example, 14:30"),
                       validators=[DataRequired(message=_l("Enter a time")),
                                   Regexp(TIME_PATTERN, message=_l("Enter a time in the 24-hour clock, like 14:30"))],
                       render_kw={"class": "govuk-input--width-5"})


class VersionedForm(PortalForm):
    """The report version the officer saw."""

    version = HiddenField(validators=[InputRequired(), Regexp(r"^[0-9]{1,9}$")])


class ClaimForm(VersionedForm):
    """Take a report from the queue."""

    submit = submit(_l("Claim"))


class AssignForm(VersionedForm):
    """A supervisor gives a report to an officer."""

    officer = SelectField(_l("Assign to"), widget=GovSelect(),
                          validators=[DataRequired(message=_l("Select an officer"))], validate_choice=True)
    submit = submit(_l("Assign"))


class ChooseDecisionForm(PortalForm):
    """Which decision to record."""

    decision = RadioField(_l("What is your decision?"), choices=options(DECISION_CHOICES), widget=RadioInput(),
                          validators=[InputRequired(message=_l("Select a decision"))])
    submit = submit(_l("Continue"))


class NfiForm(VersionedForm):
    """No further investigation, with a screening reason."""

    reason_code = RadioField(_l("Why is there no further investigation?"),
                             choices=options((code, w.body) for code, w in wording.NFI_REASONS.items()),
                             widget=RadioInput(), validators=[InputRequired(message=_l("Select the reason"))])
    body = message_field()
    submit = submit(_l("Record decision"))


class AllocateForm(VersionedForm):
    """Allocate to a named officer."""

    officer = SelectField(_l("Officer"), widget=GovSelect(), validators=[DataRequired(message=_l("Select an officer"))])
    body = message_field()
    submit = submit(_l("Record decision"))


class AttendanceForm(VersionedForm):
    """Propose a visit."""

    visit_date = GovDateField(_l("Date of the visit"), what=_l("the date of the visit"), allow_future=True)
    visit_time = time_field("Time of the visit")
    body = message_field()
    submit = submit(_l("Record decision"))


class CallForm(VersionedForm):
    """The officer decides to call."""

    body = message_field()
    submit = submit(_l("Record decision"))


class EscalateForm(VersionedForm):
    """Escalate to safeguarding. The victim is not told automatically."""

    body = TextAreaField(_l("Why is the risk higher than reported?"), widget=GovCharacterCount(),
                         description=_l("Staff only. The victim is not notified automatically."),
                         validators=[DataRequired(message=_l("Explain why the risk is higher than reported")),
                                     Length(max=TEXT_MAX, message=_l("Message must be %(max)d characters or fewer",
                                                                     max=TEXT_MAX))])
    submit = submit(_l("Escalate"))


class ReferForm(VersionedForm):
    """Refer to another agency."""

    agency = RadioField(_l("Where is the report going?"),
                        choices=options((code, w.title) for code, w in wording.REFER_AGENCIES.items()),
                        widget=RadioInput(), validators=[InputRequired(message=_l("Select where the report is going"))])
    body = message_field()
    submit = submit(_l("Record decision"))


class InformationForm(VersionedForm):
    """Record as information only."""

    body = message_field()
    submit = submit(_l("Record decision"))


class DuplicateForm(VersionedForm):
    """Link as a duplicate."""

    original = StringField(_l("Crime number of the earlier report"), widget=TextInput(),
                           validators=[DataRequired(message=_l("Enter the crime number of the earlier report"))],
                           render_kw={"class": "govuk-input--width-20"})
    submit = submit(_l("Record decision"))


# The status radio's value for an update in the officer's own words that changes no status.
PROGRESS = "progress"
PROGRESS_CHOICE = (PROGRESS, _l("A progress update in your own words (the status does not change)"))


def _time_value(field) -> str:
    """A time as typed, or empty."""
    return (field.data or "").strip()


class UpdateForm(VersionedForm):
    """A key event in the investigation, or a progress update in the officer's own words.

    When it happened is needed for a key event; the court, date and time of the hearing for a hearing; the
    officer's words for a progress update. The page shows every question (no conditional reveal: GOV.UK Frontend's
    script puts aria-expanded on the radio, which axe rejects), so each says when it is needed, and a missing answer
    gets its own message. The service checks the same again.
    """

    status = RadioField(_l("What has happened?"), widget=RadioInput(),
                        validators=[InputRequired(message=_l("Select what has happened"))])
    happened_date = GovDateField(_l("Date it happened"), what=_l("the date it happened"), required=False,
                                 description=_l("For example, 27 3 2026. Not needed for a progress update."))
    happened_time = StringField(_l("Time it happened"), widget=TextInput(),
                                description=_l("Use the 24-hour clock, for example 14:30. Not needed for a "
                                               "progress update."),
                                validators=[Optional(),
                                            Regexp(TIME_PATTERN, message=_l("Enter the time it happened in the "
                                                                            "24-hour clock, like 14:30"))],
                                render_kw={"class": "govuk-input--width-5"})
    hearing_place = StringField(_l("Court"), widget=TextInput(), description=_l("For example, Wood Green Crown Court"),
                                validators=[Length(max=200, message=_l("Court must be 200 characters or fewer"))])
    hearing_date = GovDateField(_l("Date of the hearing"), what=_l("the date of the hearing"), required=False,
                                allow_future=True)
    hearing_time = StringField(_l("Time of the hearing"), widget=TextInput(),
                               description=_l("Use the 24-hour clock, for example 10:00"),
                               validators=[Optional(), Regexp(TIME_PATTERN, message=_l(
                                   "Enter the time of the hearing in the 24-hour clock, like 10:00"))],
                               render_kw={"class": "govuk-input--width-5"})
    body = TextAreaField(_l("Your words for the victim (optional for a key event)"), widget=GovCharacterCount(),
                         description=_l("For a progress update, this is the whole update. For a key event, it is "
                                        "added under the standard wording."),
                         validators=[Length(max=TEXT_MAX, message=_l("Your words must be %(max)d characters or fewer",
                                                                     max=TEXT_MAX))])
    victim = BooleanField(_l("The victim can see this update"), widget=CheckboxInput(), default=True)
    witness = BooleanField(_l("Witnesses can see this update"), widget=CheckboxInput(),
                           description=_l("Witnesses see the standard wording only, never your own words."))
    submit = submit(_l("Post update"))

    def validate(self, extra_validators=None) -> bool:
        """The fields each kind of update needs, each with its own message."""
        valid = super().validate(extra_validators)
        chosen = self.status.data if not self.status.errors else None
        needed: list[tuple] = []
        if chosen == PROGRESS:
            needed.append((self.body, bool(self.body.data), _l("Enter what you want to tell the victim")))
        elif chosen:
            needed += [(self.happened_date, self.happened_date.data is not None, _l("Enter the date it happened")),
                       (self.happened_time, bool(_time_value(self.happened_time)), _l("Enter the time it happened"))]
        if chosen == CaseStatus.COURT_HEARING_SCHEDULED.value:
            needed += [(self.hearing_place, bool(self.hearing_place.data), _l("Enter the court")),
                       (self.hearing_date, self.hearing_date.data is not None, _l("Enter the date of the hearing")),
                       (self.hearing_time, bool(_time_value(self.hearing_time)), _l("Enter the time of the hearing"))]
        for field, given, message in needed:
            if not given and not field.errors:
                field.errors = [*field.errors, message]
                valid = False
        return valid

    @property
    def is_progress(self) -> bool:
        """An update in the officer's own words that changes no status."""
        return self.status.data == PROGRESS


def update_choices(allowed) -> list:
    """The key events that may follow the case's current status."""
    return options((s.value, wording.KEY_EVENTS[s].title)
                   for s in CaseStatus if s in allowed and s in wording.KEY_EVENTS)


def update_form_choices(allowed) -> list:
    """The update page's choices: the key events that may follow, then a progress update (none without them)."""
    key_events = update_choices(allowed)
    return [*key_events, *options([PROGRESS_CHOICE])] if key_events else []


class EnhancedRightsForm(VersionedForm):
    """Enhanced rights under the Victims' Code."""

    entitled = RadioField(_l("Is the victim entitled to enhanced rights?"),
                          choices=options([("yes", _l("Yes")), ("no", _l("No"))]), widget=RadioInput(),
                          validators=[InputRequired(message=_l("Select yes or no"))])
    reason = RadioField(_l("Why?"), choices=options(ENHANCED_RIGHTS_REASONS.items()), widget=RadioInput(),
                        validators=[Optional()], validate_choice=False)
    submit = submit(_l("Save"))


class CorrectionForm(VersionedForm):
    """A correction to the victim's answers, recorded as a new event."""

    correction = TextAreaField(_l("Correction"), widget=GovCharacterCount(),
                               validators=[DataRequired(message=_l("Enter the correction")),
                                           Length(max=TEXT_MAX, message=_l("Correction is too long"))])
    reason = StringField(_l("Reason"), widget=TextInput(),
                         validators=[DataRequired(message=_l("Enter the reason for the correction")),
                                     Length(max=300, message=_l("Reason must be 300 characters or fewer"))])
    submit = submit(_l("Record correction"))
