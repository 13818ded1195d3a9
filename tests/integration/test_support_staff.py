"""Police staff suggest referrals from the staff case page, with the victim's consent online or verbal."""

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from portal.auth.models import User
from portal.auth.roles import Role
from portal.cases.models import Report, TimelineEvent
from portal.extensions import db
from portal.support import referrals
from portal.support.assessments import choose_level, save_assessment
from portal.support.case_support import STAFF_SCOPE_WORDS
from portal.support.enums import ConsentSource, Delivery, ReferralStatus
from portal.support.models import Consent, Referral
from portal.support.recommendation import Impact, NeedsAnswers
from portal.support.referral_text import SCOPE_WORDS
from tests.conftest import outbox_rows
from tests.pagecheck import assert_good_page, h1_text
from tests.support_helpers import make_organisation, make_peer_group, make_service
from tests.triage_helpers import make_report, report_state
from tests.wizard import error_messages as field_errors

ALL_SCOPES = ["category_and_dates", "contact_details", "description"]


@pytest.fixture
def world(app, make_user):
    """A victim's bicycle theft in Camden, two organisations with a service and a group, and one expired one."""
    victim = make_user(Role.VICTIM, email="victim.person@example.org")
    crime_number = make_report(app, victim)
    with app.app_context():
        camden = make_organisation("Camden Victim Support", email="referrals@camden.example.org")
        service = make_service(camden, "Support after theft", categories=["bicycle_theft"])
        group = make_peer_group(camden, "Tuesday peer group")
        polish = make_service(make_organisation("Polish Community Help", email=None), "Polish support line",
                              languages=["pl", "en"], levels=("contact",), delivery=Delivery.ONLINE, boroughs=[])
        expired = make_organisation("Expired Trust", email=None)
        expired.accreditation_expires_on = expired.assured_date + timedelta(days=10)
        db.session.commit()
        gone = make_service(expired, "Lapsed service")
        ids = {"service": service.id, "group": group.id, "polish": polish.id, "gone": gone.id,
               "camden": camden.id}
    return {"victim": victim, "crime_number": crime_number, **ids}


@pytest.fixture
def officer(signed_in):
    """The client, signed in as an officer."""
    return signed_in(Role.OFFICER, display_name="PC 1234 Alex Morgan")


def errors(response) -> list[str]:
    """The error messages shown on the fields, without the hidden "Error:" prefix."""
    return [message.removeprefix("Error: ") for message in field_errors(response)]


def new_url(world) -> str:
    return f"/staff/cases/{world['crime_number']}/referrals/new"


def verbal(given: datetime | None = None, **overrides) -> dict:
    """Form data for consent the victim gave out loud, by default an hour ago in London."""
    given = (given or datetime.now(UTC) - timedelta(hours=1)).astimezone(ZoneInfo("Europe/London"))
    return {"consent": "verbal", "given_by": "the victim, by phone", "given_at-day": str(given.day),
            "given_at-month": str(given.month), "given_at-year": str(given.year),
            "given_time": given.strftime("%H:%M"), "scopes": ALL_SCOPES, **overrides}


def referrals_of(app, crime_number) -> list[Referral]:
    """Every referral on the case, detached, newest first."""
    report = report_state(app, crime_number)
    with app.app_context():
        rows = referrals.referrals_for_case(report.id)
        for row in rows:
            _ = row.consent, row.organisation, row.service
        db.session.expunge_all()
        return rows


def case_report(world) -> Report:
    """The world's case, in the current app context."""
    return db.session.scalar(select(Report).where(Report.crime_number == world["crime_number"]))


def assess(app, world, **extra):
    """The victim takes the needs assessment and chooses a call from a support worker, and a peer group."""
    with app.app_context():
        victim = db.session.get(User, world["victim"].id)
        report = case_report(world)
        assessment = save_assessment(victim, report, NeedsAnswers(feelings=Impact.QUITE_A_LOT), **extra)
        choose_level(victim, assessment, "contact", True)


def test_the_staff_scope_words_cover_the_same_scopes_as_the_victims():
    """Officers and victims choose from the same parts of the case."""
    assert set(STAFF_SCOPE_WORDS) == set(SCOPE_WORDS)


