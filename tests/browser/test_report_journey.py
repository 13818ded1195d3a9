"""The crime-report wizard in a real browser: keyboard only, without JavaScript, uploads, stop pages and the PDF."""

import re
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlencode

import pytest
from flask import Flask
from PIL import Image
from playwright.sync_api import Locator, Page, expect
from pypdf import PdfReader

from tests.browser.conftest import assert_accessible, heading
from tests.wizard import BIKE_THEFT as BIKE_THEFT_POSTS

CRIME_NUMBER = re.compile(r"^CR-\d{2}-\d{7}-[A-Z]$")
JOURNEY_BUDGET_SECONDS = 180
MAX_TABS = 60

SAFETY_NOW = "Is anyone in danger now, or is the crime happening now?"
IMMEDIATE_RISK = "Was anyone hurt, was a weapon involved, or is the person who did it still nearby?"
WHAT_HAPPENED = "What happened?"
WHEN = "When did it happen?"
FIRST_DATE = "Date it happened, or the earliest it could have happened"
EVIDENCE = "Upload photos or documents"
SAFE_CHANNELS = "How is it safe for us to contact you?"
CHECK_ANSWERS = "Check your answers before sending your report"
DECLARATION = "I confirm that the information I have given is true, as far as I know"


# --- What to answer -------------------------------------------------------------------------


@dataclass(frozen=True)
class Field:
    """One answer on a page: a radio option, a checkbox, a text box or a select, found by its label."""

    kind: str  # "radio", "checkbox", "text" or "select"
    label: str
    value: str = ""
    group: str | None = None  # the fieldset legend the control sits in

    def locate(self, page: Page) -> Locator:
        """The control on the page."""
        scope = page.get_by_role("group", name=self.group, exact=True) if self.group else page
        if self.kind in ("radio", "checkbox"):
            return scope.get_by_role(self.kind, name=self.label, exact=True)
        return scope.get_by_label(self.label, exact=True)


def radio(group: str, option: str) -> Field:
    """Choose one option of a radio group."""
    return Field("radio", option, group=group)


def checkbox(label: str, group: str | None = None) -> Field:
    """Tick a checkbox."""
    return Field("checkbox", label, group=group)


def text(label: str, value: str, group: str | None = None) -> Field:
    """Type into a text input or textarea."""
    return Field("text", label, value, group)


def select(label: str, option: str) -> Field:
    """Pick an option of a select."""
    return Field("select", label, option)


@dataclass(frozen=True)
class Question:
    """A page of the wizard: its heading, what to answer, and the button that sends it."""

    heading: str
    fields: tuple[Field, ...] = ()
    button: str = "Continue"


# The answers of tests/wizard.py BIKE_THEFT, page by page, as a person sees them.
BIKE_THEFT = (
    Question(SAFETY_NOW, (radio(SAFETY_NOW, "No"),)),
    Question(IMMEDIATE_RISK, (radio(IMMEDIATE_RISK, "No"),)),
    Question(WHAT_HAPPENED, (radio(WHAT_HAPPENED, "Bicycle theft"),)),
    Question("Who are you reporting as?", (radio("Who are you reporting as?", "I am the victim"),)),
    Question(WHEN, (text("Day", "3", FIRST_DATE), text("Month", "11", FIRST_DATE), text("Year", "2026", FIRST_DATE),
                    text("Time (optional)", "17:30"))),
    Question("Where did it happen?", (select("Which London borough did it happen in?", "Camden"),
                                      text("Postcode (optional)", "nw1 2db"),
                                      text("Describe the place", "Outside the station"))),
    Question("Tell us what happened", (
        text("Tell us what happened", "My bike was locked to the railings and was gone when I came back."),)),
    Question("Was anything lost, stolen or damaged?", (radio("Was anything lost, stolen or damaged?", "Yes"),)),
    Question("Add an item", (text("What was it?", "Black Raleigh bicycle"),
                             text("Roughly how much was it worth, in pounds? (optional)", "250")), "Add item"),
    Question("Do you need to add another item?", (radio("Do you need to add another item?", "No"),)),
    Question("Do you know anything about who did it?"),
    Question("Did anyone else see what happened?"),
    Question(EVIDENCE),
    Question("Your contact details", (text("Full name", "Sam Victim"), text("Email address", "sam@example.org"),
                                      text("Phone number", "020 7946 0018"))),
    Question("Contacting you safely", (checkbox("Email", SAFE_CHANNELS), checkbox("Phone call", SAFE_CHANNELS))),
    Question("Can we leave a voicemail?", (radio("Can we leave a voicemail?", "No"),)),
    Question("What our messages say", (
        radio("Should our messages come from a name that does not mention the police?", "Yes"),)),
    Question("Help to talk with us"),
    Question("Would you like us to contact you about this?", (
        radio("Would you like us to contact you about this?", "Yes, please call me"),)),
    Question("If you could not report this online, would you have reported it another way?", (
        radio("If you could not report this online, would you have reported it another way?", "No"),)),
    Question(CHECK_ANSWERS, (checkbox(DECLARATION),), "Submit report"),
)


