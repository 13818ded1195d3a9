"""A witness referred for support of their own (issue 24) is emailed a neutral invitation, signs in and answers
their first check-in on their own view of the case, on a phone and on a desktop; every page passes axe."""

import pytest
from playwright.sync_api import expect

from portal.auth.models import User
from portal.auth.roles import Role
from portal.cases.models import Report, WitnessLink
from portal.extensions import db
from portal.support import assessments, referrals
from portal.support.recommendation import Impact, NeedsAnswers
from portal.surveys import schedule
from portal.tracking import witnesses
from tests.browser.conftest import assert_accessible, first_link, heading, sign_in
from tests.browser.screens import SCREENS
from tests.support_helpers import make_organisation, make_service
from tests.triage_helpers import make_report


def witness_referred(app, victim, witness, officer) -> str:
    """The victim's case, which the witness joined; the witness's own assessment and referral with consent."""
    with app.app_context():
        owner = db.session.get(User, victim.id)
        db.session.expunge(owner)
    crime_number = make_report(app, owner, contact_email=victim.email)
    with app.app_context():
        report = db.session.query(Report).filter_by(crime_number=crime_number).one()
        code = witnesses.invite_witness(db.session.get(User, officer.id), report, witness.email)
        person = db.session.get(User, witness.id)
        witnesses.join_case(person, code, crime_number)
        link = db.session.query(WitnessLink).filter_by(report_id=report.id, witness_user_id=person.id).one()
        service = make_service(make_organisation("Witness Help Camden"), "Support for witnesses")
        own = assessments.save_assessment(person, report, NeedsAnswers(daily_life=Impact.A_LITTLE), witness_link=link)
        assessments.choose_level(person, own, "contact", peer=False)
        referrals.refer_with_consent(person, report, service, "contact", ["category_and_dates"], link)
        db.session.remove()
    return crime_number


@pytest.mark.parametrize("screen", ["phone", "desktop"])
def test_a_witness_answers_their_own_check_in(app, new_context, make_account, read_email, screen):
    victim, witness = make_account(Role.VICTIM), make_account(Role.WITNESS)
    crime_number = witness_referred(app, victim, witness, make_account(Role.OFFICER))
    with app.app_context():
        counts = schedule.send_due()
        db.session.remove()
    assert counts.check_ins == 1

    message = read_email(witness.email)
    body = message.get_body(preferencelist=("plain",)).get_content()
    assert crime_number not in body and crime_number not in message["Subject"]
    assert "/login" in first_link(message)
    page = new_context(**SCREENS[screen]).new_page()
    sign_in(page, witness.email, witness.password)
    page.goto(f"/cases/{crime_number}")
    expect(page.locator("main")).to_contain_text("You are a witness")
    assert_accessible(page)
    page.locator("#check-in-prompt").click()
    expect(heading(page)).to_have_text("How are you getting on?")
    expect(page.locator("main")).to_contain_text("You were referred for support")
    assert page.evaluate("document.documentElement.scrollWidth") <= SCREENS[screen]["viewport"]["width"]
    assert_accessible(page)
    page.get_by_role("button", name="Send", exact=True).click()  # nothing chosen: explained on the page
    expect(page.locator(".govuk-error-summary")).to_contain_text("Answer at least one question")
    assert_accessible(page)
    page.get_by_label("Well", exact=True).first.check()
    page.get_by_role("button", name="Send", exact=True).click()
    expect(page.locator("main")).to_contain_text("Thank you. Your answers help us")
    expect(page.locator("#check-in-prompt")).to_have_count(0)
    assert_accessible(page)
