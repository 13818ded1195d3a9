"""The report wizard, end to end with the test client: every branch, validation, drafts and claims."""

import re
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from portal.auth.roles import Role
from portal.cases.crime_numbers import parse_crime_number
from portal.cases.enums import CaseStatus
from portal.cases.models import Report, TimelineEvent
from portal.clock import utcnow
from portal.extensions import db
from portal.reporting.models import ReportDraft
from tests.conftest import link_in, outbox_rows
from tests.pagecheck import assert_good_page, h1_text
from tests.wizard import BIKE_THEFT, answer, error_messages, start, steps_with, submit, walk


def load_report(app, crime_number) -> Report:
    """A report with its items and evidence, detached."""
    with app.app_context():
        report = db.session.scalar(select(Report).where(Report.crime_number == crime_number))
        _ = (report.property_items, report.evidence, report.category)
        db.session.expunge_all()
        return report


def count(app, model) -> int:
    """Rows of a model."""
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model))


# The whole journey ------------------------------------------------------------------------------


def test_a_guest_reports_a_bicycle_theft_and_gets_a_crime_number(app, client):
    """The full journey ends with a crime number, saved answers, due times, a timeline event and an email."""
    assert walk(client) == "/report/check-answers"
    crime_number = submit(client)
    assert re.fullmatch(r"CR-\d{2}-\d{7}-[A-Z]", crime_number)
    parse_crime_number(crime_number, "CR")

    report = load_report(app, crime_number)
    assert report.status == CaseStatus.RECEIVED
    assert report.category.code == "bicycle_theft"
    assert report.borough == "Camden" and report.postcode == "NW1 2DB"
    assert [(i.description, i.value_pence) for i in report.property_items] == [("Black Raleigh bicycle", 25000)]
    assert report.triage_due_at - report.submitted_at == timedelta(minutes=45)
    assert report.response_due_at - report.submitted_at == timedelta(hours=48)
    assert report.reporter_user_id is None
    assert report.would_have_reported == "no"
    assert report.safe_channels == ["email", "phone"] and report.neutral_sender is True

    with app.app_context():
        [event] = db.session.scalars(select(TimelineEvent).where(TimelineEvent.report_id == report.id)).all()
        assert event.visible_to_victim and event.title == "We received your report"
        assert db.session.scalar(select(func.count()).select_from(ReportDraft)) == 0

    [email] = outbox_rows(app)
    assert email.recipient == "sam@example.org"
    assert email.subject == "Thank you for getting in touch"
    assert crime_number not in email.body_text and "bicycle" not in email.body_text.lower()


def test_confirmation_explains_what_happens_next_and_rights(client):
    """The confirmation page gives the 45-minute and 48-hour promises and the Victims' Code rights."""
    walk(client)
    submit(client)
    html = client.get("/report/confirmation").get_data(as_text=True)
    assert "within 45 minutes" in html and "within 48 hours" in html
    assert "Code of Practice for Victims of Crime" in html
    assert "Create an account" in html


def test_the_pdf_summary_holds_the_report(app, client):
    """The downloadable PDF has the crime number and the person's words."""
    import io

    from pypdf import PdfReader

    walk(client)
    crime_number = submit(client)
    response = client.get("/report/confirmation/summary.pdf")
    assert response.mimetype == "application/pdf"
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(response.data)).pages)
    assert crime_number in text
    assert "Black Raleigh bicycle" in text


def test_the_confirmation_is_only_for_the_browser_that_submitted(app, client):
    """Another browser cannot open the confirmation or the PDF."""
    walk(client)
    submit(client)
    stranger = app.test_client()
    assert stranger.get("/report/confirmation").status_code == 404
    assert stranger.get("/report/confirmation/summary.pdf").status_code == 404