# --- Answering with the mouse ---------------------------------------------------------------


def fill_by_pointer(page: Page, field: Field) -> None:
    """Answer one field with Playwright's clicks and fills."""
    control = field.locate(page)
    if field.kind in ("radio", "checkbox"):
        control.check()
    elif field.kind == "select":
        control.select_option(label=field.value)
    else:
        control.fill(field.value)


def answer_by_pointer(page: Page, question: Question) -> None:
    """Check the page's heading, answer its fields and press its button."""
    expect(heading(page)).to_have_text(question.heading)
    for field in question.fields:
        fill_by_pointer(page, field)
    page.get_by_role("button", name=question.button, exact=True).click()


def start_report(page: Page) -> None:
    """From the service's start page, press "Report a crime": the first question follows at once."""
    page.goto("/")
    page.get_by_role("button", name="Report a crime").click()


def answer_until(page: Page, stop_before: str | None = None, questions=BIKE_THEFT) -> list[Question]:
    """Answer the bike theft questions in order until the page headed `stop_before`; return those left."""
    remaining = list(questions)
    while remaining and remaining[0].heading != stop_before:
        answer_by_pointer(page, remaining.pop(0))
    return remaining


def questions_from(title: str) -> list[Question]:
    """The bike theft questions from the one headed `title` to the end."""
    return list(BIKE_THEFT[[q.heading for q in BIKE_THEFT].index(title):])


def post_answers_until(page: Page, stop_before: str) -> None:
    """Start a report in the browser, then send the bike theft answers up to a question straight to the server.

    The posts share the page's cookies, so the draft is this browser's; it saves rendering pages that the
    keyboard and no-JavaScript tests already walk through.
    """
    start_report(page)
    expect(heading(page)).to_have_text(SAFETY_NOW)
    token = page.locator("input[name='csrf_token']").first.input_value()
    for slug, data in BIKE_THEFT_POSTS:
        if slug == stop_before:
            break
        response = page.request.post(
            f"/report/{slug}", data=urlencode({**data, "csrf_token": token}, doseq=True),
            headers={"Content-Type": "application/x-www-form-urlencoded"}, max_redirects=0)
        assert response.status == 302, f"/report/{slug} did not accept {data}: {response.status}"
    page.goto(f"/report/{stop_before}")


def crime_number_on(page: Page) -> str:
    """Check the confirmation page and return the crime number it shows."""
    expect(heading(page)).to_have_text("Report received")
    number = page.locator("#crime-number")
    expect(number).to_have_text(CRIME_NUMBER)
    return number.inner_text()


# --- Answering with the keyboard ------------------------------------------------------------


def _is_focused(locator: Locator) -> bool:
    """Whether the focused element is (one of) the locator's element(s)."""
    return locator.evaluate_all("els => els.includes(document.activeElement)")


def _focused_description(page: Page) -> str:
    """The focused element, briefly, for failure messages."""
    return page.evaluate(
        "() => { const el = document.activeElement; if (!el) return 'nothing';"
        " const words = (el.innerText || el.value || '').slice(0, 40);"
        " return `<${el.tagName.toLowerCase()} id=${el.id || '-'}> ${words}`; }")


