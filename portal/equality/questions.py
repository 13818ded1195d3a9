"""The equality monitoring questions and their answers, as data. Every question can be answered "Prefer not to say"
or skipped. Categories follow the ONS 2021 Census harmonised standards, shortened for a web form."""

from dataclasses import dataclass

from portal.equality.models import PREFER_NOT_TO_SAY
from portal.i18n import N_


@dataclass(frozen=True)
class Question:
    """One optional question: the characteristic it records, the wording, and the answers as (code, label)."""

    characteristic: str
    text: str
    hint: str | None
    answers: tuple[tuple[str, str], ...]

    @property
    def codes(self) -> frozenset[str]:
        """Every answer code, including prefer not to say."""
        return frozenset(code for code, _label in self.answers)

    def label(self, code: str | None) -> str:
        """The words for an answer code."""
        return dict(self.answers).get(code or "", "Not answered")


PNTS = (PREFER_NOT_TO_SAY, N_("Prefer not to say"))

QUESTIONS = (
    Question(
        "age_band",
        N_("What is your age?"),
        None,
        (
            ("under_18", N_("Under 18")),
            ("18_24", N_("18 to 24")),
            ("25_34", N_("25 to 34")),
            ("35_44", N_("35 to 44")),
            ("45_54", N_("45 to 54")),
            ("55_64", N_("55 to 64")),
            ("65_plus", N_("65 or over")),
            PNTS,
        ),
    ),
    Question("sex", N_("What is your sex?"), None, (("female", N_("Female")), ("male", N_("Male")), PNTS)),
    Question(
        "gender_identity",
        N_("Is the gender you identify with the same as your sex registered at birth?"),
        None,
        (("same", N_("Yes")), ("different", N_("No")), PNTS),
    ),
    Question(
        "ethnicity",
        N_("What is your ethnic group?"),
        None,
        (
            ("asian", N_("Asian or Asian British")),
            ("black", N_("Black, Black British, Caribbean or African")),
            ("mixed", N_("Mixed or multiple ethnic groups")),
            ("white", N_("White")),
            ("other", N_("Another ethnic group")),
            PNTS,
        ),
    ),
    Question(
        "disability",
        N_("Do you have a disability or long-term health condition?"),
        N_("A physical or mental health condition or illness lasting or expected to last 12 months or more."),
        (("yes", N_("Yes")), ("no", N_("No")), PNTS),
    ),
    Question(
        "sexuality",
        N_("Which of these best describes your sexual orientation?"),
        None,
        (
            ("straight", N_("Straight or heterosexual")),
            ("gay_lesbian", N_("Gay or lesbian")),
            ("bisexual", N_("Bisexual")),
            ("other", N_("Another sexual orientation")),
            PNTS,
        ),
    ),
    Question(
        "religion",
        N_("What is your religion?"),
        None,
        (
            ("none", N_("No religion")),
            ("christian", N_("Christian")),
            ("buddhist", N_("Buddhist")),
            ("hindu", N_("Hindu")),
            ("jewish", N_("Jewish")),
            ("muslim", N_("Muslim")),
            ("sikh", N_("Sikh")),
            ("other", N_("Another religion")),
            PNTS,
        ),
    ),
    Question(
        "mental_health",
        N_("Do you have a mental health condition?"),
        None,
        (("yes", N_("Yes")), ("no", N_("No")), PNTS),
    ),
    Question(
        "repeat_victimisation",
        N_("Has a crime happened to you before in the last 12 months?"),
        None,
        (("yes", N_("Yes")), ("no", N_("No")), PNTS),
    ),
)
BY_CHARACTERISTIC = {question.characteristic: question for question in QUESTIONS}