def test_no_email_is_sent_when_email_is_not_a_safe_channel(app, client):
    """Safe-contact preferences are respected from the first message: letter only, so a letter and no email."""
    steps = steps_with({"safe-contact": {"safe_channels": ["letter"], "voicemail_allowed": "no",
                                         "neutral_sender": "yes"},
                        "follow-up": {"follow_up": "none"}})
    steps.insert([slug for slug, _data in steps].index("safe-contact") + 1, ("postal-address", {
        "address_line_1": "10 Station Road", "address_town": "London", "address_postcode": "NW1 2DB"}))
    walk(client, steps)
    submit(client)
    assert [(m.channel.value, m.recipient, m.postal_address) for m in outbox_rows(app)] == [
        ("letter", "Sam Victim", "10 Station Road\nLondon\nNW1 2DB")]


def test_a_signed_in_victim_reports_and_the_report_is_theirs(app, client, signed_in):
    """A signed-in person's report is linked to their account straight away."""
    user = signed_in(Role.VICTIM)
    walk(client)
    crime_number = submit(client)
    assert load_report(app, crime_number).reporter_user_id == user.id
    assert "linked to your account" in client.get("/report/confirmation").get_data(as_text=True)


# Stop pages and diversions -----------------------------------------------------------------------


def test_danger_now_stops_at_call_999(app, client):
    """Saying someone is in danger leads to the 999 page, and no report can be made."""
    start(client)
    location = answer(client, "safety-now", {"danger_now": "yes"})
    assert location == "/report/help/call-999"
    page = client.get(location)
    assert h1_text(page) == "Call 999 now"
    assert_good_page(page)
    assert client.get("/report/check-answers").headers["Location"] == "/report/safety-now"
    assert client.post("/report/check-answers", data={"declaration": "y"}).status_code == 302
    assert count(app, Report) == 0


def test_weapon_injury_or_suspect_nearby_stops(client):
    """The second safety question leads to the urgent help page."""
    start(client)
    answer(client, "safety-now", {"danger_now": "no"})
    location = answer(client, "immediate-risk", {"immediate_risk": "yes"})
    page = client.get(location)
    assert h1_text(page) == "We need to speak to you"
    assert "call 101" in page.get_data(as_text=True)


@pytest.mark.parametrize("code", ["domestic_abuse", "sexual_offence", "child_abuse", "stalking", "hate_crime_threats"])
def test_specialist_categories_go_to_a_calm_specialist_page(client, code):
    """Each specialist category leads to phone numbers and the single point of referral, never 'we can't help'."""
    start(client)
    answer(client, "safety-now", {"danger_now": "no"})
    answer(client, "immediate-risk", {"immediate_risk": "no"})
    location = answer(client, "what-happened", {"category": code})
    assert location == "/report/help/specialist-support"
    page = client.get(location)
    html = page.get_data(as_text=True)
    assert h1_text(page) == "Talk to someone who can help"
    assert "0808 2000 247" in html and "single point of referral" in html
    assert "can't help" not in html.lower() and "cannot help" not in html.lower()
    assert_good_page(page)
    assert client.get("/report/who").headers["Location"] == "/report/what-happened"


def test_fraud_is_signposted_to_the_national_service(client):
    """Fraud leads to the national fraud reporting service."""
    start(client)
    answer(client, "safety-now", {"danger_now": "no"})
    answer(client, "immediate-risk", {"immediate_risk": "no"})
    page = client.get(answer(client, "what-happened", {"category": "fraud"}))
    assert h1_text(page) == "Report fraud to the national fraud reporting service"
    assert "0300 123 2040" in page.get_data(as_text=True)


def test_changing_a_diverted_answer_lets_the_report_continue(client):
    """Choosing fraud by mistake, then going back and choosing theft, carries on with the report."""
    start(client)
    answer(client, "safety-now", {"danger_now": "no"})
    answer(client, "immediate-risk", {"immediate_risk": "no"})
    answer(client, "what-happened", {"category": "fraud"})
    assert answer(client, "what-happened", {"category": "theft"}) == "/report/who"