def test_the_case_page_shows_support_needs_referrals_and_consents(app, client, world, officer):
    """Communication needs stand out; each referral and consent is listed with its status and who gave it."""
    assess(app, world, language="pl", interpreter=True, bsl=True, easy_read=True, step_free=True)
    with app.app_context():
        victim = db.session.get(User, world["victim"].id)
        report = case_report(world)
        service = referrals.service_by_id(world["service"])
        sent = referrals.refer_with_consent(victim, report, service, "contact", ["category_and_dates"])
        reference = sent.reference
        group = referrals.service_by_id(world["group"])
        proposed = referrals.propose_referral(db.session.get(User, officer.id), report, group, "peer")
        proposed_id, proposed_reference = proposed.id, proposed.reference
    page = client.get(f"/staff/cases/{world['crime_number']}")
    assert_good_page(page)
    html = page.get_data(as_text=True)
    needs = html[html.index('id="communication-needs"'):]
    needs = needs[:needs.index("</div>")]
    assert "Needs an interpreter (Polish)" in needs and "British Sign Language" in needs and "Easy read" in needs
    assert "Needs step-free access (no stairs or steps)" in needs and "only take part online" not in needs
    section = html[html.index('id="support"'):html.index(">Property<")]
    assert "A call from a support worker" in section and "and a peer-support group" in section
    assert reference in section and proposed_reference in section
    assert "Camden Victim Support" in section and "Support after theft" in section
    assert "Sent" in section and "Waiting for the victim’s consent" in section
    assert "First contact due" in section
    assert f"/staff/cases/{world['crime_number']}/referrals/{proposed_id}/consent" in section
    assert "What kind of crime it was, and when it happened" in section and "Online, in the portal" in section
    assert "the victim, online" in section
    assert f'href="/staff/cases/{world["crime_number"]}/referrals/new"' in section


def test_a_case_without_support_says_so(app, client, world, officer):
    """No assessment, no referrals: the section says so and still offers the button."""
    html = client.get(f"/staff/cases/{world['crime_number']}").get_data(as_text=True)
    assert "The victim has not taken the needs assessment" in html
    assert "No referrals yet." in html and "No consents given yet." in html
    assert 'id="communication-needs"' not in html
    assert "Suggest a referral" in html


def test_the_suggest_page_lists_the_best_fits_with_reasons_and_every_listed_service(app, client, world, officer):
    """Suggestions come with their reasons; the full list holds every listed service and no unlisted one. A
    suggestion is never a service the victim cannot use: asked for Polish, the English-only ones are left out."""
    assess(app, world)
    page = client.get(new_url(world))
    assert_good_page(page)
    assert h1_text(page) == "Suggest a referral"
    html = page.get_data(as_text=True)
    radios = html[html.index('name="service"'):html.index('name="other_service"')]
    assert "Support after theft (Camden Victim Support)" in radios
    assert "It specialises in helping people after this kind of crime." in radios
    assert "Polish support line (Polish Community Help)" in radios  # it works in English too
    assert "Tuesday peer group (Camden Victim Support)" in radios  # the victim wants a peer group
    assess(app, world, language="pl")
    polish = client.get(new_url(world)).get_data(as_text=True)
    polish_radios = polish[polish.index('name="service"'):polish.index('name="other_service"')]
    assert "Polish support line (Polish Community Help)" in polish_radios and "It is available in Polish." in polish
    assert "Support after theft (Camden Victim Support)" not in polish_radios
    assert "Tuesday peer group (Camden Victim Support)" not in polish_radios
    listed = html[html.index('name="other_service"'):]
    listed = listed[:listed.index("</select>")]
    for name in ("Support after theft", "Polish support line", "Tuesday peer group"):
        assert name in listed
    assert "Lapsed service" not in html
    assert 'value="contact" checked' in html  # the level the victim chose


def test_asking_the_victim_to_agree_in_the_portal_proposes_and_shares_nothing(app, client, world, officer):
    """The referral waits for consent, the victim is told on their case page, the organisation is not emailed."""
    response = client.post(new_url(world), data={"service": str(world["service"]), "level": "contact",
                                                  "consent": "online"})
    assert response.status_code == 302
    assert response.headers["Location"] == f"/staff/cases/{world['crime_number']}"
    [referral] = referrals_of(app, world["crime_number"])
    assert referral.status == ReferralStatus.PROPOSED and referral.consent is None
    assert referral.suggested_by_id == officer.id
    assert not [m for m in outbox_rows(app) if m.recipient == "referrals@camden.example.org"]
    with app.app_context():
        titles = [e.shown_title for e in db.session.scalars(select(TimelineEvent).where(
            TimelineEvent.visible_to_victim))]
    assert "We suggest support from Camden Victim Support" in titles
    page = client.get(response.headers["Location"])
    assert f"Referral {referral.reference} suggested" in page.get_data(as_text=True)


