"""Issue 22's staff screens that work: the update form (what each kind of update needs, the court's questions, a
progress update), a wrong sign-in code that says so, the partner's contact form with the person's rules for contact,
and decision pages that show the victim's message filled in. Each with missing, malformed and hostile input: never a
server error, and what was typed is kept when the page comes back with an error."""

import re
from datetime import timedelta
from html import unescape

import pyotp
import pytest
from sqlalchemy import func, select

from portal.auth.models import FailedAttempt, User
from portal.auth.roles import Role
from portal.cases.enums import CaseStatus
from portal.clock import utcnow
from portal.extensions import db
from portal.support.enums import ReferralStatus
from portal.support.models import ReferralEvent
from tests.conftest import outbox_rows, sign_in_as
from tests.factories import DEFAULT_PASSWORD
from tests.integration.test_partner_portal import charity, partner_of, referral_to, state, version
from tests.integration.test_triage import audited, decide, events, investigate, post_update
from tests.pagecheck import assert_good_page
from tests.triage_helpers import make_report, report_state

HOSTILE = ["<script>alert(1)</script>", "%(officer)s %s %", "\x00", "' OR 1=1 --", "９９:９９", "x" * 5000]


def summary(response) -> list[tuple[str, str]]:
    """The error summary's entries: (message, the link's target)."""
    html = response.get_data(as_text=True)
    found = re.search(r'class="govuk-error-summary".*?</ul>', html, re.S)
    if found is None:
        return []
    return [(" ".join(unescape(re.sub(r"<[^>]+>", "", text)).split()), href)
            for href, text in re.findall(r'<a href="([^"]+)"[^>]*>(.*?)</a>', found.group(0), re.S)]


def messages(response) -> list[str]:
    """The error summary's messages."""
    return [text for text, _href in summary(response)]


def text_of(response) -> str:
    """The page's words, tags removed."""
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", response.get_data(as_text=True))).split())


@pytest.fixture
def officer(signed_in):
    """The client, signed in as an officer."""
    return signed_in(Role.OFFICER, rank="PC", collar_number="1234", display_name="Alex Morgan")


def charged(app, client, officer_user) -> str:
    """A case under investigation where a suspect has been charged (so a hearing can be listed)."""
    crime_number = investigate(app, client, officer_user)
    assert post_update(client, crime_number, "charged").status_code == 302
    return crime_number


def future_day(days: int = 20) -> dict:
    day = utcnow().date() + timedelta(days=days)
    return {"hearing_date-day": str(day.day), "hearing_date-month": str(day.month),
            "hearing_date-year": str(day.year)}


# The update form -----------------------------------------------------------------------------------------------


def test_the_update_page_says_what_each_kind_of_update_needs(app, client, officer):
    crime_number = investigate(app, client, officer)
    page = client.get(f"/staff/cases/{crime_number}/update")
    assert_good_page(page)
    words = text_of(page)
    assert "Time it happened Use the 24-hour clock, for example 14:30. Not needed for a progress update." in words
    assert "Your words for the victim (optional for a key event)" in words
    assert "A progress update in your own words (the status does not change)" in words
    # No court questions until a hearing can be listed.
    assert "If a court hearing has been arranged" not in words and 'name="hearing_place"' not in page.get_data(
        as_text=True)


def test_a_key_event_without_a_time_says_so_and_keeps_what_was_typed(app, client, officer):
    crime_number = investigate(app, client, officer)
    before = report_state(app, crime_number)
    response = post_update(client, crime_number, "suspect_arrested", happened_time="",
                           body="Arrested near the station.")
    assert response.status_code == 200
    assert summary(response) == [("Enter the time it happened", "#happened_time")]
    assert "Arrested near the station." in response.get_data(as_text=True)
    assert 'value="suspect_arrested" checked' in response.get_data(as_text=True)
    after = report_state(app, crime_number)
    assert (after.status, after.version) == (before.status, before.version)

    missing_date = post_update(client, crime_number, "suspect_arrested",
                               **{"happened_date-day": "", "happened_date-month": "", "happened_date-year": ""})
    assert summary(missing_date) == [("Enter the date it happened", "#happened_date-day")]


@pytest.mark.parametrize("typed", ["25:00", "14:60", "2pm", "1430", "<b>14:30</b>", "14:30; DROP TABLE reports",
                                   "１４:３０", "9" * 500])
def test_a_malformed_time_is_explained(app, client, officer, typed):
    crime_number = investigate(app, client, officer)
    response = post_update(client, crime_number, "suspect_arrested", happened_time=typed)
    assert response.status_code == 200
    assert messages(response) == ["Enter the time it happened in the 24-hour clock, like 14:30"]
    assert report_state(app, crime_number).status == CaseStatus.UNDER_INVESTIGATION


