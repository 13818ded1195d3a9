"""Contact needs (an interpreter and their language, BSL, large print) from the report to the staff and partner
pages; the Victims' Code page with all 12 rights, property, restorative justice; and the easy-read pages."""

import re

from sqlalchemy import select

from portal.auth.models import User
from portal.auth.roles import Role
from portal.cases.models import Report, TimelineEvent
from portal.extensions import db
from portal.support import referrals
from portal.support.enums import ConsentScope, ServiceKind
from portal.support.models import Referral
from tests.conftest import sign_in_as
from tests.pagecheck import assert_good_page
from tests.support_helpers import make_organisation, make_service
from tests.triage_helpers import make_report
from tests.wizard import BIKE_THEFT, error_messages, steps_with, walk

SAFE_CONTACT = dict(BIKE_THEFT)["safe-contact"]


def report_with_needs(client, **needs) -> None:
    walk(client, steps_with({"safe-contact": {**SAFE_CONTACT, **needs}}), check_pages=False)
    client.post("/report/check-answers", data={"declaration": "y"})


def test_an_interpreter_in_a_chosen_language_is_recorded_with_the_report(app, client):
    page = client.get("/report/safe-contact")  # not started: the wizard sends people to the start
    assert page.status_code == 302
    report_with_needs(client, contact_needs=["interpreter", "large_print"], interpreter_language="Polish")
    with app.app_context():
        report = db.session.scalar(select(Report))
        assert (report.interpreter_language, report.needs_bsl, report.needs_large_print) == ("Polish", False, True)


def test_the_answers_page_lists_the_help_asked_for(client):
    walk(client, steps_with({"safe-contact": {**SAFE_CONTACT, "contact_needs": ["interpreter", "bsl"],
                                              "interpreter_language": "Arabic"}}), check_pages=False)
    html = client.get("/report/check-answers").get_data(as_text=True)
    assert "Help to talk with us" in html
    assert "An interpreter (Arabic); A British Sign Language (BSL) interpreter" in html


def test_an_interpreter_needs_a_language_and_a_language_needs_an_interpreter(client):
    walk(client, BIKE_THEFT[:[slug for slug, _data in BIKE_THEFT].index("contact-needs")], check_pages=False)
    cases = [
        ({"contact_needs": ["interpreter"], "interpreter_language": ""},
         "Choose the language the interpreter should speak"),
        ({"interpreter_language": "Polish"}, "Select ‘An interpreter’ if you need one, or choose no language"),
        ({"contact_needs": ["interpreter"], "interpreter_language": "<script>alert(1)</script>"},
         "Choose a language from the list"),
    ]
    for extra, message in cases:
        response = client.post("/report/contact-needs", data=extra)
        assert response.status_code == 200
        assert_good_page(response)
        assert f"Error: {message}" in error_messages(response)
        assert "<script>alert(1)</script>" not in response.get_data(as_text=True)


def test_needs_can_be_changed_later_and_staff_and_partners_see_them(app, client, make_user):
    victim = make_user(Role.VICTIM)
    crime_number = make_report(app, user=victim)
    sign_in_as(client, victim)
    preferences = client.get(f"/cases/{crime_number}/preferences")
    assert_good_page(preferences)
    form = {"every_days": "14", "channels": ["email"], "voicemail": "no", "neutral_sender": "yes",
            "quiet_from": "", "quiet_until": "", "contact_needs": ["interpreter", "bsl"],
            "interpreter_language": "Somali"}
    bad = client.post(f"/cases/{crime_number}/preferences", data={**form, "interpreter_language": "Klingon"})
    assert "Error: Choose a language from the list" in error_messages(bad)
    assert client.post(f"/cases/{crime_number}/preferences", data=form).status_code == 302

    officer = make_user(Role.OFFICER)
    sign_in_as(client, officer)
    staff_page = client.get(f"/staff/cases/{crime_number}").get_data(as_text=True)
    needs_box = re.search(r'id="communication-needs".*?</div>', staff_page, re.S).group(0)
    assert "Interpreter: Somali" in needs_box and "British Sign Language (BSL) interpreter" in needs_box

    partner = make_user(Role.PARTNER)
    with app.app_context():
        charity = make_organisation("Borough Victim Care")
        db.session.get(User, partner.id).organisation_id = charity.id
        db.session.commit()
        service = make_service(charity, "Talk it through")
        report = db.session.scalar(select(Report).where(Report.crime_number == crime_number))
        referral = referrals.refer_with_consent(db.session.get(User, victim.id), report, service, "contact",
                                                [s.value for s in ConsentScope])
        reference = referral.reference
    sign_in_as(client, partner)
    referral_page = client.get(f"/partner/referrals/{reference}").get_data(as_text=True)
    needs_box = re.search(r'id="communication-needs".*?</div>', referral_page, re.S).group(0)
    assert "Interpreter: Somali" in needs_box


