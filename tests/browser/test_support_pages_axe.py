"""axe (WCAG 2.2 A and AA) on every support, partner and organisation page, filled with real data and with
errors showing."""

import pyotp
from playwright.sync_api import Page, expect

from portal.auth.models import User
from portal.auth.roles import Role
from portal.clock import utcnow
from portal.extensions import db
from portal.support import referrals
from portal.support.models import Referral, SupportService
from portal.surveys.schedule import send_due
from tests.browser.conftest import assert_accessible, heading, sign_in
from tests.support_helpers import make_organisation, make_peer_group, make_service
from tests.triage_helpers import make_report


def _visit(page: Page, path: str, title: str) -> None:
    response = page.goto(path)
    assert response is not None and response.status == 200, f"{path}: {response and response.status}"
    expect(heading(page)).to_have_text(title)
    assert_accessible(page)


def _staff_sign_in(page: Page, account) -> None:
    sign_in(page, account.email, account.password)
    expect(heading(page)).to_have_text("Enter your security code")
    page.get_by_label("Security code").fill(pyotp.TOTP(account.totp_secret).now())
    page.get_by_role("button", name="Continue").click()
    expect(heading(page)).to_have_text("Your account")


def _world(app, victim, partner, officer):
    """A charity with a service, a full group and a listed group; a referral and an officer's suggestion."""
    with app.app_context():
        charity = make_organisation("Islington Support Line")
        service = make_service(charity, "Talk it through", languages=["en", "pl"], boroughs=["Camden"])
        make_peer_group(charity, "Full Thursday group", capacity=0, schedule_byday="TH")
        group = make_peer_group(charity, "Online evening group", delivery="online", boroughs=[],
                                schedule_freq="MONTHLY", schedule_byday="2WE")
        db.session.get(User, partner.id).organisation_id = charity.id
        db.session.commit()
        ids = {"charity": charity.id, "service": service.id, "group": group.id}
        victim_user = db.session.get(User, victim.id)
        db.session.expunge(victim_user)
    crime_number = make_report(app, user=victim_user)
    with app.app_context():
        from portal.cases.models import Report

        report = db.session.query(Report).filter_by(crime_number=crime_number).one()
        owner = db.session.get(User, victim.id)
        sent = referrals.refer_with_consent(owner, report, db.session.get(SupportService, ids["service"]),
                                            "contact", ["category_and_dates", "contact_details", "description"])
        suggested = referrals.propose_referral(db.session.get(User, officer.id), report,
                                               db.session.get(SupportService, ids["group"]), "peer")
        ids.update(referral=sent.reference, consent=sent.consent_id, suggestion=suggested.id)
        report.triaged_at = utcnow()  # a decision was made: the after-decision survey falls due
        db.session.commit()
        send_due()  # that survey, and the first cope-and-recover check-in for the referral just sent
        assert db.session.get(Referral, suggested.id).status.value == "proposed"
    return crime_number, ids


def test_support_partner_and_admin_pages_pass_axe(app, new_context, make_account):
    victim, partner = make_account(Role.VICTIM), make_account(Role.PARTNER)
    officer, admin = make_account(Role.OFFICER), make_account(Role.ADMIN)
    crime_number, ids = _world(app, victim, partner, officer)

    public = new_context().new_page()
    _visit(public, "/support/directory", "Find support services and groups")
    _visit(public, "/support/directory?borough=Camden&day=TH&kind=peer_group", "Find support services and groups")
    expect(public.locator("main")).to_contain_text("Full")
    _visit(public, "/support/directory?age=old&language=zz", "Find support services and groups")
    expect(public.locator(".govuk-error-summary")).to_be_visible()
    _visit(public, f"/support/directory/{ids['service']}", "Talk it through")
    _visit(public, "/support/guides", "Guides: what to do after a crime")
    _visit(public, "/support/guides/bicycle_theft", "Bicycle theft: what to do next")

    victim_page = new_context().new_page()
    sign_in(victim_page, victim.email)
    _visit(victim_page, "/support/", "Get support")
    _visit(victim_page, f"/support/{crime_number}/assessment", "How are you?")
    victim_page.get_by_role("button", name="Continue").click()
    expect(victim_page.locator(".govuk-error-summary")).to_be_visible()
    assert_accessible(victim_page)
    _visit(victim_page, f"/support/{crime_number}/consents", "What you have agreed to share")
    _visit(victim_page, f"/support/{crime_number}/consents/{ids['consent']}/withdraw",
           "Withdraw your consent for Islington Support Line?")
    _visit(victim_page, f"/support/{crime_number}/suggestions/{ids['suggestion']}",
           "We suggest support from Islington Support Line")
    _visit(victim_page, f"/support/{crime_number}/refer/{ids['group']}",
           "Agree what to share with Islington Support Line")
    _visit(victim_page, f"/cases/{crime_number}/check-ins/0", "How are you getting on?")
    _visit(victim_page, f"/cases/{crime_number}/surveys/after_decision", "Tell us what you think")
    _visit(victim_page, "/equality/", "Equality questions")

    partner_page = new_context().new_page()
    _staff_sign_in(partner_page, partner)
    _visit(partner_page, "/partner/referrals", "Referrals")
    _visit(partner_page, f"/partner/referrals/{ids['referral']}", f"Referral {ids['referral']}")
    _visit(partner_page, f"/partner/referrals/{ids['referral']}/decline", "Decline this referral")
    partner_page.get_by_role("button", name="Decline referral").click()
    expect(partner_page.locator(".govuk-error-summary")).to_be_visible()
    assert_accessible(partner_page)
    _visit(partner_page, "/partner/services", "Services and groups")
    _visit(partner_page, "/partner/services/new", "Add a service or group")
    partner_page.get_by_role("button", name="Save").click()
    expect(partner_page.locator(".govuk-error-summary")).to_be_visible()
    assert_accessible(partner_page)
    _visit(partner_page, f"/partner/services/{ids['group']}/edit", "Change Online evening group")

    officer_page = new_context().new_page()
    _staff_sign_in(officer_page, officer)
    _visit(officer_page, f"/staff/cases/{crime_number}/referrals/new", "Suggest a referral")
    _visit(officer_page, f"/staff/cases/{crime_number}/referrals/{ids['suggestion']}/consent",
           "Record the victim’s consent")

    admin_page = new_context().new_page()
    _staff_sign_in(admin_page, admin)
    _visit(admin_page, "/admin/organisations", "Support organisations")
    _visit(admin_page, "/admin/organisations/new", "Add an organisation")
    _visit(admin_page, f"/admin/organisations/{ids['charity']}/edit", "Change Islington Support Line")
    _visit(admin_page, "/admin/partners", "Partner accounts")
    _visit(admin_page, "/admin/partners/new", "Create a partner account")
