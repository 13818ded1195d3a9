"""The equality monitoring questions and their answers, as data. Every question can be answered "Prefer not to say"
or skipped. Categories follow the ONS 2021 Census harmonised standards, shortened for a web form."""

from dataclasses import dataclass

from portal.equality.models import PREFER_NOT_TO_SAY


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


PNTS = (PREFER_NOT_TO_SAY, "Prefer not to say")

QUESTIONS = (
    Question("age_band", "What is your age?", None, (
        ("under_18", "Under 18"), ("18_24", "18 to 24"), ("25_34", "25 to 34"), ("35_44", "35 to 44"),
        ("45_54", "45 to 54"), ("55_64", "55 to 64"), ("65_plus", "65 or over"), PNTS)),
    Question("sex", "What is your sex?", None, (("female", "Female"), ("male", "Male"), PNTS)),
    Question("gender_identity", "Is the gender you identify with the same as your sex registered at birth?", None, (
        ("same", "Yes"), ("different", "No"), PNTS)),
    Question("ethnicity", "What is your ethnic group?", None, (
        ("asian", "Asian or Asian British"), ("black", "Black, Black British, Caribbean or African"),
        ("mixed", "Mixed or multiple ethnic groups"), ("white", "White"), ("other", "Another ethnic group"), PNTS)),
    Question("disability", "Do you have a disability or long-term health condition?",
             "A physical or mental health condition or illness lasting or expected to last 12 months or more.", (
                 ("yes", "Yes"), ("no", "No"), PNTS)),
    Question("sexuality", "Which of these best describes your sexual orientation?", None, (
        ("straight", "Straight or heterosexual"), ("gay_lesbian", "Gay or lesbian"), ("bisexual", "Bisexual"),
        ("other", "Another sexual orientation"), PNTS)),
    Question("religion", "What is your religion?", None, (
        ("none", "No religion"), ("christian", "Christian"), ("buddhist", "Buddhist"), ("hindu", "Hindu"),
        ("jewish", "Jewish"), ("muslim", "Muslim"), ("sikh", "Sikh"), ("other", "Another religion"), PNTS)),
    Question("mental_health", "Do you have a mental health condition?", None, (
        ("yes", "Yes"), ("no", "No"), PNTS)),
    Question("repeat_victimisation", "Has a crime happened to you before in the last 12 months?", None, (
        ("yes", "Yes"), ("no", "No"), PNTS)),
)
BY_CHARACTERISTIC = {question.characteristic: question for question in QUESTIONS}