def test_a_hearing_needs_the_court_date_and_time_each_with_its_own_message(app, client, officer):
    crime_number = charged(app, client, officer)
    page = client.get(f"/staff/cases/{crime_number}/update")
    assert_good_page(page)
    assert "If a court hearing has been arranged" in text_of(page)
    refused = post_update(client, crime_number, "court_hearing_scheduled")
    assert summary(refused) == [("Enter the court", "#hearing_place"),
                                ("Enter the date of the hearing", "#hearing_date-day"),
                                ("Enter the time of the hearing", "#hearing_time")]
    malformed = post_update(client, crime_number, "court_hearing_scheduled", hearing_place="Wood Green Crown Court",
                            hearing_time="ten", **future_day())
    assert messages(malformed) == ["Enter the time of the hearing in the 24-hour clock, like 10:00"]
    assert 'value="Wood Green Crown Court"' in malformed.get_data(as_text=True)
    assert report_state(app, crime_number).status == CaseStatus.CHARGED
    listed = post_update(client, crime_number, "court_hearing_scheduled", hearing_place="Wood Green Crown Court",
                         hearing_time="10:00", **future_day())
    assert listed.status_code == 302
    hearing = events(app, crime_number)[-1]
    assert hearing.reason_code == "court_hearing_scheduled" and hearing.text_values["place"] == "Wood Green Crown Court"
    # The court's answers are ignored for any other event.
    assert post_update(client, crime_number, "outcome", hearing_place="Ignored Court").status_code == 302
    assert events(app, crime_number)[-1].text_values is None


def test_a_progress_update_tells_the_victim_in_the_officers_words_and_changes_no_status(app, client, officer):
    crime_number = investigate(app, client, officer)
    before = report_state(app, crime_number)
    sent_before = len(outbox_rows(app))
    words = "We have asked the shop for its CCTV. We will tell you what it shows."
    response = post_update(client, crime_number, "progress", body=words,
                           **{"happened_date-day": "", "happened_date-month": "", "happened_date-year": "",
                              "happened_time": ""})
    assert response.status_code == 302
    after = report_state(app, crime_number)
    assert after.status == before.status == CaseStatus.UNDER_INVESTIGATION
    progress = events(app, crime_number)[-1]
    assert (progress.kind, progress.title, progress.body, progress.visible_to_victim, progress.visible_to_witness,
            progress.reason_code) == ("progress", "An update on your case", words, True, False, "progress")
    assert audited(app, "update.progress", crime_number)
    assert len(outbox_rows(app)) == sent_before + 1  # the victim is told there is an update (no case details)


def test_the_victim_reads_a_progress_update_as_it_was_written(app, client, make_user):
    victim = make_user(Role.VICTIM)
    crime_number = make_report(app, user=victim)
    staff = app.test_client()
    sign_in_as(staff, make_user(Role.OFFICER))
    with app.app_context():
        officer_user = db.session.scalar(select(User).where(User.role == Role.OFFICER))
    decide(staff, crime_number, "allocate", {"officer": str(officer_user.id)})
    hostile = "Update: 100% checked <script>alert(1)</script> %(officer)s"
    assert post_update(staff, crime_number, "progress", body=hostile).status_code == 302
    reader = app.test_client()
    sign_in_as(reader, victim)
    page = reader.get(f"/cases/{crime_number}/updates")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "An update on your case" in html and "<script>alert(1)</script>" not in html
    assert "Update: 100% checked &lt;script&gt;alert(1)&lt;/script&gt; %(officer)s" in html


def test_a_progress_update_needs_words_and_is_never_for_witnesses(app, client, officer):
    crime_number = investigate(app, client, officer)
    count = len(events(app, crime_number))
    empty = post_update(client, crime_number, "progress", body="   ")
    assert summary(empty) == [("Enter what you want to tell the victim", "#body")]
    to_witnesses = post_update(client, crime_number, "progress", body="For everyone.", witness="y")
    assert to_witnesses.status_code == 200
    assert messages(to_witnesses) == ["A progress update is for the victim only. Untick ‘Witnesses can see this "
                                      "update’"]
    assert "For everyone." in to_witnesses.get_data(as_text=True)  # kept for the officer to post again
    assert len(events(app, crime_number)) == count


