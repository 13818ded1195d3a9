"""A guest's whole journey in Chromium, on two devices, with no account (issue 19).

On a first device the guest starts a report, answers a few questions and asks for a link to go on later by email.
On a second device they open the development mailbox, follow the link, press Continue and land on the first
question they had not answered, their answers kept; the first device has lost the report. They finish it, with
email as a safe channel, and follow the case at /track with its crime number and the code the mailbox shows:
they see its status, ask for a call and stop following. axe (WCAG 2.2 A and AA) and the page checks every test
client page passes (tests/pagecheck.py) run on every page the guest sees, the mailbox's included.

The app runs here with the development mailbox on (DEV_MAIL_VIEWER is read when the app is made, so the session's
live server cannot show it): its own server, its own SMTP sink writing .eml files to a folder of this test, and
the outbox delivered by `deliver_pending`, as the other browser tests deliver it.
"""

import re
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from flask import Flask
from playwright.sync_api import BrowserContext, Page, Response, expect

from portal.devmail.sink import start_sink
from portal.extensions import db
from portal.notifications.delivery import deliver_pending
from tests.browser.conftest import SentPage, assert_accessible, heading, serving
from tests.browser.test_report_journey import (
    BIKE_THEFT,
    CHECK_ANSWERS,
    CRIME_NUMBER,
    FIRST_DATE,
    WHEN,
    Question,
    fill_by_pointer,
    text,
)
from tests.conftest import free_port
from tests.pagecheck import page_problems

GUEST_EMAIL = "guest-follows@example.org"
WHERE = "Where did it happen?"
CONTACT = "Your contact details"
RESUME_SUBJECT = "Continue where you left off"
CODE_SUBJECT = "Your code"
CALL_NOTE = "Please call after 6pm."
JOURNEY_BUDGET_SECONDS = 240

PHONE = {"viewport": {"width": 375, "height": 667}, "is_mobile": True, "has_touch": True}
DESKTOP = {"viewport": {"width": 1280, "height": 800}}


# --- The app with the development mailbox ---------------------------------------------------


@dataclass(frozen=True)
class DevService:
    """The app with its development mailbox, served on loopback."""

    url: str
    app: Flask
    mailbox: Path

    def deliver(self) -> None:
        """Send everything the outbox holds: emails through the sink into the mailbox folder."""
        with self.app.app_context():
            report = deliver_pending()
            db.session.remove()
        assert report.failed == 0, "the outbox could not deliver to the development mailbox"
        assert report.sent, "the outbox had nothing to send"


@pytest.fixture
def dev_service(make_app, tmp_path: Path) -> Iterator[DevService]:
    """An app on the test database with DEV_MAIL_VIEWER on, its emails going to an SMTP sink that writes them to
    the mailbox folder that /dev/mail/ lists, and every emailed link pointing at its own server."""
    mailbox = tmp_path / "mailbox"
    sink = start_sink("127.0.0.1", free_port(), str(mailbox))
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    app = make_app(DEV_MAIL_VIEWER=True, DEV_MAILBOX_DIR=str(mailbox), PUBLIC_BASE_URL=url,
                   MAIL_SERVER="127.0.0.1", MAIL_PORT=sink.port, MAIL_USE_TLS=False)
    try:
        with serving(app, port):
            yield DevService(url=url, app=app, mailbox=mailbox)
    finally:
        sink.stop()


# --- Checking every page ---------------------------------------------------------------------


class Device:
    """One browser context (a phone or a computer) whose every page is checked as it is shown."""

    def __init__(self, context: BrowserContext):
        self.context = context
        self.pages_checked = 0
        self._sent: dict[Page, Response] = {}  # each tab's last page, as the server sent it

    def new_page(self) -> Page:
        """A tab that remembers the last page the server sent it, for the page checks."""
        page = self.context.new_page()

        def keep(response: Response) -> None:
            if response.request.is_navigation_request() and response.frame == page.main_frame \
                    and response.status == 200:
                self._sent[page] = response

        page.on("response", keep)
        return page

    def check(self, page: Page, title: str | re.Pattern) -> None:
        """The page headed `title` is shown; axe finds no WCAG 2.2 A/AA violation and the page checks pass."""
        expect(heading(page)).to_have_text(title)
        assert_accessible(page)
        shown = self._sent[page]
        assert shown.url == page.url, f"the last page sent was {shown.url}, the tab shows {page.url}"
        problems = page_problems(SentPage(shown))
        assert not problems, f"{page.url}:\n" + "\n".join(problems)
        self.pages_checked += 1


def answer(device: Device, page: Page, question: Question) -> None:
    """Check the question's page, answer it and press its button."""
    device.check(page, question.heading)
    for field in question.fields:
        fill_by_pointer(page, field)
    page.get_by_role("button", name=question.button, exact=True).click()


def questions(first: str, stop_before: str | None = None) -> list[Question]:
    """The bike theft questions from the one headed `first` up to the one headed `stop_before`, answered by a guest
    whose email address is GUEST_EMAIL."""
    titles = [q.heading for q in BIKE_THEFT]
    end = titles.index(stop_before) if stop_before else len(titles)
    chosen = list(BIKE_THEFT[titles.index(first):end])
    return [Question(CONTACT, (text("Full name", "Sam Guest"), text("Email address", GUEST_EMAIL),
                                 text("Phone number", "020 7946 0018")))
            if q.heading == CONTACT else q for q in chosen]


def open_newest(device: Device, mailbox: Page, subject: str) -> None:
    """Open the development mailbox and the newest message with this subject."""
    mailbox.goto("/dev/mail/")
    device.check(mailbox, "Development mailbox")
    mailbox.get_by_role("link", name=subject, exact=True).first.click()
    device.check(mailbox, subject)
    expect(mailbox.get_by_role("main")).to_contain_text(GUEST_EMAIL)


