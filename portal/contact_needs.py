"""Contact needs: an interpreter (in which language), British Sign Language, large print.

Asked with the contact preferences in the report, changed later from the case page, and shown prominently to
police staff and partners wherever they see the case or a referral.
"""

from flask_babel import lazy_gettext as _l
from govuk_frontend_wtf.wtforms_widgets import GovSelect
from wtforms import SelectField, SelectMultipleField

from portal.forms import options
from portal.widgets import CheckboxesInput

NEEDS = [
    ("interpreter", _l("An interpreter")),
    ("bsl", _l("A British Sign Language (BSL) interpreter")),
    ("large_print", _l("Letters and documents in large print")),
]

# The languages most asked for in London, then "another language" (the officer arranges it on the call).
INTERPRETER_LANGUAGES = [
    ("Albanian", _l("Albanian")), ("Arabic", _l("Arabic")), ("Bengali", _l("Bengali")),
    ("Cantonese", _l("Cantonese")), ("Farsi", _l("Farsi (Persian)")), ("French", _l("French")),
    ("Gujarati", _l("Gujarati")), ("Italian", _l("Italian")), ("Kurdish", _l("Kurdish")),
    ("Lithuanian", _l("Lithuanian")), ("Mandarin", _l("Mandarin")), ("Pashto", _l("Pashto")),
    ("Polish", _l("Polish")), ("Portuguese", _l("Portuguese")), ("Punjabi", _l("Punjabi")),
    ("Romanian", _l("Romanian")), ("Russian", _l("Russian")), ("Somali", _l("Somali")),
    ("Spanish", _l("Spanish")), ("Tamil", _l("Tamil")), ("Tigrinya", _l("Tigrinya")),
    ("Turkish", _l("Turkish")), ("Ukrainian", _l("Ukrainian")), ("Urdu", _l("Urdu")),
    ("Vietnamese", _l("Vietnamese")), ("Another language", _l("Another language")),
]
LANGUAGE_VALUES = frozenset(value for value, _label in INTERPRETER_LANGUAGES)
NEED_CODES = frozenset(code for code, _label in NEEDS)


def needs_question(label):
    """The 'help to talk with us' checkboxes, for the report and for the case's contact preferences."""

    return SelectMultipleField(label, choices=options(NEEDS), widget=CheckboxesInput(),
                               description=_l("Select all that apply. This is free."))


def language_question():
    """Which language the interpreter should speak (checked by `problem`, so any value gets a plain message)."""

    return SelectField(_l("If you need an interpreter, which language should they speak?"), widget=GovSelect(),
                       choices=options([("", _l("Choose a language"))] + INTERPRETER_LANGUAGES),
                       validate_choice=False)


def problem(needs: list[str], language: str | None) -> tuple[str, str] | None:
    """What is wrong with a choice of needs, as (field, message), or None. An interpreter needs a language,
    and a language needs an interpreter."""
    if any(need not in NEED_CODES for need in needs):
        return "contact_needs", _l("Select the help you need from the list")
    if language and language not in LANGUAGE_VALUES:
        return "interpreter_language", _l("Choose a language from the list")
    if "interpreter" in needs and not language:
        return "interpreter_language", _l("Choose the language the interpreter should speak")
    if language and "interpreter" not in needs:
        return "contact_needs", _l("Select ‘An interpreter’ if you need one, or choose no language")
    return None


def needs_of(report) -> list[str]:
    """The report's needs as the codes in NEEDS, in order."""
    return [code for code, _label in NEEDS if
            (code == "interpreter" and report.interpreter_language) or
            (code == "bsl" and report.needs_bsl) or (code == "large_print" and report.needs_large_print)]


def describe(report) -> list[str]:
    """Plain words for staff and partners, e.g. 'Interpreter: Polish', empty when there are none.
    Staff pages are in English, so the language is given by its English name."""
    words = []
    if report.interpreter_language:
        words.append(f"Interpreter: {report.interpreter_language}")
    if report.needs_bsl:
        words.append("British Sign Language (BSL) interpreter")
    if report.needs_large_print:
        words.append("Large print")
    return words


def apply(report, needs: list[str], language: str | None) -> None:
    """Set the report's needs from the form's answers (the caller validates and commits)."""
    report.interpreter_language = (language or None) if "interpreter" in needs else None
    report.needs_bsl = "bsl" in needs
    report.needs_large_print = "large_print" in needs
