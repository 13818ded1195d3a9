"""The equality questions as one form: nine optional GOV.UK radio questions, each with "Prefer not to say"."""

from flask_babel import lazy_gettext as _l
from wtforms import RadioField
from wtforms.validators import Optional

from portal.equality.models import CHARACTERISTICS
from portal.equality.questions import BY_CHARACTERISTIC, QUESTIONS
from portal.forms import PortalForm, options, submit
from portal.widgets import RadioInput

# What to say when an answer is not one of the choices (only a crafted post can do that).
NOT_A_CHOICE = {
    "age_band": _l("Select your age from the list, or leave the question blank"),
    "sex": _l("Select your sex from the list, or leave the question blank"),
    "gender_identity": _l("Select whether the gender you identify with is the same as your sex registered at "
                          "birth, or leave the question blank"),
    "ethnicity": _l("Select your ethnic group from the list, or leave the question blank"),
    "disability": _l("Select whether you have a disability or long-term health condition, or leave the question "
                     "blank"),
    "sexuality": _l("Select your sexual orientation from the list, or leave the question blank"),
    "religion": _l("Select your religion from the list, or leave the question blank"),
    "mental_health": _l("Select whether you have a mental health condition, or leave the question blank"),
    "repeat_victimisation": _l("Select whether a crime happened to you before in the last 12 months, or leave "
                               "the question blank"),
}


def _question_field(characteristic: str) -> RadioField:
    """One optional question as GOV.UK radios."""
    question = BY_CHARACTERISTIC[characteristic]
    return RadioField(
        _l(question.text), widget=RadioInput(),
        description=_l(question.hint) if question.hint else "",
        choices=options([(code, _l(label)) for code, label in question.answers]),
        validators=[Optional()], invalid_choice_message=NOT_A_CHOICE[characteristic])


class EqualityForm(PortalForm):
    """Every question; none is required."""

    fallback_error_field = CHARACTERISTICS[0]

    def answers(self) -> dict[str, str | None]:
        """The chosen codes by characteristic (None when left blank)."""
        return {characteristic: self[characteristic].data or None for characteristic in CHARACTERISTICS}

    def questions(self) -> list:
        """The question fields in the order they are asked."""
        return [self[question.characteristic] for question in QUESTIONS]


for _characteristic in CHARACTERISTICS:
    setattr(EqualityForm, _characteristic, _question_field(_characteristic))
EqualityForm.submit = submit(_l("Save my answers"))  # made last, so it comes after the questions


class DeleteForm(PortalForm):
    """Delete every answer the person gave."""

    submit = submit(_l("Delete my answers"))