def test_the_progress_service_refuses_what_the_form_would(app, ctx, make_user):
    from portal.domain import DomainError
    from portal.triage import services

    crime_number = make_report(app)
    officer_user = db.session.merge(make_user(Role.OFFICER))
    report = services.get_report_by_crime_number(crime_number)
    services.allocate_for_investigation(officer_user, report, report.version, officer_user)
    for body, witness, field in ((None, False, "body"), ("  ", False, "body"), ("Words", True, "witness"),
                                 ("x" * 3001, False, "body")):
        with pytest.raises(DomainError) as refused:
            services.post_update(officer_user, report, report.version, None, body, None, True, witness)
        assert refused.value.field == field
    with pytest.raises(DomainError, match="Enter the date and time"):
        services.post_update(officer_user, report, report.version, CaseStatus.SUSPECT_ARRESTED, None, None, True,
                             False)


@pytest.mark.parametrize("status", ["", "progress ", "../closed", "received", "under_investigation",
                                    "court_hearing_scheduled", "PROGRESS", "<script>"])
def test_a_hostile_or_unavailable_choice_is_refused_without_an_error_page(app, client, officer, status):
    crime_number = investigate(app, client, officer)
    response = post_update(client, crime_number, status, body="Words")
    assert response.status_code == 200
    assert messages(response) == ["Select what has happened"]
    assert report_state(app, crime_number).status == CaseStatus.UNDER_INVESTIGATION


@pytest.mark.parametrize("body", HOSTILE)
def test_hostile_words_never_make_a_server_error(app, client, officer, body):
    crime_number = investigate(app, client, officer)
    response = post_update(client, crime_number, "progress", body=body)
    assert response.status_code in (200, 302)
    if response.status_code == 200:
        assert messages(response)


# A wrong sign-in code -------------------------------------------------------------------------------------------


WRONG = "The security code is not correct. Enter the 6-digit code from your authenticator app"


def failures(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count(FailedAttempt.id)))


def at_the_code_step(app, make_user):
    user = make_user(Role.OFFICER)
    client = app.test_client()
    response = client.post("/login", data={"email": user.email, "password": DEFAULT_PASSWORD})
    assert response.headers["Location"] == "/login/code"
    return client, user


@pytest.mark.parametrize(("typed", "message"), [
    ("", "Enter the security code"), ("   ", "Enter the security code"),
    ("12345", "Security code must be 6 digits"), ("1234567", "Security code must be 6 digits"),
    ("12ab56", "Security code must be 6 digits"), ("١٢٣٤٥٦", "Security code must be 6 digits"),
    ("<script>", "Security code must be 6 digits"), ("9" * 10_000, "Security code must be 6 digits"),
])
def test_an_empty_or_malformed_code_says_what_is_wrong_and_is_not_counted(app, make_user, typed, message):
    client, _user = at_the_code_step(app, make_user)
    response = client.post("/login/code", data={"code": typed})
    assert response.status_code == 200
    assert summary(response) == [(message, "#code")]
    assert '<p id="code-error" class="govuk-error-message">' in response.get_data(as_text=True)
    assert failures(app) == 0


def test_a_wrong_code_says_it_is_not_correct_counts_and_a_right_one_still_works(app, make_user):
    client, user = at_the_code_step(app, make_user)
    wrong = client.post("/login/code", data={"code": "000000"})
    assert wrong.status_code == 200
    assert summary(wrong) == [(WRONG, "#code")]
    assert "Error: " + WRONG in text_of(wrong)
    assert_good_page(wrong)
    assert failures(app) == 1
    spaced = " ".join(pyotp.TOTP(user.totp_secret).now())  # "1 2 3 4 5 6": spaces are allowed
    assert client.post("/login/code", data={"code": spaced}).status_code == 302
    assert failures(app) == 0


def test_a_reused_code_is_not_correct_either(app, make_user):
    client, user = at_the_code_step(app, make_user)
    code = pyotp.TOTP(user.totp_secret).now()
    assert client.post("/login/code", data={"code": code}).status_code == 302
    client.post("/logout")
    again = app.test_client()
    again.post("/login", data={"email": user.email, "password": DEFAULT_PASSWORD})
    assert messages(again.post("/login/code", data={"code": code})) == [WRONG]


# The partner's contact form -------------------------------------------------------------------------------------


def accepted_referral(app, client, signed_in, make_user, **report_fields) -> str:
    setup = charity(app)
    reference = referral_to(app, make_user, setup, **report_fields)
    partner_of(signed_in, setup)
    assert client.post(f"/partner/referrals/{reference}/accept",
                       data={"version": version(app, reference)}).status_code == 302
    return reference


def contact_events(app, reference) -> list[ReferralEvent]:
    return [e for e in state(app, reference).__dict__["loaded_events"] if e.kind == "contact_attempt"]


