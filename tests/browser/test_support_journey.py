"""Support in a real browser: a victim goes from their case to a place in a peer-support group, choosing what is
shared; the charity accepts and records contact in its portal; the victim sees that they were contacted."""

import pyotp
from playwright.sync_api import Page, expect

from portal.auth.models import User
from portal.auth.roles import Role
from portal.extensions import db
from tests.browser.conftest import assert_accessible, heading, sign_in
from tests.support_helpers import make_organisation, make_peer_group
from tests.triage_helpers import make_report

GROUP = "Camden Tuesday peer group"
CHARITY = "Camden Survivors Network"


def test_victim_joins_a_peer_group_and_the_charity_makes_contact(app, new_context, make_account):
    victim = make_account(Role.VICTIM)
    partner = make_account(Role.PARTNER)
    with app.app_context():
        charity = make_organisation(CHARITY)
        make_peer_group(charity, GROUP, languages=["en"], boroughs=["Camden"])
        db.session.get(User, partner.id).organisation_id = charity.id
        db.session.commit()
        victim_user = db.session.get(User, victim.id)
        db.session.expunge(victim_user)
    crime_number = make_report(app, user=victim_user, contact_phone="07700 900123",
                               description="Someone cut the lock and took my bike.")

    victim_page: Page = new_context().new_page()
    sign_in(victim_page, victim.email)
    victim_page.goto(f"/cases/{crime_number}")
    assert_accessible(victim_page)
    victim_page.locator("#get-support").click()

    expect(heading(victim_page)).to_have_text("How are you?")
    assert_accessible(victim_page)
    victim_page.get_by_role("group", name="How much is what happened affecting your daily life?") \
        .get_by_label("A little").check()
    victim_page.get_by_role("group", name="How much is it affecting how you feel?") \
        .get_by_label("Quite a lot").check()
    victim_page.get_by_role("group", name="Do you feel safe at the moment?").get_by_label("Yes").check()
    victim_page.get_by_role("group", name="Would you like to meet other people who have been through something") \
        .get_by_label("Yes").check()
    victim_page.get_by_label("Which language would you like support in?").select_option("en")
    victim_page.get_by_role("button", name="Continue").click()

    expect(heading(victim_page)).to_have_text("Choose your support")
    assert_accessible(victim_page)
    expect(victim_page.locator("#reasons")).to_contain_text("peer-support group")
    victim_page.get_by_label("Information to help yourself").check()
    victim_page.get_by_label("I would also like to join a peer-support group").check()
    victim_page.get_by_role("button", name="Continue").click()

    assert_accessible(victim_page)
    victim_page.get_by_role("button", name=f"Choose {GROUP}").click()
    expect(heading(victim_page)).to_have_text(f"Agree what to share with {CHARITY}")
    assert_accessible(victim_page)
    victim_page.get_by_label("What kind of crime it was, and when it happened").check()
    victim_page.get_by_label("Your name, how to contact you, and your communication needs").check()
    victim_page.get_by_role("button", name="Agree and send the referral").click()

    expect(heading(victim_page)).to_have_text("Support for you")  # the case's own support page
    expect(victim_page.locator("main .govuk-caption-l")).to_contain_text(crime_number)
    referrals = victim_page.locator("#support-referrals")
    expect(referrals).to_contain_text(CHARITY)
    expect(referrals).to_contain_text("Sent")
    assert_accessible(victim_page)

    partner_page: Page = new_context().new_page()
    sign_in(partner_page, partner.email)
    expect(heading(partner_page)).to_have_text("Enter your security code")
    partner_page.get_by_label("Security code").fill(pyotp.TOTP(partner.totp_secret).now())
    partner_page.get_by_role("button", name="Continue").click()
    partner_page.goto("/partner/referrals")
    expect(heading(partner_page)).to_have_text("Referrals")
    assert_accessible(partner_page)
    partner_page.get_by_role("link", name="RF-").first.click()
    expect(heading(partner_page)).to_contain_text("Referral RF-")
    assert_accessible(partner_page)
    expect(partner_page.locator("#contact-details")).to_contain_text("07700 900123")
    expect(partner_page.locator("body")).not_to_contain_text("Someone cut the lock")
    partner_page.get_by_role("button", name="Accept referral").click()
    expect(partner_page.locator("#referral-status")).to_have_text("Accepted")
    victim_page.reload()
    expect(victim_page.locator("#support-referrals")).to_contain_text("Place confirmed")
    expect(victim_page.locator("#support-referrals")).to_contain_text("The group has a place for you.")
    partner_page.get_by_role("button", name="Record a contact attempt").click()
    assert_accessible(partner_page)
    partner_page.get_by_label("Spoke to the person").check()
    partner_page.get_by_role("button", name="Record contact attempt").click()
    expect(partner_page.locator("#referral-status")).to_have_text("Contacted")
    assert_accessible(partner_page)

    victim_page.reload()
    expect(victim_page.locator("#support-referrals")).to_contain_text("Contacted")
    expect(victim_page.locator("#support-referrals")).to_contain_text("The organisation has been in touch with you.")
    assert_accessible(victim_page)
