"""The victim's case, page by page (issue 21): the overview puts the status, what happens next, the named contact and
what is waiting for the person first; the rest is on the case's other pages, one sub-navigation away.

Screenshots of every page are saved under test-artifacts/case-pages/ (ignored by git), for people to check the
layout by eye."""

from datetime import timedelta

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import select

from portal.auth.models import User
from portal.auth.roles import Role
from portal.cases.models import Report
from portal.clock import utcnow
from portal.extensions import db
from portal.messages.services import send_staff_message
from portal.tracking import services as tracking
from portal.triage.services import arrange_attendance
from tests.browser.conftest import assert_accessible, heading, sign_in
from tests.paths import ARTIFACTS
from tests.triage_helpers import make_report

OFFICER_NAME = "PC 1234 Alex Morgan"
PHONE = {"width": 375, "height": 667}
DESKTOP = {"width": 1280, "height": 800}
SCREENSHOTS = ARTIFACTS / "case-pages"
# The case's pages, in the order of the sub-navigation: (link text, the page's main heading).
PAGES = [("Overview", "Your case {cn}"), ("Updates", "Updates on your case"), ("Messages", "Messages about your case"),
         ("Support", "Support for you"), ("What you told us", "What you told us"),
         ("Your rights", "Your rights under the Victims’ Code")]


def case_with_a_visit_to_answer(app, victim, officer) -> str:
    """The victim's case: a visit proposed for three days' time, their named officer, a message from the officer
    they have not read, and a call they asked for. Returns the crime number."""
    with app.app_context():
        owner = db.session.get(User, victim.id)
        crime_number = make_report(app, user=owner)
        report = db.session.scalar(select(Report).where(Report.crime_number == crime_number))
        staff = db.session.get(User, officer.id)
        arrange_attendance(staff, report, report.version, utcnow() + timedelta(days=3))
        # The officer who will visit is the victim's contact (allocating would move the case past the visit).
        report.named_officer_id = staff.id
        db.session.commit()
        send_staff_message(staff, report, "I will ring before I come.")
        tracking.ask_for_call(owner, report, "After 6pm, please.")
        db.session.remove()
    return crime_number


def open_case(page: Page, victim, crime_number: str) -> None:
    """Sign in and open the case's overview."""
    sign_in(page, victim.email, victim.password)
    expect(heading(page)).to_have_text("Your account")
    page.goto(f"/cases/{crime_number}")
    expect(heading(page)).to_have_text(f"Your case {crime_number}")


def bottom(page: Page, selector: str) -> float:
    """How far down the page an element ends, in CSS pixels (the page is not scrolled)."""
    box = page.locator(selector).bounding_box()
    assert box is not None, f"{selector} is not shown"
    return box["y"] + box["height"]


def test_on_a_phone_the_status_next_step_contact_and_visit_fit_the_first_screen(app, new_context, make_account):
    """At 375 × 667, without scrolling: the status and what happens next, the named officer, and the first thing
    waiting (the visit we proposed, with its time) all end within the screen."""
    victim = make_account(Role.VICTIM)
    officer = make_account(Role.OFFICER, display_name=OFFICER_NAME)
    crime_number = case_with_a_visit_to_answer(app, victim, officer)
    page = new_context(viewport=PHONE).new_page()
    open_case(page, victim, crime_number)

    expect(page.locator("#case-status")).to_contain_text("Visit arranged")
    expect(page.locator("#case-status")).to_contain_text("What happens next:")
    expect(page.locator("#named-officer")).to_have_text(OFFICER_NAME)
    expect(page.locator("#visit-time")).to_contain_text("We would like to visit you on")
    assert page.evaluate("window.scrollY") == 0
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "phone-overview-first-screen.png"))
    page.screenshot(path=str(SCREENSHOTS / "phone-overview.png"), full_page=True)
    ends = {selector: bottom(page, selector) for selector in ("#case-status", "#named-officer", "#visit-time")}
    assert all(end <= PHONE["height"] for end in ends.values()), f"below the first screen (667 px): {ends}"
    # Everything waiting is in the one place, after the contact: the visit first, then the new message.
    assert ends["#case-status"] < ends["#named-officer"] < ends["#visit-time"] < bottom(page, "#unread-messages")
    expect(page.locator("#unread-messages")).to_have_text("You have 1 new message")
    assert_accessible(page)


@pytest.mark.parametrize("screen", ["phone", "desktop"])
def test_every_page_about_the_case_is_one_link_away_and_passes_axe(app, new_context, make_account, screen):
    """At 375 × 667 and at 1280 × 800: the sub-navigation on the overview and every other page of the case, the
    page you are on marked as current; each page's own content; nothing wider than the screen; axe on each; a
    screenshot of each kept."""
    victim = make_account(Role.VICTIM)
    officer = make_account(Role.OFFICER, display_name=OFFICER_NAME)
    crime_number = case_with_a_visit_to_answer(app, victim, officer)
    viewport = PHONE if screen == "phone" else DESKTOP
    page = new_context(viewport=viewport).new_page()
    open_case(page, victim, crime_number)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)

    nav = page.get_by_role("navigation", name="Pages about your case")
    for index, (link, title) in enumerate(PAGES):
        nav.get_by_role("link", name=link, exact=True).click()
        expect(heading(page)).to_have_text(title.format(cn=crime_number))
        current = nav.locator('[aria-current="page"]')
        expect(current).to_have_count(1)
        expect(current).to_have_text(link)
        expect(nav.get_by_role("listitem")).to_have_count(len(PAGES))
        page.screenshot(path=str(SCREENSHOTS / f"{screen}-{index + 1}-{link.lower().replace(' ', '-')}.png"),
                        full_page=True)
        assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"], f"{link} is too wide"
        assert_accessible(page)
        main = page.locator("main")
        if link == "Overview":
            expect(page.locator("#visit-time")).to_be_visible()
            expect(page.locator("#case-messages")).to_contain_text("1 new message")
            expect(main).not_to_contain_text("What has happened so far")
        elif link == "Updates":
            expect(page.locator("#requests")).to_contain_text("A call")
            expect(page.locator("#timeline")).to_contain_text("We would like to visit you")
        elif link == "Messages":
            expect(page.locator("#message-thread")).to_contain_text("I will ring before I come.")
        elif link == "Support":
            expect(page.locator("#get-support")).to_be_visible()
            expect(page.locator("#support-consents")).to_be_visible()
        elif link == "What you told us":
            expect(page.locator("#your-report")).to_contain_text("My bike was taken.")
            expect(page.get_by_label("Add a photo or PDF")).to_be_visible()
        else:
            expect(page.locator("#rights")).to_be_visible()
            expect(page.locator("#request-statement")).to_be_visible()

    # The call has a page of its own, reached from the overview; what they asked shows on the updates.
    nav.get_by_role("link", name="Overview", exact=True).click()
    page.locator("#talk-to-someone + ul").get_by_role("link", name="Ask for a call").click()
    expect(heading(page)).to_have_text("Ask for a call")
    page.screenshot(path=str(SCREENSHOTS / f"{screen}-7-ask-for-a-call.png"), full_page=True)
    assert_accessible(page)
    page.get_by_role("button", name="Ask for a call").click()
    expect(page.get_by_role("alert")).to_contain_text("We will call you")
    expect(heading(page)).to_have_text("Updates on your case")
    assert_accessible(page)