# --- The journey -----------------------------------------------------------------------------


@pytest.mark.parametrize("screen", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_guest_saves_resumes_on_another_device_finishes_and_follows_the_case(dev_service, new_context, screen,
                                                                              record_property):
    """Save and come back later from another device, then follow the case with a code and ask for a call."""
    started = time.perf_counter()
    first = Device(new_context(base_url=dev_service.url, **screen))
    second = Device(new_context(base_url=dev_service.url, **screen))

    # First device: start a report and answer up to "Where did it happen?".
    page = first.new_page()
    page.goto("/")
    first.check(page, "Report a crime and get support")
    page.get_by_role("button", name="Report a crime").click()  # one start page: straight to the first question
    for question in questions(BIKE_THEFT[0].heading, stop_before=WHERE):
        answer(first, page, question)

    # Save and come back later: a link by email.
    first.check(page, WHERE)
    page.get_by_role("link", name="Save and come back later").click()
    first.check(page, "Save and come back later")
    page.get_by_role("radio", name="Email", exact=True).check()
    page.get_by_label("Email address").fill(GUEST_EMAIL)
    page.get_by_role("button", name="Send link").click()
    first.check(page, "Check your email")
    expect(page.get_by_text(f"We have sent a link to {GUEST_EMAIL}.")).to_be_visible()
    dev_service.deliver()

    # Second device: the link from the development mailbox.
    page2 = second.new_page()
    open_newest(second, page2, RESUME_SUBJECT)
    link = page2.locator(".app-email-body").get_by_role("link")
    expect(link).to_have_attribute("href", re.compile(rf"^{re.escape(dev_service.url)}/report/resume/"))
    link.click()
    second.check(page2, "Continue your report")
    page2.get_by_role("button", name="Continue").click()

    # The first unanswered question, with the earlier answers kept.
    second.check(page2, WHERE)
    page2.get_by_role("link", name="Back", exact=True).click()
    second.check(page2, WHEN)
    date = page2.get_by_role("group", name=FIRST_DATE, exact=True)
    expect(date.get_by_label("Day", exact=True)).to_have_value("3")
    expect(date.get_by_label("Month", exact=True)).to_have_value("11")
    expect(date.get_by_label("Year", exact=True)).to_have_value("2026")
    expect(page2.get_by_label("Time (optional)", exact=True)).to_have_value("17:30")
    page2.get_by_role("button", name="Continue", exact=True).click()

    # The first device no longer has the report.
    page.goto("/report/continue")
    first.check(page, "Report a crime and get support")
    expect(page.locator("#unfinished-report")).to_have_count(0)

    # Finish the report on the second device, email being safe.
    for question in questions(WHERE, stop_before=CHECK_ANSWERS):
        answer(second, page2, question)
    second.check(page2, CHECK_ANSWERS)
    for kept in ("Bicycle theft", "3 November 2026", "Camden", GUEST_EMAIL):
        expect(page2.get_by_role("main")).to_contain_text(kept)
    answer(second, page2, BIKE_THEFT[-1])
    second.check(page2, "Report received")
    number = page2.locator("#crime-number")
    expect(number).to_have_text(CRIME_NUMBER)
    crime_number = number.inner_text()

    # Follow the case with its crime number and a code.
    page2.goto("/track")
    second.check(page2, "Follow your case")
    page2.get_by_label("Crime number").fill(crime_number)
    page2.get_by_role("button", name="Send me a code").click()
    second.check(page2, "Enter your code")
    dev_service.deliver()

    mailbox = second.new_page()  # another tab on the same device
    open_newest(second, mailbox, CODE_SUBJECT)
    body = mailbox.locator(".app-email-body").inner_text()
    assert crime_number not in body, "the code email names the case"
    code = re.search(r"^\s*([0-9]{6})\s*$", body, re.MULTILINE)
    assert code, f"no six-digit code in the email:\n{body}"
    mailbox.close()

    page2.get_by_label("Code").fill(code.group(1))
    page2.get_by_role("button", name="Continue").click()
    second.check(page2, f"Your case {crime_number}")
    expect(page2.locator("#case-status")).to_contain_text("Received")
    expect(page2.locator("#case-status")).to_contain_text("What happens next:")

    # Ask for a call.
    page2.get_by_label("Anything you want us to know before we call (optional)").fill(CALL_NOTE)
    page2.get_by_role("button", name="Ask for a call").click()
    expect(page2.get_by_role("alert")).to_contain_text(
        "We will call you, using the safe contact details you gave us.")
    second.check(page2, f"Your case {crime_number}")
    main = page2.get_by_role("main")
    expect(main).to_contain_text("A call from us")
    expect(main).to_contain_text("You asked us to call you")
    expect(main).to_contain_text(CALL_NOTE)

    # Stop following: the case is gone from this device.
    page2.get_by_role("button", name="Stop following on this device").click()
    second.check(page2, "Follow your case")
    expect(page2.get_by_role("alert")).to_contain_text(
        "You have stopped following the case on this device.")
    page2.goto("/track/case")
    second.check(page2, "Follow your case")
    expect(page2.get_by_role("main")).not_to_contain_text(crime_number)

    seconds = time.perf_counter() - started
    pages = first.pages_checked + second.pages_checked
    print(f"\nguest follows a case ({'phone' if screen is PHONE else 'desktop'}): {pages} pages checked, "
          f"{seconds:.1f} s")
    record_property("pages", pages)
    record_property("seconds", round(seconds, 2))
    assert seconds < JOURNEY_BUDGET_SECONDS, f"the journey took {seconds:.0f} s"
