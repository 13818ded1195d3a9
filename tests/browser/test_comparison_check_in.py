"""A victim chosen for the comparison sample (issue 24) is emailed a neutral invitation, signs in and answers the
first check-in on their case, which says why they are asked (they were not referred); every page passes axe."""

import random

from playwright.sync_api import expect

from portal.auth.models import User
from portal.auth.roles import Role
from portal.extensions import db
from portal.surveys import schedule
from tests.browser.conftest import assert_accessible, first_link, heading, sign_in
from tests.integration.test_surveys import decided
from tests.triage_helpers import make_report


def test_a_victim_in_the_comparison_answers_their_first_check_in(app, page, make_account, read_email,
                                                                  monkeypatch):
    monkeypatch.setitem(app.config, "COMPARISON_SAMPLE_RATE", 1.0)
    victim = make_account(Role.VICTIM)
    with app.app_context():
        owner = db.session.get(User, victim.id)
        db.session.expunge(owner)
    crime_number = make_report(app, owner, contact_email=victim.email)
    decided(app, crime_number)
    with app.app_context():
        counts = schedule.send_due(rng=random.Random(24))
        db.session.remove()
    assert (counts.chosen, counts.check_ins, counts.emails) == (1, 1, 1)

    message = read_email(victim.email)
    body = message.get_body(preferencelist=("plain",)).get_content()
    assert crime_number not in body and crime_number not in message["Subject"]
    assert "/login" in first_link(message)
    sign_in(page, victim.email, victim.password)
    page.goto(f"/cases/{crime_number}")
    page.locator("#check-in-prompt").click()
    expect(heading(page)).to_have_text("How are you getting on?")
    expect(page.locator("main")).to_contain_text("people who were not referred for support")
    assert_accessible(page)
    page.get_by_label("Very well").first.check()
    page.get_by_role("button", name="Send", exact=True).click()
    expect(page.locator("main")).to_contain_text("Thank you. Your answers help us")
    assert_accessible(page)
