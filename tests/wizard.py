"""Walking the report wizard with the test client."""

import re

from tests.pagecheck import assert_good_page, h1_text

BIKE_THEFT = [
    ("safety-now", {"danger_now": "no"}),
    ("immediate-risk", {"immediate_risk": "no"}),
    ("what-happened", {"category": "bicycle_theft"}),
    ("who", {"reporter_role": "victim"}),
    ("when", {"occurred_on-day": "3", "occurred_on-month": "11", "occurred_on-year": "2026",
              "occurred_time": "17:30"}),
    ("where", {"borough": "Camden", "postcode": "nw1 2db", "location": "Outside the station"}),
    ("description", {"description": "My bike was locked to the railings and was gone when I came back."}),
    ("property", {"has_property": "yes"}),
    ("property-item", {"item_description": "Black Raleigh bicycle", "item_value": "250"}),
    ("property-list", {"add_another": "no"}),
    ("suspect", {"suspect_description": ""}),
    ("witnesses", {"other_witnesses": ""}),
    ("evidence", {"action": "continue"}),
    ("contact", {"contact_name": "Sam Victim", "contact_email": "sam@example.org", "contact_phone": "020 7946 0018"}),
    ("safe-contact", {"safe_channels": ["email", "phone"]}),
    ("voicemail", {"voicemail_allowed": "no"}),
    ("message-words", {"neutral_sender": "yes"}),
    ("contact-needs", {}),
    ("follow-up", {"follow_up": "call"}),
    ("new-demand", {"would_have_reported": "no"}),
]


# How it is safe to contact the person is asked over several pages. A test may give every answer about it as one
# "safe-contact" step (as the page once was): `split_contact` shares them out among the pages.
CONTACT_PAGES = {
    "safe-contact": ("safe_channels", "safe_times"),
    "voicemail": ("voicemail_allowed",),  # only when a phone call is safe
    "message-words": ("neutral_sender", "crime_number_in_confirmation"),
    "contact-needs": ("contact_needs", "interpreter_language"),
}
LATER_CONTACT_PAGES = ("voicemail", "message-words", "contact-needs")
CONTACT_DEFAULTS = {"voicemail_allowed": "no", "neutral_sender": "yes"}


def split_contact(steps: list) -> list:
    """The steps with the answers about contacting the person on the pages that ask them. Later pages are kept
    where the steps had them (or their answers were given), just before the follow-up question; the voicemail
    page only when a phone call is safe."""
    slugs = [slug for slug, _data in steps]
    if "safe-contact" not in slugs:
        return steps
    given = dict(steps[slugs.index("safe-contact")][1])
    answers = {key: value for slug, data in steps if slug in LATER_CONTACT_PAGES for key, value in data.items()}
    answers.update(given)
    wanted = [page for page in LATER_CONTACT_PAGES
              if page in slugs or any(key in given for key in CONTACT_PAGES[page])]
    if "phone" in (answers.get("safe_channels") or []):
        if wanted and "voicemail" not in wanted:
            wanted.insert(0, "voicemail")
    elif "voicemail" in wanted:
        wanted.remove("voicemail")
    rest = [(slug, data) for slug, data in steps if slug not in LATER_CONTACT_PAGES]
    at = [slug for slug, _data in rest].index("safe-contact")
    rest[at] = ("safe-contact", {key: answers[key] for key in CONTACT_PAGES["safe-contact"] if key in answers})
    later = [(page, {key: answers.get(key, CONTACT_DEFAULTS.get(key)) for key in CONTACT_PAGES[page]
                     if key in answers or key in CONTACT_DEFAULTS}) for page in wanted]
    rest_slugs = [slug for slug, _data in rest]
    at = rest_slugs.index("follow-up") if "follow-up" in rest_slugs else len(rest)
    rest[at:at] = later
    return rest


def steps_with(replacements: dict, steps=None) -> list:
    """The bike theft answers with some steps' data replaced (None removes a step)."""
    result = []
    for slug, data in steps or BIKE_THEFT:
        if slug in replacements:
            if replacements[slug] is None:
                continue
            data = replacements[slug]
        result.append((slug, data))
    return split_contact(result)


def start(client):
    """Begin a new report."""
    response = client.post("/report/start")
    assert response.status_code == 302 and response.headers["Location"] == "/report/safety-now"


def answer(client, slug, data, check_page=True):
    """Open a question, check the page, post the answer, and return the redirect target."""
    page = client.get(f"/report/{slug}")
    assert page.status_code == 200, f"{slug}: {page.status_code} {page.headers.get('Location')}"
    if check_page:
        assert_good_page(page)
    response = client.post(f"/report/{slug}", data=data)
    assert response.status_code == 302, f"{slug} did not accept {data}: {error_messages(response)}"
    return response.headers["Location"]


def walk(client, steps=BIKE_THEFT, check_pages=True) -> str:
    """Answer each question in turn; return where the last answer led."""
    start(client)
    location = None
    for slug, data in split_contact(list(steps)):
        location = answer(client, slug, data, check_pages)
    return location


def submit(client) -> str:
    """Confirm the declaration and submit; return the crime number shown."""
    page = client.get("/report/check-answers")
    assert h1_text(page) == "Check your answers before sending your report"
    response = client.post("/report/check-answers", data={"declaration": "y"})
    assert response.headers["Location"] == "/report/confirmation"
    confirmation = client.get("/report/confirmation")
    assert_good_page(confirmation)
    return crime_number_in(confirmation)


def crime_number_in(response) -> str:
    """The crime number on a confirmation page."""
    match = re.search(r'id="crime-number">([^<]+)<', response.get_data(as_text=True))
    assert match, "no crime number on the page"
    return match.group(1)


def error_messages(response) -> list[str]:
    """The GOV.UK error messages on a page."""
    html = response.get_data(as_text=True)
    return [" ".join(re.sub(r"<[^>]+>", "", m).split())
            for m in re.findall(r'class="govuk-error-message"[^>]*>(.*?)</p>', html, re.S)]