def tab_to(page: Page, locator: Locator, limit: int = MAX_TABS) -> int:
    """Press Tab until the locator (or one of its elements) has focus; fail if it is not reachable by keyboard."""
    for presses in range(limit + 1):
        if _is_focused(locator):
            return presses
        page.keyboard.press("Tab")
    pytest.fail(f"{locator} was not reached with {limit} presses of Tab on {page.url}; "
                f"focus is on {_focused_description(page)}", pytrace=False)


def fill_by_keyboard(page: Page, field: Field) -> None:
    """Answer one field with the keyboard alone, starting from wherever focus is."""
    control = field.locate(page)
    if field.kind == "radio":
        # A radio group is one tab stop; the arrow keys move between its options, Space chooses.
        group = page.get_by_role("group", name=field.group, exact=True).get_by_role("radio")
        tab_to(page, group)
        for _ in range(group.count()):
            if _is_focused(control):
                break
            page.keyboard.press("ArrowDown")
        assert _is_focused(control), f"the arrow keys never reached the {field.label!r} option on {page.url}"
        page.keyboard.press("Space")
        expect(control).to_be_checked()
    elif field.kind == "checkbox":
        tab_to(page, control)
        page.keyboard.press("Space")
        expect(control).to_be_checked()
    elif field.kind == "select":
        tab_to(page, control)
        page.keyboard.type(field.value)  # a closed select jumps to the option that starts with what is typed
        expect(control.locator("option:checked")).to_have_text(field.value)
    else:
        tab_to(page, control)
        page.keyboard.type(field.value)
        expect(control).to_have_value(field.value)


def press_button_by_keyboard(page: Page, name: str) -> None:
    """Tab to a button (or a link styled as one) and press Enter."""
    tab_to(page, page.get_by_role("button", name=name, exact=True))
    page.keyboard.press("Enter")


# --- Tests ----------------------------------------------------------------------------------


def test_bicycle_theft_by_keyboard_alone_with_axe_on_every_page(page: Page, record_property):
    """A bicycle theft reported with Tab, Space, typing and Enter only; axe passes on every page."""
    pages = fields = 0

    def checked_page(title: str) -> None:
        nonlocal pages
        expect(heading(page)).to_have_text(title)
        assert_accessible(page)
        pages += 1

    started = time.perf_counter()
    page.goto("/")
    checked_page("Report a crime and get support")
    press_button_by_keyboard(page, "Report a crime")

    for question in BIKE_THEFT:
        checked_page(question.heading)
        for field in question.fields:
            fill_by_keyboard(page, field)
            fields += 1
        press_button_by_keyboard(page, question.button)

    checked_page("Report received")
    expect(page.locator("#crime-number")).to_have_text(CRIME_NUMBER)
    seconds = time.perf_counter() - started

    print(f"\nreport journey: {pages} pages, {fields} fields filled, {seconds:.1f} s")
    record_property("pages", pages)
    record_property("fields", fields)
    record_property("seconds", round(seconds, 2))
    assert seconds < JOURNEY_BUDGET_SECONDS, f"the journey took {seconds:.0f} s"


def test_the_journey_works_with_javascript_off(new_context):
    """With JavaScript off, the whole report can be made, and an empty date shows the server's error summary."""
    page = new_context(java_script_enabled=False).new_page()
    start_report(page)
    remaining = answer_until(page, stop_before=WHEN)

    expect(heading(page)).to_have_text(WHEN)
    page.get_by_role("button", name="Continue").click()

    expect(page).to_have_title(re.compile(rf"^Error: {re.escape(WHEN)}"))
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_be_visible()
    expect(summary.get_by_role("heading")).to_have_text("There is a problem")
    expect(summary.get_by_role("link")).to_have_count(1)
    date_link = summary.get_by_role("link", name="Enter the date it happened")
    expect(date_link).to_have_attribute("href", "#occurred_on-day")
    day = page.get_by_role("group", name=FIRST_DATE, exact=True).get_by_label("Day", exact=True)
    expect(day).to_have_id("occurred_on-day")

    answer_until(page, questions=remaining)
    crime_number_on(page)


