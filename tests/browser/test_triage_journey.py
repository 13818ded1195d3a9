"""Police triage in a real browser: TOTP sign-in, triage the oldest report, allocate, update; the victim sees it."""

import re
from datetime import timedelta
from zoneinfo import ZoneInfo

import pyotp
from playwright.sync_api import Page, expect

from portal.auth.models import User
from portal.auth.roles import Role
from portal.cases.models import Report
from portal.clock import utcnow
from portal.extensions import db
from tests.browser.conftest import assert_accessible, heading, sign_in
from tests.triage_helpers import make_report


def staff_sign_in(page: Page, account) -> None:
    """Password, then the TOTP code."""
    sign_in(page, account.email, account.password)
    expect(heading(page)).to_have_text("Enter your security code")
    assert_accessible(page)
    page.get_by_label("Security code").fill(pyotp.TOTP(account.totp_secret).now())
    page.get_by_role("button", name="Continue").click()


def test_an_officer_triages_allocates_and_updates_and_the_victim_sees_it(app, new_context, make_account):
    """From the queue to an arrest, with axe on every staff page, then the victim reads the update."""
    victim = make_account(Role.VICTIM)
    officer = make_account(Role.OFFICER, display_name="PC 1234 Alex Morgan")
    with app.app_context():
        owner = db.session.get(User, victim.id)
        newer = make_report(app)
        oldest = make_report(app, user=owner)
        record = db.session.scalar(db.select(Report).where(Report.crime_number == oldest))
        record.triage_due_at = utcnow() - timedelta(minutes=1)
        db.session.commit()

    page = new_context().new_page()
    staff_sign_in(page, officer)
    page.goto("/staff/triage")
    expect(heading(page)).to_have_text("Triage queue")
    assert_accessible(page)
    rows = page.locator("#triage-queue tbody tr")
    expect(rows.first).to_contain_text(oldest)
    expect(rows.first).to_contain_text("Overdue")
    expect(rows.nth(1)).to_contain_text(newer)

    rows.first.get_by_role("link", name=oldest).click()
    expect(heading(page)).to_have_text(f"Case {oldest}")
    assert_accessible(page)
    page.get_by_role("button", name="Claim this report").click()
    expect(page.get_by_role("alert")).to_contain_text(f"You have claimed {oldest}")

    page.get_by_role("button", name="Record a triage decision").click()
    assert_accessible(page)
    page.get_by_label("Allocate for investigation to a named officer").check()
    page.get_by_role("button", name="Continue").click()
    assert_accessible(page)
    page.get_by_label("Officer").select_option(label="PC 1234 Alex Morgan")
    page.get_by_role("button", name="Record decision").click()
    expect(page.locator("#case-status")).to_have_text("Under investigation")

    page.get_by_role("button", name="Post an update").click()
    assert_accessible(page)
    page.get_by_label("Someone has been arrested").check()
    earlier = (utcnow() - timedelta(hours=2)).astimezone(ZoneInfo("Europe/London"))
    page.locator("#happened_date-day").fill(str(earlier.day))
    page.locator("#happened_date-month").fill(str(earlier.month))
    page.locator("#happened_date-year").fill(str(earlier.year))
    page.get_by_label("Time it happened").fill(earlier.strftime("%H:%M"))
    page.get_by_label("Your words for the victim (optional for a key event)").fill("He was arrested near the station.")
    page.get_by_role("button", name="Post update").click()
    expect(page.locator("#case-status")).to_have_text("Suspect arrested")
    expect(page.locator("#deadlines")).to_contain_text("Tell the victim: Someone has been arrested")
    assert_accessible(page)

    victim_page = new_context().new_page()
    sign_in(victim_page, victim.email, victim.password)
    victim_page.goto(f"/cases/{oldest}")
    expect(heading(victim_page)).to_have_text(f"Your case {oldest}")
    expect(victim_page.locator("#case-status")).to_contain_text("Suspect arrested")
    expect(victim_page.locator("#named-officer")).to_have_text("PC 1234 Alex Morgan")
    assert_accessible(victim_page)
    victim_page.get_by_role("navigation", name="Pages about your case").get_by_role("link", name="Updates").click()
    expect(heading(victim_page)).to_have_text("Updates on your case")
    expect(victim_page.locator("#timeline")).to_contain_text("Someone has been arrested")
    expect(victim_page.locator("#timeline")).to_contain_text("He was arrested near the station.")
    expect(victim_page.locator("#timeline")).not_to_contain_text("claimed")
    assert_accessible(victim_page)
    assert re.fullmatch(r"CR-\d{2}-\d{7}-[A-Z]", oldest)
