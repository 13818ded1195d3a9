"""A group coordinator moves a meeting, and a member reads the notice (issue 23).

The coordinator opens the group's members and waiting list, moves next week's meeting, and sees it listed; the
member is sent a neutral email (no group, no case), signs in and reads the change on their case's support page and
timeline. Every page passes axe."""

from datetime import timedelta

import pyotp
from playwright.sync_api import expect
from sqlalchemy import select

from portal.auth.models import User
from portal.auth.roles import Role
from portal.cases.models import Report
from portal.clock import today_in_london
from portal.extensions import db
from portal.support import places, referrals
from portal.support.models import SupportService
from tests.browser.conftest import assert_accessible, first_link, heading, sign_in
from tests.support_helpers import make_organisation, make_peer_group
from tests.triage_helpers import make_report

SCOPES = ["category_and_dates", "contact_details"]


def _member(app, victim, partner) -> tuple[int, str]:
    """A Tuesday group with one place, the victim its member. Returns the group's id and the crime number."""
    with app.app_context():
        charity = make_organisation("Camden Victim Support")
        group = make_peer_group(charity, "Tuesday evening peer group", capacity=1)
        db.session.get(User, partner.id).organisation_id = charity.id
        db.session.commit()
        group_id = group.id
        owner = db.session.get(User, victim.id)
        db.session.expunge(owner)
    crime_number = make_report(app, user=owner, contact_email=victim.email)
    with app.app_context():
        report = db.session.scalar(select(Report).where(Report.crime_number == crime_number))
        referral = referrals.refer_with_consent(db.session.get(User, victim.id), report,
                                                db.session.get(SupportService, group_id), "peer", SCOPES)
        coordinator = db.session.get(User, partner.id)
        referrals.accept(coordinator, referral, referral.version)
        referrals.close(coordinator, referral, referral.version, places.JOINED)
        db.session.remove()
    return group_id, crime_number


def test_a_coordinator_moves_a_meeting_and_the_member_reads_it(app, new_context, make_account, read_email):
    victim, partner = make_account(Role.VICTIM), make_account(Role.PARTNER)
    group_id, crime_number = _member(app, victim, partner)
    meeting = today_in_london() + timedelta(days=1)
    while meeting.weekday() != 1:  # the group meets on Tuesdays
        meeting += timedelta(days=1)
    moved_to = meeting + timedelta(days=1)

    page = new_context().new_page()
    sign_in(page, partner.email, partner.password)
    page.get_by_label("Security code").fill(pyotp.TOTP(partner.totp_secret).now())
    page.get_by_role("button", name="Continue").click()
    page.goto("/partner/services")
    page.get_by_role("link", name="Members of Tuesday evening peer group").click()
    expect(heading(page)).to_have_text("Tuesday evening peer group")
    expect(page.locator("#group-summary")).to_contain_text("1 of 1 places taken")
    expect(page.locator("#members")).to_contain_text("RF-")
    assert_accessible(page)
    page.get_by_role("link", name="Waiting list").click()
    expect(page.locator("#nobody-waiting")).to_be_visible()
    assert_accessible(page)

    page.get_by_role("link", name="Cancel or move a meeting").click()
    expect(heading(page)).to_have_text("Cancel or move a meeting")
    assert_accessible(page)
    when = page.get_by_role("group", name="Date of the meeting")
    when.get_by_label("Day").fill(str(meeting.day))
    when.get_by_label("Month").fill(str(meeting.month))
    when.get_by_label("Year").fill(str(meeting.year))
    page.get_by_role("radio", name="It is moved").check()
    new = page.get_by_role("group", name="New date (if it is moved)")
    new.get_by_label("Day").fill(str(moved_to.day))
    new.get_by_label("Month").fill(str(moved_to.month))
    new.get_by_label("Year").fill(str(moved_to.year))
    page.get_by_label("New start time (if it is moved; optional)").fill("18:30")
    page.get_by_role("button", name="Tell the members").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("The members have been told")
    expect(page.locator("#meeting-changes")).to_contain_text("moved to")
    assert_accessible(page)

    email = read_email(victim.email)
    body = email.get_body(preferencelist=("plain",)).get_content()
    assert "Tuesday" not in body and "group" not in body.lower() and "Tuesday" not in email["Subject"]

    member = new_context().new_page()
    member.goto(first_link(email))
    if "/login" in member.url:
        sign_in(member, victim.email, victim.password)
    member.goto(f"/cases/{crime_number}/support")
    expect(member.locator("#support-groups")).to_contain_text("You have a place in Tuesday evening peer group")
    expect(member.locator("#support-groups")).to_contain_text("has moved to")
    expect(member.locator("#support-groups")).to_contain_text("at 18:30")
    assert_accessible(member)
    member.goto(f"/cases/{crime_number}/updates")
    expect(member.get_by_text("A meeting of Tuesday evening peer group has moved")).to_be_visible()
    assert_accessible(member)