def test_the_contact_page_shows_the_persons_rules_for_contact(app, client, signed_in, make_user):
    reference = accepted_referral(app, client, signed_in, make_user, safe_channels=["email", "phone"],
                                  voicemail_allowed="no", safe_times="Weekdays after 6pm",
                                  contact_needs=["interpreter"], interpreter_language="Polish")
    page = client.get(f"/partner/referrals/{reference}/contact")
    assert_good_page(page)
    words = text_of(page)
    for rule in ("How to contact them safely", "Safe ways to contact Email, Phone call",
                 "Safe times Weekdays after 6pm", "Voicemail Do not leave a voicemail or a message with anyone else",
                 "Communication and access needs Interpreter: Polish",
                 "Left a message Only if they said a voicemail is safe"):
        assert rule in words, rule


def test_left_a_message_is_refused_when_a_voicemail_is_not_safe(app, client, signed_in, make_user):
    reference = accepted_referral(app, client, signed_in, make_user, safe_channels=["email", "phone"],
                                  voicemail_allowed="no")
    before = state(app, reference)
    response = client.post(f"/partner/referrals/{reference}/contact", data={
        "version": version(app, reference), "outcome": "left_message", "note": "Rang at 10am, left my number."})
    assert response.status_code == 200
    [(message, href)] = summary(response)
    assert message.startswith("Do not leave a message: the person has not said a voicemail is safe")
    assert href == "#outcome"
    html = response.get_data(as_text=True)
    assert 'id="outcome-error"' in html and "Rang at 10am, left my number." in html
    assert contact_events(app, reference) == []
    assert state(app, reference).version == before.version
    # Other outcomes are recorded as before.
    assert client.post(f"/partner/referrals/{reference}/contact", data={
        "version": version(app, reference), "outcome": "no_answer"}).status_code == 302
    assert [e.outcome for e in contact_events(app, reference)] == ["no_answer"]


def test_left_a_message_is_recorded_when_a_voicemail_is_safe(app, client, signed_in, make_user):
    reference = accepted_referral(app, client, signed_in, make_user, safe_channels=["email", "phone"],
                                  voicemail_allowed="yes")
    page = text_of(client.get(f"/partner/referrals/{reference}/contact"))
    assert "Voicemail You may leave a voicemail" in page
    assert client.post(f"/partner/referrals/{reference}/contact", data={
        "version": version(app, reference), "outcome": "left_message"}).status_code == 302
    assert [e.outcome for e in contact_events(app, reference)] == ["left_message"]
    assert state(app, reference).status == ReferralStatus.ACCEPTED


def test_without_shared_contact_details_there_are_no_messages_either(app, client, signed_in, make_user):
    setup = charity(app)
    reference = referral_to(app, make_user, setup, scopes=["category_and_dates"], safe_channels=["email", "phone"],
                            voicemail_allowed="yes")
    partner_of(signed_in, setup)
    client.post(f"/partner/referrals/{reference}/accept", data={"version": version(app, reference)})
    page = client.get(f"/partner/referrals/{reference}/contact")
    assert_good_page(page)
    assert "did not agree to share their contact details" in text_of(page)
    refused = client.post(f"/partner/referrals/{reference}/contact", data={
        "version": version(app, reference), "outcome": "left_message"})
    assert refused.status_code == 200 and summary(refused)[0][1] == "#outcome"
    assert contact_events(app, reference) == []


@pytest.mark.parametrize("outcome", ["", "left message", "LEFT_MESSAGE", "<script>", "reached' --"])
def test_a_hostile_outcome_is_refused_without_an_error_page(app, client, signed_in, make_user, outcome):
    reference = accepted_referral(app, client, signed_in, make_user)
    response = client.post(f"/partner/referrals/{reference}/contact", data={
        "version": version(app, reference), "outcome": outcome, "note": "<b>kept</b>"})
    assert response.status_code == 200
    assert messages(response) == ["Select what happened when you tried to make contact"]
    assert "&lt;b&gt;kept&lt;/b&gt;" in response.get_data(as_text=True)
    assert contact_events(app, reference) == []


# Decision pages -------------------------------------------------------------------------------------------------


VISIT = "An officer would like to visit you on {when}. If this time does not suit you, tell us on your case page " \
        "and we will arrange another."


def visit_fields(days: int = 3, time: str = "14:30") -> dict:
    day = utcnow().date() + timedelta(days=days)
    return {"visit_date-day": str(day.day), "visit_date-month": str(day.month), "visit_date-year": str(day.year),
            "visit_time": time}


