"""Issue 23 in a real browser: a victim shares how their case is going with the charity their referral went to, and
writes to the support worker, who sees the unread message in the inbox, reads how the case is going and replies; the
victim reads the reply and stops sharing. axe finds nothing on any page."""

import pyotp
from playwright.sync_api import Page, expect
from sqlalchemy import select

from portal.auth.models import User
from portal.auth.roles import Role
from portal.cases.models import Report
from portal.cases.timeline import add_timeline_event
from portal.extensions import db
from portal.support import referrals
from portal.support.models import SupportService
from tests.browser.conftest import assert_accessible, heading, sign_in
from tests.support_helpers import make_organisation, make_service
from tests.triage_helpers import make_report

CHARITY = "Camden Victim Support"
UPDATE = "We have spoken to a neighbour who saw the van."
QUESTION = "Could we talk on Tuesday evening?"
REPLY = "Yes, I will call you on Tuesday at 7pm."


def test_a_victim_and_a_support_worker_exchange_messages(app, new_context, make_account):
    victim = make_account(Role.VICTIM)
    partner = make_account(Role.PARTNER)
    with app.app_context():
        charity = make_organisation(CHARITY)
        service_id = make_service(charity, "Support after theft").id
        db.session.get(User, partner.id).organisation_id = charity.id
        db.session.commit()
        victim_user = db.session.get(User, victim.id)
        db.session.expunge(victim_user)
    crime_number = make_report(app, user=victim_user, contact_phone="07700 900123")
    with app.app_context():
        report = db.session.scalar(select(Report).where(Report.crime_number == crime_number))
        referral = referrals.refer_with_consent(db.session.get(User, victim.id), report,
                                                db.session.get(SupportService, service_id), "contact",
                                                ["category_and_dates", "contact_details", "progress"])
        reference = referral.reference
        add_timeline_event(report.id, "update", "An update on your case", UPDATE, victim=True)
        db.session.commit()

    victim_page: Page = new_context().new_page()
    sign_in(victim_page, victim.email)
    victim_page.goto(f"/cases/{crime_number}/support")
    assert_accessible(victim_page)
    victim_page.get_by_role("link", name=f"Messages with {CHARITY}").click()
    expect(heading(victim_page)).to_have_text(f"Messages with {CHARITY}")
    assert_accessible(victim_page)
    victim_page.get_by_label("Your message").fill(QUESTION)
    victim_page.get_by_role("button", name="Send message").click()
    expect(victim_page.locator("#message-thread")).to_contain_text(QUESTION)
    assert_accessible(victim_page)

    partner_page: Page = new_context().new_page()
    sign_in(partner_page, partner.email)
    expect(heading(partner_page)).to_have_text("Enter your security code")
    partner_page.get_by_label("Security code").fill(pyotp.TOTP(partner.totp_secret).now())
    partner_page.get_by_role("button", name="Continue").click()
    partner_page.goto("/partner/referrals")
    expect(partner_page.locator(f"#unread-{reference}")).to_have_text("1 new message")
    assert_accessible(partner_page)
    partner_page.get_by_role("link", name=reference).click()
    expect(partner_page.locator("#unread-messages")).to_have_text("1 new message")
    assert_accessible(partner_page)
    partner_page.get_by_role("link", name="How the case is going").click()
    expect(partner_page.locator("#updates")).to_contain_text(UPDATE)
    assert_accessible(partner_page)
    partner_page.go_back()
    partner_page.get_by_role("link", name="Messages with the person referred").click()
    expect(partner_page.locator("#message-thread")).to_contain_text(QUESTION)
    assert_accessible(partner_page)
    partner_page.get_by_label("Your message").fill(REPLY)
    partner_page.get_by_role("button", name="Send message").click()
    expect(partner_page.locator("#message-thread")).to_contain_text(REPLY)
    expect(partner_page.locator("#message-thread")).to_contain_text("Not read yet")
    assert_accessible(partner_page)

    victim_page.goto(f"/cases/{crime_number}/support")
    expect(victim_page.locator("#support-referrals")).to_contain_text("1 new message")
    victim_page.get_by_role("link", name=f"Messages with {CHARITY}").click()
    expect(victim_page.locator("#message-thread")).to_contain_text(REPLY)
    assert_accessible(victim_page)

    # The victim stops sharing how the case is going; the support worker no longer can see it.
    victim_page.goto(f"/support/{crime_number}/consents")
    assert_accessible(victim_page)
    victim_page.get_by_role("button", name="Stop sharing how my case is going").click()
    expect(victim_page.locator("body")).to_contain_text(f"{CHARITY} can no longer see how your case is going.")
    assert_accessible(victim_page)
    partner_page.goto(f"/partner/referrals/{reference}")
    expect(partner_page.get_by_role("link", name="How the case is going")).to_have_count(0)
    assert partner_page.goto(f"/partner/referrals/{reference}/progress").status == 404