def test_a_hate_incident_asks_about_motivation_and_third_party_reporting(app, client):
    """A hate incident asks the five-strand motivation question and records a third-party organisation."""
    steps = steps_with({"what-happened": {"category": "hate_incident"}})
    steps.insert(3, ("hate-motivation", {"hate_motivations": ["race", "religion"]}))
    steps.insert(4, ("third-party", {"via_third_party": "yes", "third_party_organisation": "Community Alliance"}))
    walk(client, steps)
    html = client.get("/report/hate-motivation").get_data(as_text=True)
    for strand in ("Race or ethnicity", "Religion or belief", "Sexual orientation", "Disability",
                   "Transgender identity"):
        assert strand in html
    report = load_report(app, submit(client))
    assert report.hate_motivations == ["race", "religion"]
    assert report.third_party_organisation == "Community Alliance"


def test_third_party_reporting_needs_the_organisation_name(client):
    """Saying yes without naming the organisation is an error."""
    start(client)
    for slug, data in steps_with({"what-happened": {"category": "hate_incident"}})[:3]:
        answer(client, slug, data)
    answer(client, "hate-motivation", {"hate_motivations": ["disability"]})
    response = client.post("/report/third-party", data={"via_third_party": "yes"})
    assert "Enter the name of the organisation" in " ".join(error_messages(response))


def test_lost_property_becomes_an_information_report_without_suspect_questions(app, client):
    """Lost property skips the suspect and witness questions and is recorded as information."""
    steps = steps_with({"what-happened": {"category": "lost_property"}, "suspect": None, "witnesses": None})
    assert walk(client, steps) == "/report/check-answers"
    assert "information report" in client.get("/report/check-answers").get_data(as_text=True)
    report = load_report(app, submit(client))
    assert report.is_information_report is True


@pytest.mark.parametrize("role", ["witness", "on_behalf"])
def test_witnesses_and_people_reporting_for_someone_else_can_report(app, client, role):
    """Reporting as a witness or on someone's behalf is recorded."""
    steps = steps_with({"who": {"reporter_role": role}})
    if role == "on_behalf":  # one more question: who the victim is (tests/integration/test_reporting_for_someone_else)
        steps.insert(4, ("someone-else", {"victim_kind": "person", "victim_knows": "yes"}))
    walk(client, steps)
    assert load_report(app, submit(client)).reporter_role.value == role


# Check answers ------------------------------------------------------------------------------------


def test_check_answers_links_back_to_each_question_and_returns(client):
    """Every answer has a change link; changing one comes straight back to check answers."""
    walk(client)
    page = client.get("/report/check-answers")
    html = page.get_data(as_text=True)
    assert_good_page(page)
    for slug, _data in BIKE_THEFT:
        if slug not in ("property-item", "property-list"):
            assert f'href="/report/{slug}"' in html, slug
    assert answer(client, "description", {"description": "Changed my mind about the words."}) \
        == "/report/check-answers"
    assert "Changed my mind about the words." in client.get("/report/check-answers").get_data(as_text=True)


def test_the_declaration_must_be_confirmed(app, client):
    """Submitting without ticking the declaration shows an error and creates nothing."""
    walk(client)
    response = client.post("/report/check-answers", data={})
    assert "Confirm that the information is true" in " ".join(error_messages(response))
    assert count(app, Report) == 0


def test_questions_cannot_be_skipped_by_typing_the_address(client):
    """Opening a later question early goes back to the first unanswered one."""
    start(client)
    assert client.get("/report/contact").headers["Location"] == "/report/safety-now"
    assert client.get("/report/check-answers").headers["Location"] == "/report/safety-now"


def test_without_a_draft_questions_go_to_the_start(client):
    """A question page with no report started goes to the start page."""
    assert client.get("/report/when").headers["Location"] == "/report/"


def test_adding_several_property_items(app, client):
    """The add-another loop keeps each item."""
    steps = steps_with({"property-list": {"add_another": "yes"}})
    index = [s for s, _ in steps].index("property-list")
    steps[index + 1:index + 1] = [("property-item", {"item_description": "Helmet", "item_value": "£40.50",
                                                     "item_damaged": "y"}),
                                  ("property-list", {"add_another": "no"})]
    walk(client, steps)
    report = load_report(app, submit(client))
    assert [(i.description, i.value_pence, i.damaged) for i in report.property_items] == [
        ("Black Raleigh bicycle", 25000, False), ("Helmet", 4050, True)]