def victim_message(response) -> str:
    found = re.search(r'id="victim-message">(.*?)</div>', response.get_data(as_text=True), re.S)
    assert found, "no victim message on the page"
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", found.group(1))).split())


@pytest.mark.parametrize("kind", ["allocate", "nfi", "attendance", "call", "escalate", "refer", "information",
                                  "duplicate"])
def test_no_decision_page_shows_a_placeholder(app, client, officer, kind):
    crime_number = make_report(app)
    for response in (client.get(f"/staff/cases/{crime_number}/decide/{kind}"),
                     decide(client, crime_number, kind, {"preview": "yes"}), decide(client, crime_number, kind, {})):
        if response.status_code == 302:  # a decision that needs no answers (a call, information only) is recorded
            assert kind in ("call", "information")
            continue
        assert response.status_code == 200
        assert "%(" not in response.get_data(as_text=True)
        assert_good_page(response)


def test_the_preview_fills_in_the_officer_and_records_nothing(app, client, officer):
    crime_number = make_report(app)
    page = client.get(f"/staff/cases/{crime_number}/decide/allocate")
    assert "[the officer you choose] is your contact for this case." in victim_message(page)
    preview = decide(client, crime_number, "allocate", {"preview": "yes", "officer": str(officer.id)})
    assert preview.status_code == 200
    assert "PC 1234 Alex Morgan is your contact for this case." in victim_message(preview)
    assert "(nothing has been recorded yet)" in victim_message(preview)
    assert report_state(app, crime_number).status == CaseStatus.RECEIVED
    assert decide(client, crime_number, "allocate", {"officer": str(officer.id)}).status_code == 302
    recorded = events(app, crime_number)[-1]
    with app.test_request_context():
        assert recorded.shown_body in victim_message(preview)


def test_the_visit_preview_is_the_message_the_victim_gets(app, client, officer):
    crime_number = make_report(app)
    assert "on [the date and time of the visit]." in victim_message(
        client.get(f"/staff/cases/{crime_number}/decide/attendance"))
    preview = decide(client, crime_number, "attendance", {"preview": "yes", **visit_fields()})
    day = utcnow().date() + timedelta(days=3)
    shown = victim_message(preview)
    assert f"{day.day} " in shown and "at 2:30pm" in shown and "%(" not in shown
    assert report_state(app, crime_number).status == CaseStatus.RECEIVED
    assert decide(client, crime_number, "attendance", visit_fields()).status_code == 302
    with app.test_request_context():
        recorded = events(app, crime_number)[-1]
        assert recorded.shown_body and VISIT.split("{when}")[0] in recorded.shown_body
        assert recorded.shown_body in shown


def test_the_officers_own_words_are_previewed_as_typed(app, client, officer):
    crime_number = make_report(app)
    typed = "We will visit on %(when)s <b>soon</b> 100%"
    preview = decide(client, crime_number, "attendance", {"preview": "yes", **visit_fields(), "body": typed})
    assert typed in victim_message(preview)
    assert "<b>soon</b>" not in preview.get_data(as_text=True)
    nfi = decide(client, crime_number, "nfi", {"preview": "yes", "reason_code": "victim_request", "body": ""})
    assert "You told us you did not want us to investigate further." in victim_message(nfi)
    assert "You have the right to ask for this decision to be reviewed." in victim_message(nfi)


@pytest.mark.parametrize("fields", [
    {"officer": "999999"}, {"officer": "<script>"}, {"officer": "1" * 50},
    {**visit_fields(time="99:99")}, {**visit_fields(days=-3)}, {"visit_date-day": "31", "visit_date-month": "2",
                                                                "visit_date-year": "2030", "visit_time": "10:00"},
    {"reason_code": "nope"}, {"agency": "<script>"}, {"body": "x" * 4000},
])
def test_a_preview_with_bad_input_explains_and_never_fails(app, client, officer, fields):
    crime_number = make_report(app)
    for kind in ("allocate", "attendance", "nfi", "refer"):
        response = decide(client, crime_number, kind, {"preview": "yes", **fields})
        assert response.status_code == 200
        assert "%(" not in response.get_data(as_text=True).replace("%(when)s", "")
    assert report_state(app, crime_number).status == CaseStatus.RECEIVED


def test_london_time_is_what_the_victim_reads(app, client, officer):
    """The visit's time in the preview is the London time the officer typed (not UTC)."""
    crime_number = make_report(app)
    preview = victim_message(decide(client, crime_number, "attendance", {"preview": "yes",
                                                                         **visit_fields(days=40, time="09:05")}))
    assert "at 9:05am" in preview