def test_verbal_consent_sends_the_referral_with_who_when_and_scope(app, client, world, officer):
    """The time is read as London time and stored in UTC; the referral is sent to the organisation at once."""
    given = datetime(2025, 7, 1, 9, 0, tzinfo=UTC)  # 10:00 in London (summer time)
    data = verbal(given, given_by="Her father, Tom Smith", scopes=["category_and_dates", "contact_details"])
    assert data["given_time"] == "10:00"
    response = client.post(new_url(world), data={"service": str(world["service"]), "level": "specialist", **data})
    assert response.status_code == 302, errors(response)
    [referral] = referrals_of(app, world["crime_number"])
    assert referral.status == ReferralStatus.SENT and referral.support_level == "specialist"
    consent = referral.consent
    assert consent.source == ConsentSource.VERBAL and consent.given_by == "Her father, Tom Smith"
    assert consent.given_at == given and consent.recorded_by_id == officer.id
    assert consent.scopes == ["category_and_dates", "contact_details"]
    [email] = [m for m in outbox_rows(app) if m.recipient == "referrals@camden.example.org"]
    assert world["crime_number"] not in email.body_text
    html = client.get(response.headers["Location"]).get_data(as_text=True)
    assert f"Referral {referral.reference} sent to Camden Victim Support" in html
    assert "Verbally, recorded by an officer" in html and "Her father, Tom Smith" in html


def test_any_listed_service_can_be_chosen_from_the_full_list(app, client, world, officer):
    """'Another service' with a service from the select is used; without one it is an error on the select."""
    missing = client.post(new_url(world), data={"service": "other", "level": "contact", "consent": "online"})
    assert missing.status_code == 200 and errors(missing) == ["Select a service"]
    assert 'href="#other_service"' in missing.get_data(as_text=True)
    response = client.post(new_url(world), data={"service": "other", "other_service": str(world["polish"]),
                                                 "level": "contact", "consent": "online"})
    assert response.status_code == 302
    [referral] = referrals_of(app, world["crime_number"])
    assert referral.service_id == world["polish"]


@pytest.mark.parametrize(("service", "level", "message"), [
    ("group", "contact", "A peer-support group can only take a referral for peer support"),
    ("service", "peer", "Peer support is only offered by peer-support groups"),
    ("polish", "specialist", "This service does not offer ‘Ongoing support from a specialist or advocate’"),
])
def test_a_level_that_does_not_fit_the_service_is_an_error_on_the_level(app, client, world, officer, service, level,
                                                                        message):
    """Peer support only for peer groups, and only the levels a service offers."""
    response = client.post(new_url(world), data={"service": str(world[service]), "level": level, "consent": "online"})
    assert response.status_code == 200
    assert_good_page(response)
    [error] = errors(response)
    assert error.startswith(message)
    assert 'href="#level"' in response.get_data(as_text=True)
    assert referrals_of(app, world["crime_number"]) == []


def test_every_problem_shows_at_once(app, client, world, officer):
    """A level that does not fit the service is reported with the missing consent details, in page order."""
    response = client.post(new_url(world), data={"service": str(world["service"]), "level": "peer",
                                                 **verbal(given_by="", given_time="")})
    assert [e.split(".")[0] for e in errors(response)] == [
        "Peer support is only offered by peer-support groups", "Enter who gave consent",
        "Enter the time consent was given"]
    summary = response.get_data(as_text=True).split("govuk-error-summary__list")[1].split("</ul>")[0]
    assert summary.index("#level") < summary.index("#given_by") < summary.index("#given_time")