# Validation ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(("data", "message"), [
    ({}, "Enter the date it happened"),
    ({"occurred_on-day": "3"}, "The date it happened must include a month and year"),
    ({"occurred_on-day": "31", "occurred_on-month": "2", "occurred_on-year": "2026"},
     "The date it happened must be a real date"),
    ({"occurred_on-day": "1", "occurred_on-month": "1", "occurred_on-year": "2999"},
     "The date it happened must be today or in the past"),
    ({"occurred_on-day": "aa", "occurred_on-month": "1", "occurred_on-year": "2026"},
     "The date it happened must be a real date"),
    ({"occurred_on-day": "5", "occurred_on-month": "1", "occurred_on-year": "2026",
      "occurred_until-day": "1", "occurred_until-month": "1", "occurred_until-year": "2026"},
     "The latest date must be the same as or after the first date"),
    ({"occurred_on-day": "5", "occurred_on-month": "1", "occurred_on-year": "2026", "occurred_time": "25:00"},
     "Enter a time in the 24-hour clock, like 17:30"),
])
def test_date_errors_are_clear_and_never_a_crash(client, data, message):
    """Missing parts, impossible and future dates get GOV.UK messages, and the error links to the input."""
    walk(client, BIKE_THEFT[:4])
    response = client.post("/report/when", data=data)
    assert response.status_code == 200
    assert message in " ".join(error_messages(response))
    assert_good_page(response)
    assert 'href="#occurred_' in response.get_data(as_text=True)


@pytest.mark.parametrize(("slug", "data", "message"), [
    ("where", {"borough": "Atlantis", "location": "x"}, "Select the borough"),
    ("where", {"borough": "Camden"}, "Enter a postcode or describe the place"),
    ("where", {"borough": "Camden", "postcode": "NOT A POSTCODE"}, "Enter a real postcode"),
    ("description", {"description": "x" * 5001}, "What happened must be 5000 characters or fewer"),
    ("description", {"description": "   "}, "Enter what happened"),
])
def test_answers_are_validated_on_the_server(client, slug, data, message):
    """Each question checks its answer and says what to fix."""
    index = [s for s, _ in BIKE_THEFT].index(slug)
    walk(client, BIKE_THEFT[:index])
    response = client.post(f"/report/{slug}", data=data)
    assert message in " ".join(error_messages(response))


def test_contact_needs_an_email_or_a_phone_number(client):
    """A name alone is not enough to reach someone."""
    index = [s for s, _ in BIKE_THEFT].index("contact")
    walk(client, BIKE_THEFT[:index])
    response = client.post("/report/contact", data={"contact_name": "Sam"})
    assert "Enter an email address or a phone number" in " ".join(error_messages(response))


def test_long_text_shows_its_limit(client):
    """The description uses the character count component with its limit."""
    walk(client, BIKE_THEFT[:6])
    html = client.get("/report/description").get_data(as_text=True)
    assert 'data-module="govuk-character-count"' in html and 'data-maxlength="5000"' in html


def test_hostile_text_is_kept_as_text_and_shown_escaped(app, client):
    """Markup in an answer is stored as typed and never rendered as HTML."""
    hostile = '<script>alert("x")</script><img src=x onerror=alert(1)>'
    walk(client, steps_with({"description": {"description": hostile}}))
    html = client.get("/report/check-answers").get_data(as_text=True)
    assert hostile not in html and "&lt;script&gt;" in html
    assert load_report(app, submit(client)).description == hostile


# Drafts, resuming and clean-up ---------------------------------------------------------------------