def test_upload_a_photo_and_see_it_listed(page: Page, app: Flask, monkeypatch, tmp_path: Path):
    """A JPEG upload is listed under "Files added"; a text file called .jpg is refused; then the report is sent."""
    evidence_dir = tmp_path / "evidence"
    monkeypatch.setitem(app.config, "EVIDENCE_DIR", str(evidence_dir))
    photo = tmp_path / "bike-lock.jpg"
    Image.new("RGB", (64, 48), (200, 30, 30)).save(photo, "JPEG")
    fake_photo = tmp_path / "not-a-photo.jpg"
    fake_photo.write_text("This is a shopping list, not a photo.\n")

    post_answers_until(page, stop_before="evidence")
    expect(heading(page)).to_have_text(EVIDENCE)
    remaining = questions_from(EVIDENCE)

    page.get_by_label("Upload a file").set_input_files(photo)
    page.get_by_role("button", name="Upload file").click()

    expect(page.get_by_role("heading", name="Files added")).to_be_visible()
    files = page.locator(".govuk-summary-list")
    expect(files.get_by_role("link", name="bike-lock.jpg")).to_be_visible()
    expect(files.get_by_role("button", name="Remove bike-lock.jpg")).to_be_visible()
    assert len([p for p in evidence_dir.iterdir() if not p.name.startswith(".")]) == 1
    assert_accessible(page)

    page.get_by_label("Upload a file").set_input_files(fake_photo)
    page.get_by_role("button", name="Upload file").click()

    expect(page).to_have_title(re.compile(rf"^Error: {re.escape(EVIDENCE)}"))
    expect(page.locator(".govuk-error-summary")).to_contain_text("The selected file must be a JPG, PNG or PDF")
    expect(page.locator(".govuk-error-message")).to_contain_text("The selected file must be a JPG, PNG or PDF")
    expect(files.get_by_role("link")).to_have_count(1)
    expect(files.get_by_role("link", name="bike-lock.jpg")).to_be_visible()
    assert_accessible(page)

    remaining = answer_until(page, stop_before=CHECK_ANSWERS, questions=remaining)
    expect(page.locator(".govuk-summary-list")).to_contain_text("bike-lock.jpg")
    answer_until(page, questions=remaining)
    crime_number_on(page)


def test_specialist_and_emergency_pages_pass_axe(page: Page):
    """Danger now leads to "Call 999 now"; domestic abuse to specialist help with Exit this page; both pass axe."""
    start_report(page)
    answer_by_pointer(page, Question(SAFETY_NOW, (radio(SAFETY_NOW, "Yes"),)))

    expect(heading(page)).to_have_text("Call 999 now")
    expect(page.get_by_text("call 999 and ask for the police")).to_be_visible()
    assert_accessible(page)

    page.get_by_role("link", name="Back", exact=True).click()
    answer_by_pointer(page, Question(SAFETY_NOW, (radio(SAFETY_NOW, "No"),)))
    answer_by_pointer(page, Question(IMMEDIATE_RISK, (radio(IMMEDIATE_RISK, "No"),)))
    answer_by_pointer(page, Question(WHAT_HAPPENED, (radio(WHAT_HAPPENED, "Domestic abuse"),)))

    expect(heading(page)).to_have_text("Talk to someone who can help")
    expect(page.get_by_text("National Domestic Abuse Helpline: 0808 2000 247, any time")).to_be_visible()
    expect(page.get_by_role("button", name="Exit this page")).to_be_visible()
    assert_accessible(page)


def test_the_pdf_copy_downloads(page: Page):
    """The confirmation page's PDF link downloads a copy of the report that shows the crime number."""
    post_answers_until(page, stop_before="check-answers")
    answer_by_pointer(page, BIKE_THEFT[-1])
    crime_number = crime_number_on(page)

    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download a copy of your report (PDF)").click()
    download = download_info.value

    assert download.failure() is None
    assert download.suggested_filename == f"report-{crime_number}.pdf"
    reader = PdfReader(download.path())
    pdf_text = "\n".join(p.extract_text() or "" for p in reader.pages)
    assert crime_number in pdf_text, f"{crime_number} is not in the PDF text:\n{pdf_text[:500]}"