@pytest.mark.parametrize(("overrides", "message"), [
    ({"given_by": ""}, "Enter who gave consent"),
    ({"given_by": "x" * 201}, "Who gave consent must be 200 characters or fewer"),
    ({"given_at-day": "", "given_at-month": "", "given_at-year": ""}, "Enter the date consent was given"),
    ({"given_at-day": "31", "given_at-month": "2"}, "The date consent was given must be a real date"),
    ({"given_time": ""}, "Enter the time consent was given"),
    ({"given_time": "25:99"}, "Enter the time in the 24-hour clock, like 14:30"),
    ({"scopes": ["contact_details"]}, "Select ‘what kind of crime it was, and when’"),
    ({"scopes": ["everything"]}, "Select what you agree to share"),
])
def test_verbal_consent_must_say_who_when_and_what(app, client, world, officer, overrides, message):
    """Each missing or wrong part is an error on its field, and nothing is written."""
    response = client.post(new_url(world), data={"service": str(world["service"]), "level": "contact",
                                                 **verbal(**overrides)})
    assert response.status_code == 200
    assert_good_page(response)
    assert response.get_data(as_text=True).count("govuk-error-summary__list") == 1
    assert any(e.startswith(message) for e in errors(response)), errors(response)
    assert referrals_of(app, world["crime_number"]) == []


def test_consent_given_in_the_future_is_refused(app, client, world, officer, monkeypatch):
    """A time later today is caught by the referral service and shown on the date; a later date by the form."""
    real_now = datetime.now(UTC)
    # The service's clock runs two hours behind, so consent "an hour ago" is in its future, whatever the time of day.
    monkeypatch.setattr("portal.support.referrals.utcnow", lambda: real_now - timedelta(hours=2))
    response = client.post(new_url(world), data={"service": str(world["service"]), "level": "contact",
                                                 **verbal(real_now - timedelta(minutes=59))})
    assert response.status_code == 200
    assert "The time consent was given must be in the past" in errors(response)
    assert 'href="#given_at-day"' in response.get_data(as_text=True)
    tomorrow = verbal(real_now + timedelta(days=2))
    response = client.post(new_url(world), data={"service": str(world["service"]), "level": "contact", **tomorrow})
    assert "The date consent was given must be today or in the past" in errors(response)
    assert referrals_of(app, world["crime_number"]) == []


def test_verbal_fields_are_ignored_when_the_victim_will_agree_online(app, client, world, officer):
    """Half-filled verbal answers do not block a suggestion the victim will answer in the portal."""
    response = client.post(new_url(world), data={"service": str(world["service"]), "level": "contact",
                                                 **verbal(given_by="", given_time="nonsense"), "consent": "online"})
    assert response.status_code == 302
    [referral] = referrals_of(app, world["crime_number"])
    assert referral.status == ReferralStatus.PROPOSED


def test_the_referral_services_refusals_show_on_the_page(app, client, world, officer):
    """A second open referral to the same service is no longer suggested, and is refused on the service field."""
    data = {"service": str(world["service"]), "level": "contact", "consent": "online"}
    assert "Support after theft (Camden" in client.get(new_url(world)).get_data(as_text=True).split(
        'name="other_service"')[0]
    assert client.post(new_url(world), data=data).status_code == 302
    suggested = client.get(new_url(world)).get_data(as_text=True).split('name="other_service"')[0]
    assert "Support after theft (Camden" not in suggested and "Polish support line" in suggested
    again = client.post(new_url(world), data=data)
    assert again.status_code == 200
    assert errors(again) == ["There is already an open referral to this service"]
    assert 'href="#service"' in again.get_data(as_text=True)


@pytest.mark.parametrize("data", [
    {},
    {"service": "abc", "level": "contact", "consent": "online"},
    {"service": "99999999999999999999", "level": "contact", "consent": "online"},
    {"service": "other", "other_service": "-1", "level": "contact", "consent": "online"},
    {"service": "1", "level": "everything", "consent": "by pigeon"},
    {"service": "1", "level": "contact", "consent": "verbal", "given_at-day": "1"},
    {"service": "1\x00", "level": "contact\x00", "consent": "verbal", "given_by": "<script>x</script>" * 40,
     "given_time": "9" * 500, "scopes": ["category_and_dates"] * 50},
])
def test_hostile_or_incomplete_posts_get_errors_not_crashes(app, client, world, officer, data):
    """Whatever is posted, the officer gets the form back with errors, and nothing is written."""
    response = client.post(new_url(world), data=data)
    assert response.status_code == 200
    assert_good_page(response)
    assert errors(response)
    assert "<script>x</script>" not in response.get_data(as_text=True)
    assert referrals_of(app, world["crime_number"]) == []