def test_a_signed_in_person_can_resume_on_another_device(app, client, make_user):
    """Answers are saved as they go; signing in elsewhere offers to continue where they stopped."""
    from tests.conftest import sign_in_as

    user = make_user(Role.VICTIM)
    sign_in_as(client, user)
    walk(client, BIKE_THEFT[:5])
    other_device = app.test_client()
    sign_in_as(other_device, user)
    start_page = other_device.get("/").get_data(as_text=True)
    assert "You have a report you have not finished" in start_page
    assert 'id="start-report"' not in start_page  # nothing on the page starts again without asking
    assert other_device.get("/report/").headers["Location"] == "/report/continue"  # /report/ goes straight on
    assert other_device.get("/report/continue").headers["Location"] == "/report/where"


def test_a_guest_draft_is_not_visible_to_another_browser(app, client):
    """Without the browser's own token, nobody else can open a guest's answers."""
    walk(client, BIKE_THEFT[:5])
    stranger = app.test_client()
    assert "You have a report you have not finished" not in stranger.get("/").get_data(as_text=True)
    assert stranger.get("/report/when").headers["Location"] == "/report/"
    assert stranger.get("/report/").headers["Location"] == "/"  # one start page: the service's own


def test_drafts_older_than_30_days_are_deleted_by_the_command(app, client):
    """`flask reports purge-drafts` removes old drafts and keeps recent ones."""
    walk(client, BIKE_THEFT[:3])
    walk(app.test_client(), BIKE_THEFT[:2])
    with app.app_context():
        oldest = db.session.scalars(select(ReportDraft).order_by(ReportDraft.id)).first()
        oldest.last_saved_at = utcnow() - timedelta(days=31)
        db.session.commit()
    result = app.test_cli_runner().invoke(args=["reports", "purge-drafts"])
    assert "deleted 1 old draft(s)" in result.output
    assert count(app, ReportDraft) == 1


def test_starting_again_discards_the_old_draft(app, client):
    """Start a new report replaces the unfinished one."""
    walk(client, BIKE_THEFT[:3])
    start(client)
    assert count(app, ReportDraft) == 1
    assert client.get("/report/who").headers["Location"] == "/report/safety-now"


# Claiming a guest report --------------------------------------------------------------------------


def test_a_guest_report_is_claimed_with_the_crime_number_and_an_emailed_link(app, client, make_user):
    """The claim link goes to the report's email, and opening it links the report to the account."""
    from tests.conftest import sign_in_as

    walk(client)
    crime_number = submit(client)
    user = make_user(Role.VICTIM)
    account = app.test_client()
    sign_in_as(account, user)
    response = account.post("/report/claim/", data={"crime_number": crime_number.lower().replace("-", " "),
                                                    "email": "SAM@example.org"})
    assert h1_text(response) == "Check your email"
    claim_email = outbox_rows(app)[-1]
    assert claim_email.recipient == "sam@example.org" and crime_number not in claim_email.body_text
    link = link_in(claim_email.body_text)

    intruder = app.test_client()
    sign_in_as(intruder, make_user(Role.VICTIM))
    assert intruder.get(link).status_code == 400

    assert account.get(link).headers["Location"] == "/account"
    assert load_report(app, crime_number).reporter_user_id == user.id
    assert account.get(link).status_code == 400


def test_a_claim_with_the_wrong_email_says_the_same_and_sends_nothing(app, client, make_user):
    """A crime number alone reveals nothing."""
    from tests.conftest import sign_in_as

    walk(client)
    crime_number = submit(client)
    before = len(outbox_rows(app))
    account = app.test_client()
    sign_in_as(account, make_user(Role.VICTIM))
    response = account.post("/report/claim/", data={"crime_number": crime_number, "email": "other@example.org"})
    assert h1_text(response) == "Check your email"
    assert len(outbox_rows(app)) == before


def test_a_mistyped_crime_number_fails_validation(client, signed_in):
    """A wrong check letter is caught on the form, before any lookup."""
    signed_in(Role.VICTIM)
    response = client.post("/report/claim/", data={"crime_number": "CR-26-0000001-A", "email": "a@example.org"})
    assert "mistyped" in " ".join(error_messages(response))
    response = client.post("/report/claim/", data={"crime_number": "12345", "email": "a@example.org"})
    assert "Crime number must be in the format CR-26-0001234-X" in " ".join(error_messages(response))
