"""Forms police staff use to suggest a referral and to record the victim's verbal consent."""

from flask_babel import lazy_gettext as _l
from govuk_frontend_wtf.wtforms_widgets import GovSelect
from wtforms import RadioField, SelectField, SelectMultipleField, StringField
from wtforms.validators import InputRequired, Length, Optional, Regexp

from portal.clock import TIME_PATTERN
from portal.fields import GovDateField
from portal.forms import PortalForm, options, submit
from portal.support.assessments import LEVEL_WORDS
from portal.support.case_support import STAFF_SCOPE_WORDS
from portal.support.enums import ServiceKind
from portal.support.models import SupportService
from portal.support.referrals import LEVELS
from portal.widgets import CheckboxesInput, RadioInput, TextInput

GIVEN_BY_MAX = 200
OTHER_SERVICE = "other"

CONSENT_CHOICES = [
    ("online", _l("Ask the victim to agree in the portal")),
    ("verbal", _l("The victim agreed verbally")),
]


def _given_by_field() -> StringField:
    return StringField(_l("Who gave consent?"), widget=TextInput(),
                       description=_l("For example, ‘the victim’, or the name of a parent or carer who agreed for "
                                      "them."),
                       validators=[Length(max=GIVEN_BY_MAX, message=_l(
                           "Who gave consent must be %(max)d characters or fewer", max=GIVEN_BY_MAX))])


def _given_at_field() -> GovDateField:
    return GovDateField(_l("Date consent was given"), what=_l("the date consent was given"), required=False)


def _given_time_field() -> StringField:
    return StringField(_l("Time consent was given"), widget=TextInput(),
                       description=_l("UK time, in the 24-hour clock. For example, 14:30"),
                       validators=[Optional(), Regexp(TIME_PATTERN, message=_l(
                           "Enter the time in the 24-hour clock, like 14:30"))],
                       render_kw={"class": "govuk-input--width-5"})


def _scopes_field() -> SelectMultipleField:
    # Unknown values are left to the referral service, which refuses them in plain words.
    return SelectMultipleField(_l("What did they agree to share with the organisation?"), widget=CheckboxesInput(),
                               choices=options(STAFF_SCOPE_WORDS.items()), validate_choice=False,
                               description=_l("Select all that they agreed to. The organisation cannot help without "
                                              "knowing what kind of crime it was and when."))


class _VerbalConsentChecks:
    """Who, when (date and time) and what: all needed when consent was given out loud."""

    def verbal_fields(self):
        return [self.given_by, self.given_at, self.given_time, self.scopes]

    def check_verbal_consent(self, needed: bool) -> None:
        """Add the missing-answer errors, or drop any errors of fields that do not apply."""
        if not needed:
            for field in self.verbal_fields():
                field.errors = []
            return
        if not (self.given_by.data or "").strip() and not self.given_by.errors:
            self.given_by.errors = [_l("Enter who gave consent")]
        if self.given_at.data is None and not self.given_at.errors:
            self.given_at.errors = [_l("Enter the date consent was given")]
        if not (self.given_time.data or "").strip() and not self.given_time.errors:
            self.given_time.errors = [_l("Enter the time consent was given")]


class SuggestReferralForm(_VerbalConsentChecks, PortalForm):
    """An officer picks a service and a level, and says how the victim gives consent."""

    service = RadioField(_l("Which service?"), widget=RadioInput(), validate_choice=False,
                         validators=[InputRequired(message=_l("Select a service"))])
    other_service = SelectField(_l("Service"), widget=GovSelect(), validate_choice=False)
    level = RadioField(_l("What kind of support?"), widget=RadioInput(),
                       choices=options((level, _l(LEVEL_WORDS[level])) for level in LEVELS),
                       validators=[InputRequired(message=_l("Select the kind of support"))])
    consent = RadioField(_l("How is the victim giving consent?"), widget=RadioInput(),
                         choices=options(CONSENT_CHOICES),
                         validators=[InputRequired(message=_l("Select how the victim is giving consent"))])
    given_by = _given_by_field()
    given_at = _given_at_field()
    given_time = _given_time_field()
    scopes = _scopes_field()
    submit = submit(_l("Suggest referral"))

    def validate(self, extra_validators=None) -> bool:
        """The usual checks, then: a service chosen from the list, and verbal consent complete when given."""
        super().validate(extra_validators)
        if self.service.data == OTHER_SERVICE and not self.other_service.data:
            self.other_service.errors = [_l("Select a service")]
        elif self.service.data != OTHER_SERVICE:
            self.other_service.errors = []
        self.check_verbal_consent(self.consent.data == "verbal")
        return not self.errors

    def chosen_service_id(self) -> int | None:
        """The id of the service picked from the suggestions or from the full list."""
        value = self.other_service.data if self.service.data == OTHER_SERVICE else self.service.data
        return int(value) if value and value.isdigit() and len(value) < 10 else None


class VerbalConsentForm(_VerbalConsentChecks, PortalForm):
    """An officer records that the victim agreed to a suggested referral out loud."""

    given_by = _given_by_field()
    given_at = _given_at_field()
    given_time = _given_time_field()
    scopes = _scopes_field()
    submit = submit(_l("Record consent and send the referral"))

    def validate(self, extra_validators=None) -> bool:
        """Every part of the consent is needed."""
        super().validate(extra_validators)
        self.check_verbal_consent(True)
        return not self.errors


def level_problem(service: SupportService, level: str) -> str | None:
    """Why this level of support does not fit this service, or None. Peer support is only for peer groups."""
    if service.kind == ServiceKind.PEER_GROUP:
        if level != "peer":
            return _l("A peer-support group can only take a referral for peer support. Select ‘%(words)s’, or "
                      "choose a service", words=_l(LEVEL_WORDS["peer"]))
        return None
    if level == "peer":
        return _l("Peer support is only offered by peer-support groups. Choose a group, or another kind of support")
    if service.levels and level not in service.levels:
        return _l("This service does not offer ‘%(words)s’. Choose another kind of support or another service",
                  words=_l(LEVEL_WORDS[level]))
    return None