def test_all_twelve_rights_link_to_pages_that_work(app, client, make_user):
    victim = make_user(Role.VICTIM)
    crime_number = make_report(app, user=victim)
    sign_in_as(client, victim)
    case = client.get(f"/cases/{crime_number}").get_data(as_text=True)
    assert f'href="/cases/{crime_number}/your-rights"' in case
    page = client.get(f"/cases/{crime_number}/your-rights")
    assert_good_page(page)
    html = page.get_data(as_text=True)
    assert [int(n) for n in re.findall(r'id="right-(\d+)"', html)] == list(range(1, 13))
    for anchor in ("compensation", "property", "expenses"):
        assert f'id="{anchor}"' in html
    internal = {href.split("#")[0] for href in re.findall(r'<a class="govuk-link" href="(/[^"]*)"', html)}
    assert len(internal) >= 8
    for href in sorted(internal):
        if href.endswith(".pdf"):
            continue
        assert client.get(href).status_code == 200, href
    assert "https://www.gov.uk/claim-compensation-criminal-injury" in html


def test_asking_for_property_back_is_on_the_timeline(app, client, make_user):
    victim = make_user(Role.VICTIM)
    crime_number = make_report(app, user=victim)
    sign_in_as(client, victim)
    assert client.post(f"/cases/{crime_number}/requests/property").status_code == 302
    with app.app_context():
        titles = [e.title for e in db.session.scalars(select(TimelineEvent).where(TimelineEvent.kind ==
                                                                                  "request_property"))]
    assert titles == ["You asked for your property to be returned"]
    assert "You asked for your property to be returned" in client.get(f"/cases/{crime_number}/updates").get_data(
        as_text=True)


def test_restorative_justice_is_a_referral_with_consent(app, client, make_user):
    victim = make_user(Role.VICTIM)
    crime_number = make_report(app, user=victim)
    sign_in_as(client, victim)
    empty = client.get(f"/cases/{crime_number}/restorative-justice")
    assert_good_page(empty)
    assert 'id="no-restorative-service"' in empty.get_data(as_text=True)
    with app.app_context():
        organisation = make_organisation("London Restorative Justice Service")
        service = make_service(organisation, "Restorative justice", kind=ServiceKind.RESTORATIVE_JUSTICE,
                               boroughs=[])
        service.levels = ["restorative"]
        db.session.commit()
        service_id = service.id
    page = client.get(f"/cases/{crime_number}/restorative-justice").get_data(as_text=True)
    refer_url = f"/support/{crime_number}/refer/{service_id}"
    assert f'href="{refer_url}"' in page
    assert client.get(refer_url).status_code == 200
    response = client.post(refer_url, data={"scopes": ["category_and_dates", "contact_details"]})
    assert response.status_code == 302
    with app.app_context():
        referral = db.session.scalar(select(Referral))
        assert (referral.service_id, referral.support_level) == (service_id, "restorative")
        assert referral.consent.scopes == ["category_and_dates", "contact_details"]


def test_the_easy_read_pages_are_linked_from_their_standard_versions(client):
    for page in ("start", "what-happens-next", "rights"):
        response = client.get(f"/easy-read/{page}")
        assert_good_page(response)
    assert client.get("/easy-read/anything-else").status_code == 404
    assert 'href="/easy-read/start"' in client.get("/").get_data(as_text=True)
    walk(client, check_pages=False)
    client.post("/report/check-answers", data={"declaration": "y"})
    confirmation = client.get("/report/confirmation").get_data(as_text=True)
    assert 'href="/easy-read/what-happens-next"' in confirmation and 'href="/easy-read/rights"' in confirmation
