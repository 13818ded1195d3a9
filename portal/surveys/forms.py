"""The satisfaction survey and the check-in: every question optional, every option in words."""

from flask_babel import lazy_gettext as _l
from wtforms import RadioField, TextAreaField
from wtforms.validators import Length, Optional, ValidationError

from portal.forms import PortalForm, options, submit
from portal.surveys.services import CHECK_IN_ITEMS, COMMENT_MAX, SURVEY_QUESTIONS
from portal.widgets import CharacterCount, RadioInput

# Best first, as GOV.UK's own feedback survey lists them. The values are the 1 to 5 scores.
SATISFACTION = [("5", _l("Very satisfied")), ("4", _l("Satisfied")),
                ("3", _l("Neither satisfied nor dissatisfied")), ("2", _l("Dissatisfied")),
                ("1", _l("Very dissatisfied"))]
WELL = [("5", _l("Very well")), ("4", _l("Well")), ("3", _l("Neither well nor badly")), ("2", _l("Badly")),
        ("1", _l("Very badly"))]
SAFE = [("5", _l("Very safe")), ("4", _l("Safe")), ("3", _l("Neither safe nor unsafe")), ("2", _l("Unsafe")),
        ("1", _l("Very unsafe"))]
GOOD = [("5", _l("Very good")), ("4", _l("Good")), ("3", _l("Neither good nor bad")), ("2", _l("Bad")),
        ("1", _l("Very bad"))]
CONFIDENT = [("5", _l("Very confident")), ("4", _l("Fairly confident")), ("3", _l("Not sure")),
             ("2", _l("Not very confident")), ("1", _l("Not at all confident"))]


def _one_of_the_answers(form, field):
    """A value that is not one of the options (a crafted or stale post) gets a plain message."""
    if field.data not in (None, "") and field.data not in {choice.value for choice in field.iter_choices()}:
        raise ValidationError(_l("Select one of the answers"))


def _scale(label, choices) -> RadioField:
    """An optional question on a five-point scale."""
    return RadioField(label, widget=RadioInput(), choices=options(choices), validate_choice=False,
                      validators=[Optional(), _one_of_the_answers])


def scores(form: PortalForm, names: tuple[str, ...]) -> dict[str, int | None]:
    """The answers as 1 to 5, or None for a question left out. Only blank values get past the validators without
    being one of the options (Optional() lets spaces or a line break through as 'not answered'), so they are None."""
    values = {name: (getattr(form, name).data or "").strip() for name in names}
    return {name: int(value) if value else None for name, value in values.items()}


class SurveyForm(PortalForm):
    """Four questions on how satisfied the person is, and one in their own words."""

    overall = _scale(_l("Overall, how satisfied are you with how we dealt with your report?"), SATISFACTION)
    kept_informed = _scale(_l("How satisfied are you with how we kept you up to date?"), SATISFACTION)
    treated_fairly = _scale(_l("How satisfied are you that we treated you fairly and with respect?"), SATISFACTION)
    ease_of_reporting = _scale(_l("How satisfied are you with how easy it was to report online?"), SATISFACTION)
    comment = TextAreaField(
        _l("Is there anything you would like to tell us?"), widget=CharacterCount(),
        description=_l("Do not include personal details, such as your name or address."),
        validators=[Optional(), Length(max=COMMENT_MAX, message=_l(
            "Your answer must be %(max)d characters or fewer", max=COMMENT_MAX))])
    submit = submit(_l("Send"))

    def scores(self) -> dict[str, int | None]:
        """The four scores."""
        return scores(self, SURVEY_QUESTIONS)


class CheckInForm(PortalForm):
    """Five short questions on coping and recovery."""

    coping = _scale(_l("How well are you coping?"), WELL)
    safety = _scale(_l("How safe do you feel?"), SAFE)
    wellbeing = _scale(_l("How have you been feeling in general?"), GOOD)
    confidence = _scale(_l("How confident do you feel in the police and the courts?"), CONFIDENT)
    daily_life = _scale(_l("How well are you getting on with daily life, such as work, sleep and seeing people?"),
                        WELL)
    submit = submit(_l("Send"))

    def scores(self) -> dict[str, int | None]:
        """The five scores."""
        return scores(self, CHECK_IN_ITEMS)
