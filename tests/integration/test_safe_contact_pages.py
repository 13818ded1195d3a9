"""Contacting the person safely is asked one thing a page: the safe ways (and times), the voicemail (only when a
phone call is safe), what the messages say, and help to talk with us."""

import pytest

from tests.pagecheck import assert_good_page, h1_text
from tests.wizard import BIKE_THEFT, answer, error_messages, start

BEFORE = BIKE_THEFT[:[slug for slug, _data in BIKE_THEFT].index("safe-contact")]


def field_names(html: str) -> set[str]:
    import re
    main = html[html.index("<main"):html.index("</main>")]
    return set(re.findall(r'name="([a-z_]+)"', main)) - {"csrf_token", "language", "next", "submit"}


@pytest.mark.parametrize(("slug", "heading", "fields"), [
    ("safe-contact", "Contacting you safely", {"safe_channels", "safe_times"}),
    ("voicemail", "Can we leave a voicemail?", {"voicemail_allowed"}),
    ("message-words", "What our messages say", {"neutral_sender", "crime_number_in_confirmation"}),
    ("contact-needs", "Help to talk with us", {"contact_needs", "interpreter_language"}),
])
def test_each_page_asks_one_thing(client, slug, heading, fields):
    start(client)
    for step, data in BIKE_THEFT[:[s for s, _d in BIKE_THEFT].index(slug)]:
        answer(client, step, data)
    page = client.get(f"/report/{slug}")
    assert_good_page(page)
    assert h1_text(page) == heading
    assert field_names(page.get_data(as_text=True)) == fields


def test_the_voicemail_question_is_asked_only_when_a_call_is_safe(client):
    start(client)
    for step, data in BEFORE:
        answer(client, step, data)
    assert answer(client, "safe-contact", {"safe_channels": ["email"]}) == "/report/message-words"
    assert client.get("/report/voicemail").headers["Location"] == "/report/message-words"
    assert answer(client, "safe-contact", {"safe_channels": ["email", "phone"]}) == "/report/voicemail"


@pytest.mark.parametrize(("slug", "data", "message"), [
    ("safe-contact", {}, "Select at least one safe way to contact you"),
    ("voicemail", {}, "Select yes if we can leave a voicemail"),
    ("voicemail", {"voicemail_allowed": "<b>maybe</b>"}, "Select yes if we can leave a voicemail"),
    ("message-words", {}, "Select yes if our messages should not mention the police"),
])
def test_each_page_explains_a_missing_or_hostile_answer(client, slug, data, message):
    start(client)
    for step, answers in BIKE_THEFT[:[s for s, _d in BIKE_THEFT].index(slug)]:
        answer(client, step, answers)
    response = client.post(f"/report/{slug}", data=data)
    assert response.status_code == 200
    assert error_messages(response) == [f"Error: {message}"]
