"""Issue 21 (the usability walk), the parts built so far: each test would catch its problem again."""

import re
from datetime import timedelta

from portal.auth.roles import Role
from portal.cases.enums import CaseStatus
from portal.cases.status_text import STATUS_COLOURS
from portal.clock import LONDON, utcnow
from tests.conftest import sign_in_as
from tests.pagecheck import assert_good_page
from tests.triage_helpers import make_report, report_state
from tests.wizard import BIKE_THEFT, answer, error_messages, start, steps_with, walk


def page_title(response) -> str:
    return re.search(r"<title>(.*?)</title>", response.get_data(as_text=True), re.S).group(1).strip()


def test_the_home_page_title_names_the_service_once(app, client):
    title = page_title(client.get("/"))
    assert title == "Report a crime and get support"
    assert page_title(client.get("/cookies")) == "Cookies – Report a crime and get support"  # others: page – service


def test_the_fraud_page_links_to_the_national_service(app, client):
    start(client)
    answer(client, "safety-now", {"danger_now": "no"})
    answer(client, "immediate-risk", {"immediate_risk": "no"})
    page = client.get(answer(client, "what-happened", {"category": "fraud"}))
    assert_good_page(page)
    html = page.get_data(as_text=True)
    link = re.search(r'<p class="govuk-body" id="report-fraud">(.*?)</p>', html, re.S).group(1)
    assert f'<a class="govuk-link" href="{app.config["FRAUD_REPORTING_URL"]}">report fraud online</a>' in link
    assert "0300 123 2040" in link and "&lt;a" not in link


def _visit_proposed(app, make_user, victim, hours_ahead_days: int = 3):
    crime_number = make_report(app, user=victim)
    officer = app.test_client()
    sign_in_as(officer, make_user(Role.OFFICER))
    day = (utcnow() + timedelta(days=hours_ahead_days)).astimezone(LONDON).date()
    officer.post(f"/staff/cases/{crime_number}/decide/attendance", data={
        "version": str(report_state(app, crime_number).version), "visit_date-day": str(day.day),
        "visit_date-month": str(day.month), "visit_date-year": str(day.year), "visit_time": "14:30"})
    return crime_number, day


def test_the_visit_question_shows_the_time_proposed(app, client, signed_in, make_user):
    victim = signed_in(Role.VICTIM)
    crime_number, day = _visit_proposed(app, make_user, victim)
    html = client.get(f"/cases/{crime_number}").get_data(as_text=True)
    shown = re.search(r'<p class="govuk-body" id="visit-time">(.*?)</p>', html, re.S).group(1)
    assert shown == f"We would like to visit you on {day.day} {day:%B} {day.year} at 2:30pm."
    assert html.index('id="visit-time"') < html.index("Does this time suit you?")


def test_the_visit_answer_reads_in_the_person_s_language(app, client, signed_in, make_user):
    victim = signed_in(Role.VICTIM)
    crime_number, _day = _visit_proposed(app, make_user, victim)
    assert client.post(f"/cases/{crime_number}/visit", data={"answer": "accept"}).status_code == 302
    client.post("/language", data={"language": "pl", "next": f"/cases/{crime_number}"})
    polish = client.get(f"/cases/{crime_number}/updates").get_data(as_text=True)  # the timeline
    assert "Zaakceptowano termin wizyty" in polish and "You accepted the visit time" not in polish


def test_an_arabic_date_line_uses_the_arabic_comma(app, client, signed_in):
    victim = signed_in(Role.VICTIM)
    make_report(app, user=victim)
    client.post("/language", data={"language": "ar", "next": "/cases/"})
    for url in ("/cases/", "/support/"):
        html = client.get(url).get_data(as_text=True)
        assert re.search(r"\S، \d{1,2} \S+ \d{4}", html), url  # "category، date"
        assert not re.search(r"\S, \d{1,2} \S+ \d{4}", html), url
    client.post("/language", data={"language": "en", "next": "/cases/"})
    assert re.search(r"\S, \d{1,2} [A-Z][a-z]+ \d{4}", client.get("/cases/").get_data(as_text=True))


def test_the_case_list_colours_each_stage_and_shows_unread_messages(app, client, signed_in, make_user):
    victim = signed_in(Role.VICTIM)
    new_case = make_report(app, user=victim)
    visited, _day = _visit_proposed(app, make_user, victim)
    officer = app.test_client()
    sign_in_as(officer, make_user(Role.OFFICER))
    assert officer.post(f"/staff/cases/{visited}/messages", data={"body": "We will ring first."}).status_code == 302
    html = client.get("/cases/").get_data(as_text=True)
    items = dict(re.findall(r'href="/cases/(CR-[^"]+)">.*?</a>(.*?)</li>', html, re.S))
    assert re.search(r'class="govuk-tag govuk-tag--blue app-tag--one-line">\s*Received', items[new_case])
    assert re.search(r'class="govuk-tag govuk-tag--purple app-tag--one-line">\s*Visit arranged', items[visited])
    assert "1 new message" in items[visited] and "new message" not in items[new_case]
    client.get(f"/cases/{visited}/messages")  # read it
    assert "new message" not in client.get("/cases/").get_data(as_text=True)


def test_every_status_has_its_own_stage_colour():
    assert set(STATUS_COLOURS) == set(CaseStatus)
    assert len(set(STATUS_COLOURS.values())) >= 5


def _up_to_follow_up(client, phone: str, channels: list[str]):
    steps = steps_with({"contact": {**dict(BIKE_THEFT)["contact"], "contact_phone": phone},
                        "safe-contact": {**dict(BIKE_THEFT)["safe-contact"], "safe_channels": channels}})
    slugs = [slug for slug, _data in steps]
    walk(client, steps[: slugs.index("follow-up")])


def test_a_call_needs_a_phone_number_and_a_phone_call_marked_safe(app, client):
    _up_to_follow_up(client, "", ["email", "phone"])
    refused = client.post("/report/follow-up", data={"follow_up": "call"})
    assert refused.status_code == 200
    assert error_messages(refused) == ["Error: To get a call, go back and enter a phone number, or choose another "
                                       "answer"]
    assert client.post("/report/follow-up", data={"follow_up": "none"}).status_code == 302  # another answer is fine


def test_a_call_is_refused_when_a_phone_call_is_not_safe(app, client):
    _up_to_follow_up(client, "020 7946 0018", ["email"])
    refused = client.post("/report/follow-up", data={"follow_up": "call"})
    assert error_messages(refused) == ["Error: You said a phone call is not a safe way to contact you. To get a call, "
                                       "go back and select phone call, or choose another answer"]
    assert client.post("/report/follow-up", data={"follow_up": "visit"}).status_code == 302


def test_a_call_with_a_phone_number_marked_safe_is_accepted(app, client):
    _up_to_follow_up(client, "020 7946 0018", ["email", "phone"])
    assert client.post("/report/follow-up", data={"follow_up": "call"}).status_code == 302
