"""Every text message, in every language the portal offers, fits its part limit, and neutral texts say nothing.

Each text is rendered as it is sent (render_body for the text channel) with the longest realistic values: a
production-like public address, a crime number of the longest form the configuration allows, and the real service
names. English must be one GSM-7 part (160 characters); Polish and Arabic are UCS-2 (70 characters in one part,
67 in each of several) and must never be more than three parts. Neutral texts must not name the police, a crime,
a report, a victim, a witness or the service, in the language they are written in.
"""

import re
from dataclasses import dataclass

import pytest
from flask_babel import force_locale, gettext

from portal.cases.crime_numbers import format_crime_number
from portal.i18n import LANGUAGES
from portal.links import absolute_url
from portal.notifications.models import Channel
from portal.notifications.rendering import TEXT_TEMPLATES, render_body
from portal.notifications.services import GUEST_TEMPLATES
from portal.notifications.text_parts import GSM7, text_parts

# A force's own sub-domain of police.uk, named for the service: 53 characters, longer than most forces' addresses
# (northamptonshire is among the longest force names), so the sign-in link is 59 characters.
LONG_BASE_URL = "https://report-and-support.northamptonshire.police.uk"
# The longest crime number the configuration allows: a four-letter prefix (CRIME_NUMBER_PREFIX is 1 to 4 letters).
LONG_CRIME_NUMBER = format_crime_number("ABCD", 2026, 9_999_999)

ENGLISH_PARTS = 1
# What each message a person asks for is given besides its link (portal.notifications.services.queue_requested).
# A code has no link: the person is on the page that asked for it.
REQUESTED_CONTEXT = {"tracking_code": {"code": "123456", "minutes": 15}, "resume_link": {"days": 7}}
LINKLESS = {"tracking_code"}
MOST_PARTS = 3

# What a neutral text never names, in each language (lower-case stems, so that every form is caught).
FORBIDDEN = {
    "en": ("police", "crime", "criminal", "report", "victim", "witness"),
    "pl": ("polic", "przestęp", "zgłos", "zgłosz", "zgłoś", "zgłasz", "ofiar", "świad", "pokrzywdzon"),
    "ar": ("شرط", "جريم", "جرائم", "بلاغ", "ابلاغ", "إبلاغ", "أبلغ", "ضحي", "ضحا", "شاهد", "شهود"),
}
# English words a Polish text may hold: "konto online" is how Polish says an online account.
ENGLISH_IN_POLISH = {"online"}


@dataclass(frozen=True)
class Case:
    """One text as it can be sent."""

    template: str
    language: str
    neutral: bool
    crime_number: str | None
    guest: bool = False  # no account: the link is to /track, and the words say "follow your case"

    def __str__(self) -> str:
        number = "-number" if self.crime_number else ""
        guest = "-guest" if self.guest else ""
        return f"{self.template}-{self.language}-{'neutral' if self.neutral else 'usual'}{number}{guest}"


CASES = [
    Case(template, language, neutral, crime_number, guest)
    for template in sorted(TEXT_TEMPLATES)
    for language in LANGUAGES
    for neutral in (False, True)
    for crime_number in ((None, LONG_CRIME_NUMBER) if template == "report_received" else (None,))
    for guest in ((False, True) if template in GUEST_TEMPLATES else (False,))
]


@pytest.fixture
def long_address(app, monkeypatch):
    monkeypatch.setitem(app.config, "PUBLIC_BASE_URL", LONG_BASE_URL)
    with app.app_context():
        yield absolute_url("auth.login")


def link_for(case: Case, sign_in_link: str) -> str | None:
    """The link the text carries, as long as it can be: the sign-in page, /track for a guest (the same length),
    a resume link with its token; none for a code."""
    if case.template in LINKLESS:
        return None
    if case.guest:
        return absolute_url("track.start")
    if case.template == "resume_link":
        return absolute_url("reporting.resume_link", token="x" * 43)  # secrets.token_urlsafe(32)
    return sign_in_link


def render(case: Case, link: str, language: str | None = None) -> str:
    context = REQUESTED_CONTEXT.get(case.template, {})
    return render_body(Channel.TEXT, case.template, locale=language or case.language, neutral=case.neutral,
                       sign_in_link=link, link=link, crime_number=case.crime_number, guest=case.guest, **context)


def words_of(text: str, link: str | None) -> str:
    """The words the service wrote: the text without its link, the person's crime number and a code."""
    return text.replace(link or LONG_CRIME_NUMBER, " ").replace(LONG_CRIME_NUMBER, " ").replace("123456", " ")


def test_the_link_is_the_long_sign_in_address(long_address):
    assert long_address == LONG_BASE_URL + "/login"
    assert len(long_address) == 59


def test_the_guest_link_is_as_long(long_address):
    assert len(absolute_url("track.start")) == len(long_address)


def test_every_text_template_is_counted():
    assert {case.template for case in CASES} == set(TEXT_TEMPLATES)
    assert {case.template for case in CASES if case.guest} == set(GUEST_TEMPLATES)
    assert {case.language for case in CASES} == {"en", "pl", "ar"}


@pytest.mark.parametrize("case", CASES, ids=str)
def test_each_text_fits_its_part_limit(long_address, case):
    link = link_for(case, long_address)
    text = render(case, link)
    counted = text_parts(text)
    assert link in text if link else REQUESTED_CONTEXT[case.template]["code"] in text
    if case.language == "en":
        assert counted.encoding == GSM7, f"{case}: not GSM-7: {text!r}"
        assert counted.parts == ENGLISH_PARTS, f"{case}: {counted.length} characters: {text!r}"
    else:
        assert counted.parts <= MOST_PARTS, f"{case}: {counted} {text!r}"


@pytest.mark.parametrize("case", [case for case in CASES if case.template == "report_received"], ids=str)
def test_the_crime_number_is_there_only_when_asked_for(long_address, case):
    text = render(case, link_for(case, long_address))
    assert (LONG_CRIME_NUMBER in text) == bool(case.crime_number)


@pytest.mark.parametrize("case", [case for case in CASES if case.neutral], ids=str)
def test_neutral_texts_name_neither_the_police_nor_the_service(app, long_address, case):
    link = link_for(case, long_address)
    words = words_of(render(case, link), link).lower()
    found = [stem for stem in FORBIDDEN[case.language] if stem in words]
    assert not found, f"{case}: {found} in {words!r}"
    with force_locale(case.language):
        service_name = gettext(app.config["SERVICE_NAME"]).lower()
    assert service_name not in words
    assert app.config["SERVICE_NAME"].lower() not in words


@pytest.mark.parametrize("case", [case for case in CASES if case.language != "en"], ids=str)
def test_texts_are_in_their_own_language(long_address, case):
    link = link_for(case, long_address)
    words = words_of(render(case, link), link)
    english = words_of(render(case, link, "en"), link)
    assert words != english
    english_words = {word.lower() for word in re.findall(r"[A-Za-z]{4,}", english)}
    left = {word.lower() for word in re.findall(r"[A-Za-z]{4,}", words)} & english_words
    if case.language == "ar":
        assert not re.search(r"[A-Za-z]", words), f"{case}: Latin letters in {words!r}"
    assert not left - ENGLISH_IN_POLISH, f"{case}: English left: {left} in {words!r}"