def test_an_unlisted_service_cannot_be_chosen(app, client, world, officer):
    """A service of an organisation whose accreditation has expired is not in the list and is refused."""
    response = client.post(new_url(world), data={"service": str(world["gone"]), "level": "contact",
                                                 "consent": "online"})
    assert errors(response) == ["Select a service from the list"]


def test_recording_verbal_consent_on_a_suggested_referral_sends_it(app, client, world, officer):
    """The proposal becomes a sent referral with a verbal consent; it cannot be consented to twice."""
    client.post(new_url(world), data={"service": str(world["service"]), "level": "contact", "consent": "online"})
    [referral] = referrals_of(app, world["crime_number"])
    url = f"/staff/cases/{world['crime_number']}/referrals/{referral.id}/consent"
    page = client.get(url)
    assert_good_page(page)
    assert h1_text(page) == "Record the victim’s consent" and referral.reference in page.get_data(as_text=True)
    blank = client.post(url, data={})
    assert blank.status_code == 200
    assert set(errors(blank)) >= {"Enter who gave consent", "Enter the date consent was given",
                                          "Enter the time consent was given"}
    response = client.post(url, data={k: v for k, v in verbal().items() if k != "consent"})
    assert response.status_code == 302
    assert response.headers["Location"] == f"/staff/cases/{world['crime_number']}"
    [sent] = referrals_of(app, world["crime_number"])
    assert sent.status == ReferralStatus.SENT and sent.consent.source == ConsentSource.VERBAL
    assert sent.first_contact_due_at is not None
    again = client.post(url, data={k: v for k, v in verbal().items() if k != "consent"})
    assert again.status_code == 302
    assert "no longer waiting for consent" in client.get(again.headers["Location"]).get_data(as_text=True)
    with app.app_context():
        assert len(db.session.scalars(select(Consent)).all()) == 1


def test_a_referral_of_another_case_is_not_found(app, client, world, officer, make_user):
    """The referral id must belong to the case in the address."""
    client.post(new_url(world), data={"service": str(world["service"]), "level": "contact", "consent": "online"})
    [referral] = referrals_of(app, world["crime_number"])
    other = make_report(app, make_user(Role.VICTIM))
    assert client.get(f"/staff/cases/{other}/referrals/{referral.id}/consent").status_code == 404
    assert client.post(f"/staff/cases/{other}/referrals/{referral.id}/consent", data=verbal()).status_code == 404
    assert client.get(f"/staff/cases/{world['crime_number']}/referrals/999999/consent").status_code == 404


@pytest.mark.parametrize(("role", "status"), [(Role.VICTIM, 403), (Role.WITNESS, 403), (Role.PARTNER, 403),
                                              (Role.ADMIN, 403), (Role.SUPERVISOR, 200)])
def test_only_police_staff_suggest_referrals(app, client, world, signed_in, role, status):
    """Officers and supervisors only; even the victim uses their own pages instead."""
    signed_in(role)
    assert client.get(new_url(world)).status_code == status


def test_signed_out_people_are_sent_to_sign_in_and_unknown_cases_are_not_found(app, client, world, signed_in):
    """No page for anyone signed out; a crime number that does not exist is a 404."""
    response = client.get(new_url(world))
    assert response.status_code == 302 and response.headers["Location"].startswith("/login")
    signed_in(Role.OFFICER)
    assert client.get("/staff/cases/CR-26-0000000-A/referrals/new").status_code == 404


def test_the_support_section_costs_the_same_statements_however_many_referrals(app, client, world, officer):
    """Referrals, their services, organisations and consents are loaded together, not one by one."""
    from tests.sql_counting import counting_statements

    url = f"/staff/cases/{world['crime_number']}"
    client.get(url)
    with counting_statements(app) as before:
        client.get(url)
    assess(app, world, language="ar", interpreter=True)
    with app.app_context():
        victim = db.session.get(User, world["victim"].id)
        report = case_report(world)
        for key, level in (("service", "contact"), ("group", "peer"), ("polish", "contact")):
            referrals.refer_with_consent(victim, report, referrals.service_by_id(world[key]), level, ALL_SCOPES)
    client.get(url)
    with counting_statements(app) as after:
        page = client.get(url)
    assert page.get_data(as_text=True).count("Online, in the portal") == 3
    assert len(after) == len(before)
