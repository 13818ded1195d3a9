"""A request seen through in a real browser: a victim asks for a call, an officer takes and finishes the task from
the queue, and the victim reads the outcome on their case. axe checks every page on the way."""

import pyotp
from flask import Flask
from playwright.sync_api import Page, expect
from sqlalchemy import select

from portal.auth.models import User
from portal.auth.roles import Role
from portal.cases.models import Report
from portal.extensions import db
from portal.i18n import uk_date
from portal.tasks.enums import TaskType
from portal.tasks.models import Task
from tests.browser.conftest import assert_accessible, heading, sign_in
from tests.triage_helpers import make_report

OFFICER_NAME = "PC 1234 Alex Morgan"
THEIR_WORDS = "Please call after 5pm, on my mobile."
OUTCOME = "I called you and we agreed a visit on Friday."


def staff_sign_in(page: Page, account) -> None:
    """Password, then the TOTP code."""
    sign_in(page, account.email, account.password)
    expect(heading(page)).to_have_text("Enter your security code")
    page.get_by_label("Security code").fill(pyotp.TOTP(account.totp_secret).now())
    page.get_by_role("button", name="Continue").click()
    expect(heading(page)).to_have_text("Your account")


def promised_dates(app: Flask, crime_number: str) -> tuple[str, str]:
    """The day the call was asked for and the day it is due, as the victim's page writes them."""
    with app.test_request_context():
        task = db.session.scalar(select(Task).join(Report, Report.id == Task.report_id).where(
            Report.crime_number == crime_number, Task.type == TaskType.CALL_BACK))
        dates = uk_date(task.raised_at), uk_date(task.due_at)
        db.session.remove()
    return dates


def test_a_victim_asks_for_a_call_an_officer_finishes_it_and_the_victim_reads_the_outcome(
        app, new_context, make_account):
    """Asked on the case page, found in the queue, taken and finished with words for the victim, read by them."""
    victim = make_account(Role.VICTIM)
    officer = make_account(Role.OFFICER, display_name=OFFICER_NAME)
    with app.app_context():
        crime_number = make_report(app, user=db.session.get(User, victim.id))
        db.session.remove()

    # The victim asks for a call from their case page; what they asked is on the case's updates.
    page = new_context().new_page()
    sign_in(page, victim.email, victim.password)
    expect(heading(page)).to_have_text("Your account")
    page.goto(f"/cases/{crime_number}/updates")
    expect(heading(page)).to_have_text("Updates on your case")
    expect(page.get_by_role("heading", name="What you asked us")).to_have_count(0)
    page.goto(f"/cases/{crime_number}")
    expect(heading(page)).to_have_text(f"Your case {crime_number}")
    assert_accessible(page)
    page.get_by_role("link", name="Ask for a call").click()
    expect(heading(page)).to_have_text("Ask for a call")
    assert_accessible(page)
    page.get_by_label("Anything you want us to know before we call (optional)").fill(THEIR_WORDS)
    page.get_by_role("button", name="Ask for a call").click()
    expect(page.get_by_role("alert")).to_contain_text("We will call you, using the safe contact details you gave us.")
    expect(heading(page)).to_have_text("Updates on your case")
    expect(page.get_by_role("heading", name="What you asked us")).to_be_visible()
    asked_on, due_on = promised_dates(app, crime_number)
    request = page.locator("#requests li").filter(has=page.get_by_role("heading", name="A call from us"))
    expect(request).to_have_count(1)
    expect(request.get_by_role("heading")).to_have_text("A call from us Waiting")
    expect(request).to_contain_text(f"You asked on {asked_on}")
    expect(request).to_contain_text(f"We promised to answer by {due_on}.")
    assert_accessible(page)

    # An officer finds it in the task queue, takes it and finishes it.
    staff = new_context().new_page()
    staff_sign_in(staff, officer)
    staff.goto("/staff/tasks")
    expect(heading(staff)).to_have_text("Tasks")
    assert_accessible(staff)
    staff.get_by_label("Type").select_option(label="Call back requested")
    staff.get_by_label("Show").select_option(label="Not yet taken")
    staff.get_by_role("button", name="Apply filters").click()
    row = staff.locator("#task-queue tbody tr").filter(has_text=crime_number)
    expect(row).to_have_count(1)
    expect(row).to_contain_text("Nobody yet")
    assert_accessible(staff)
    row.get_by_role("link", name="Call back requested").click()

    expect(heading(staff)).to_have_text("Call back requested")
    details = staff.locator(".govuk-summary-list")
    expect(details).to_contain_text(THEIR_WORDS)
    expect(details).to_contain_text("2 working days (service standard)")
    assert_accessible(staff)
    staff.get_by_role("button", name="Take this task").click()
    expect(staff.get_by_role("alert")).to_contain_text("You have taken this task.")
    expect(details).to_contain_text(OFFICER_NAME)
    expect(details).to_contain_text("In progress")
    expect(staff.get_by_role("heading", name="Finish the task")).to_be_visible()
    assert_accessible(staff)
    staff.get_by_label("We did what was asked").check()
    staff.get_by_label("What to tell them").fill(OUTCOME)
    staff.get_by_role("button", name="Finish the task").click()
    expect(heading(staff)).to_have_text("Tasks")
    expect(staff.get_by_role("alert")).to_contain_text(
        "Task finished. The person who asked can read the outcome on their case.")
    expect(staff.locator("#task-queue tbody tr").filter(has_text=crime_number)).to_have_count(0)
    assert_accessible(staff)

    # The victim reads the outcome.
    page.reload()
    expect(heading(page)).to_have_text("Updates on your case")
    request = page.locator("#requests li").filter(has=page.get_by_role("heading", name="A call from us"))
    expect(request.get_by_role("heading")).to_have_text("A call from us Done")
    expect(request).to_contain_text(OUTCOME)
    expect(request).to_contain_text(OFFICER_NAME)
    expect(request).not_to_contain_text("We promised to answer by")
    expect(page.locator("#timeline")).to_contain_text("We have dealt with your request")
    expect(page.locator("#timeline")).to_contain_text(OUTCOME)
    assert_accessible(page)
