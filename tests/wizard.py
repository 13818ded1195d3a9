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
    ("safe-contact", {"safe_channels": ["email", "phone"], "voicemail_allowed": "no", "neutral_sender": "yes"}),
    ("follow-up", {"follow_up": "call"}),
    ("new-demand", {"would_have_reported": "no"}),
]


def steps_with(replacements: dict, steps=None) -> list:
    """The bike theft answers with some steps' data replaced (None removes a step)."""
    result = []
    for slug, data in steps or BIKE_THEFT:
        if slug in replacements:
            if replacements[slug] is None:
                continue
            data = replacements[slug]
        result.append((slug, data))
    return result


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
    for slug, data in steps:
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
