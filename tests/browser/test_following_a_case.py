"""Following a case in a real browser: a victim's updates and messages, and a witness joining with a code."""

import re
from datetime import date, timedelta
from zoneinfo import ZoneInfo

import pyotp
from playwright.sync_api import Page, expect

from portal.auth.models import User
from portal.auth.roles import Role
from portal.clock import utcnow
from portal.extensions import db
from tests.browser.conftest import assert_accessible, heading, sign_in
from tests.triage_helpers import make_report

OFFICER_NAME = "PC 1234 Alex Morgan"
COURT = "Wood Green Crown Court"


def staff_sign_in(page: Page, account) -> None:
    """Password, then the TOTP code."""
    sign_in(page, account.email, account.password)
    expect(heading(page)).to_have_text("Enter your security code")
    assert_accessible(page)
    page.get_by_label("Security code").fill(pyotp.TOTP(account.totp_secret).now())
    page.get_by_role("button", name="Continue").click()
    expect(heading(page)).to_have_text("Your account")
    assert_accessible(page)


def open_staff_case(page: Page, crime_number: str) -> None:
    """The staff case page."""
    page.goto(f"/staff/cases/{crime_number}")
    expect(heading(page)).to_have_text(f"Case {crime_number}")
    assert_accessible(page)


def allocate_to_self(page: Page, crime_number: str) -> None:
    """From the staff case page, allocate the report to the signed-in officer."""
    page.get_by_role("button", name="Record a triage decision").click()
    expect(heading(page)).to_have_text("What is your decision?")
    assert_accessible(page)
    page.get_by_label("Allocate for investigation to a named officer").check()
    page.get_by_role("button", name="Continue").click()
    expect(heading(page)).to_have_text("Allocate for investigation to a named officer")
    assert_accessible(page)
    page.get_by_label("Officer").select_option(label=OFFICER_NAME)
    page.get_by_role("button", name="Record decision").click()
    expect(heading(page)).to_have_text(f"Case {crime_number}")
    expect(page.locator("#case-status")).to_have_text("Under investigation")
    assert_accessible(page)


def post_update(page: Page, what: str, note: str = "", hearing: date | None = None, witnesses: bool = False) -> None:
    """From the staff case page, post a key event that happened two hours ago."""
    page.get_by_role("button", name="Post an update").click()
    expect(heading(page)).to_have_text("Post an update")
    assert_accessible(page)
    page.get_by_label(what).check()
    earlier = (utcnow() - timedelta(hours=2)).astimezone(ZoneInfo("Europe/London"))
    page.locator("#happened_date-day").fill(str(earlier.day))
    page.locator("#happened_date-month").fill(str(earlier.month))
    page.locator("#happened_date-year").fill(str(earlier.year))
    page.get_by_label("Time it happened").fill(earlier.strftime("%H:%M"))
    if hearing is not None:
        page.get_by_label("Court", exact=True).fill(COURT)
        page.locator("#hearing_date-day").fill(str(hearing.day))
        page.locator("#hearing_date-month").fill(str(hearing.month))
        page.locator("#hearing_date-year").fill(str(hearing.year))
        page.get_by_label("Time of the hearing").fill("10:00")
    if note:
        page.get_by_label("Your words for the victim (optional for a key event)").fill(note)
    if witnesses:
        page.get_by_label("Witnesses can see this update").check()
    page.get_by_role("button", name="Post update").click()
    expect(page.get_by_role("alert")).to_contain_text("Update posted.")
    assert_accessible(page)


def victims_case(app, victim, **answers) -> str:
    """A report submitted by the victim's account; returns its crime number."""
    with app.app_context():
        owner = db.session.get(User, victim.id)
        crime_number = make_report(app, user=owner, **answers)
        db.session.remove()
    return crime_number


def test_victim_reads_an_update_sends_a_message_and_the_officer_replies(app, new_context, make_account, read_email):
    """The victim sees the officer's update, writes, gets a reply; the email only says there is a message."""
    victim = make_account(Role.VICTIM)
    officer = make_account(Role.OFFICER, display_name=OFFICER_NAME)
    crime_number = victims_case(app, victim)

    staff = new_context().new_page()
    staff_sign_in(staff, officer)
    open_staff_case(staff, crime_number)
    allocate_to_self(staff, crime_number)
    post_update(staff, "Someone has been arrested", note="We arrested him near the station.")
    expect(staff.locator("#case-status")).to_have_text("Suspect arrested")

    page = new_context().new_page()
    sign_in(page, victim.email, victim.password)
    expect(heading(page)).to_have_text("Your account")
    assert_accessible(page)
    page.get_by_role("link", name="Your cases").click()
    expect(heading(page)).to_have_text("Your cases")
    assert_accessible(page)
    page.locator("#cases").get_by_role("link", name=crime_number).click()
    expect(heading(page)).to_have_text(f"Your case {crime_number}")
    expect(page.locator("#named-officer")).to_have_text(OFFICER_NAME)
    assert_accessible(page)
    case_pages = page.get_by_role("navigation", name="Pages about your case")
    case_pages.get_by_role("link", name="Updates").click()
    expect(heading(page)).to_have_text("Updates on your case")
    expect(page.locator("#timeline")).to_contain_text("Someone has been arrested")
    expect(page.locator("#timeline")).to_contain_text("We arrested him near the station.")
    assert_accessible(page)
    case_pages.get_by_role("link", name="Overview").click()
    expect(heading(page)).to_have_text(f"Your case {crime_number}")

    page.get_by_role("link", name="Read and send messages about your case").click()
    expect(heading(page)).to_have_text("Messages about your case")
    expect(page.locator("#message-thread")).to_have_text("There are no messages yet.")
    assert_accessible(page)
    page.get_by_label("Your message").fill("Is there CCTV from the station?")
    page.get_by_role("button", name="Send message").click()
    expect(page.get_by_role("alert")).to_contain_text("Your message has been sent.")
    expect(page.locator("#message-thread")).to_contain_text("Is there CCTV from the station?")
    expect(page.locator("#message-thread li").first.get_by_role("heading")).to_have_text("You")
    assert_accessible(page)

    open_staff_case(staff, crime_number)
    messages = staff.get_by_role("navigation", name="Pages about this case").get_by_role("link", name="Messages")
    expect(messages).to_contain_text("1 unread message")
    messages.click()
    expect(heading(staff)).to_have_text(f"Messages on case {crime_number}")
    first = staff.locator("#message-thread li").first
    expect(first).to_contain_text("Is there CCTV from the station?")
    expect(first).to_contain_text("New")
    assert_accessible(staff)
    staff.get_by_label("Your reply").fill("We have asked for it.")
    staff.get_by_role("button", name="Send reply").click()
    expect(staff.get_by_role("alert")).to_contain_text("Your reply has been sent.")
    reply = staff.locator("#message-thread li").nth(1)
    expect(reply).to_contain_text("We have asked for it.")
    expect(reply).to_contain_text("Not read yet")
    assert_accessible(staff)

    page.get_by_role("link", name="Back to your case").click()
    expect(heading(page)).to_have_text(f"Your case {crime_number}")
    expect(page.locator("#case-messages")).to_contain_text("1 new message")
    assert_accessible(page)
    page.get_by_role("link", name="Read and send messages about your case").click()
    reply = page.locator("#message-thread li").nth(1)
    expect(reply.get_by_role("heading")).to_have_text("Police")
    expect(reply).to_contain_text("We have asked for it.")
    expect(reply).to_contain_text("New")
    assert_accessible(page)

    email = read_email(victim.email)
    assert email["Subject"] == "You have a new message"
    body = email.get_body(preferencelist=("plain",)).get_content()
    assert "You have a new message" in body
    for secret in ("CCTV", "We have asked for it", "arrested", crime_number, OFFICER_NAME):
        assert secret not in body and secret not in email["Subject"], f"the email gives away {secret!r}"


def test_witness_redeems_a_code_and_sees_the_court_date(app, new_context, make_account):
    """An invited witness joins with the crime number and code, sees the hearing and says they cannot attend and
    asks for a screen; the Witness Care Unit find both tasks, move the hearing, and the witness reads the new date;
    the witness writes to witness care and reads their reply (issue 20). axe on every page."""
    victim = make_account(Role.VICTIM)
    officer = make_account(Role.OFFICER, display_name=OFFICER_NAME)
    witness = make_account(Role.WITNESS)
    crime_number = victims_case(app, victim, description="Private words from the victim.")
    hearing = (utcnow() + timedelta(weeks=3)).astimezone(ZoneInfo("Europe/London")).date()

    staff = new_context().new_page()
    staff_sign_in(staff, officer)
    open_staff_case(staff, crime_number)
    allocate_to_self(staff, crime_number)
    post_update(staff, "Someone has been charged")
    post_update(staff, "A court hearing has been arranged", hearing=hearing, witnesses=True)
    expect(staff.locator("#case-status")).to_have_text("Court hearing scheduled")

    staff.get_by_role("link", name="Witnesses").click()
    expect(heading(staff)).to_have_text("Witnesses")
    assert_accessible(staff)
    staff.get_by_label("Witness’s email address").fill(witness.email)
    staff.get_by_role("button", name="Send invitation").click()
    banner = staff.get_by_role("alert")
    expect(banner).to_contain_text(re.compile(r"The code is [A-Z0-9]{8}\b"))
    code = re.search(r"The code is ([A-Z0-9]{8})\b", banner.inner_text()).group(1)
    expect(staff.locator("#witness-list")).to_contain_text("Invited, not joined yet")
    assert_accessible(staff)

    page = new_context().new_page()
    sign_in(page, witness.email, witness.password)
    expect(heading(page)).to_have_text("Your account")
    page.get_by_role("link", name="Your cases").click()
    expect(heading(page)).to_have_text("Your cases")
    assert_accessible(page)
    page.get_by_role("link", name="Follow a case as a witness").click()
    expect(heading(page)).to_have_text("Follow a case as a witness")
    assert_accessible(page)
    page.get_by_label("Crime number").fill(crime_number)
    page.get_by_label("Code").fill(code)
    page.get_by_role("button", name="Follow this case").click()

    expect(page.get_by_role("alert")).to_contain_text("You are now following this case as a witness.")
    expect(heading(page)).to_have_text(f"Case {crime_number}")
    timeline = page.locator("#timeline")
    expect(timeline).to_contain_text("A court hearing has been arranged")
    expect(timeline).to_contain_text(f"at {COURT} on {hearing.day} {hearing:%B} {hearing.year} at 10:00am")
    expect(timeline).not_to_contain_text("Someone has been charged")
    main = page.locator("main")
    for private in ("Private words from the victim.", "Sam Victim", "sam@example.org"):
        expect(main).not_to_contain_text(private)
    assert_accessible(page)

    page.get_by_label("No, I cannot attend").check()
    page.get_by_label("Anything the witness care officer should know (optional)").fill("I am abroad that week.")
    page.get_by_role("button", name="Send answer").click()
    expect(page.get_by_role("alert")).to_contain_text("Thank you for telling us. Witness care will contact you")
    expect(page.locator("#requests")).to_contain_text("Help because you cannot attend a hearing")
    assert_accessible(page)

    # Special measures: a question left unanswered is explained, then the request is sent.
    page.get_by_role("link", name="Ask for help to give evidence").click()
    expect(heading(page)).to_have_text("Ask for help to give evidence")
    assert_accessible(page)
    page.get_by_role("button", name="Send request").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Select at least one kind of help")
    assert_accessible(page)
    page.get_by_label("A screen, so you do not see the defendant").check()
    page.get_by_role("button", name="Send request").click()
    expect(page.get_by_role("alert")).to_contain_text("Witness care will answer here")
    expect(page.locator("#requests")).to_contain_text("Help to give evidence (special measures)")

    staff.reload()
    expect(heading(staff)).to_have_text("Witnesses")
    answer = staff.locator("#witness-list")
    expect(answer).to_contain_text("Following the case")
    expect(answer).to_contain_text("Court: cannot attend (I am abroad that week.)")
    assert_accessible(staff)
    # The Witness Care Unit find both in their task queue, open the first, and go to the case's witness side.
    care = new_context().new_page()
    staff_sign_in(care, make_account(Role.WITNESS_CARE))
    care.get_by_role("link", name="Witness care tasks").click()
    queue = care.locator("main")
    expect(queue).to_contain_text("A witness cannot attend a hearing")
    expect(queue).to_contain_text("Special measures a witness asked for")
    assert_accessible(care)
    care.get_by_role("link", name="A witness cannot attend a hearing").click()
    expect(care.locator("main")).to_contain_text("I am abroad that week.")
    assert_accessible(care)
    care.get_by_role("link", name=crime_number).click()
    expect(heading(care)).to_have_text("Witnesses")
    assert_accessible(care)

    # They move the hearing; the witness reads the new date, and answers for it.
    staff = care
    staff.get_by_role("link", name=re.compile("^Change")).click()
    expect(heading(staff)).to_have_text("Change the hearing")
    assert_accessible(staff)
    new_day = hearing + timedelta(days=14)
    staff.get_by_label("It has moved to a new date").check()
    staff.get_by_label("Court (if it has moved)").fill("Snaresbrook Crown Court")
    staff.get_by_label("Day").fill(str(new_day.day))
    staff.get_by_label("Month").fill(str(new_day.month))
    staff.get_by_label("Year").fill(str(new_day.year))
    staff.get_by_label("New time (if it has moved)").fill("14:00")
    staff.get_by_role("button", name="Save the change").click()
    expect(staff.get_by_role("alert")).to_contain_text("The change is saved")
    page.reload()
    timeline = page.locator("#timeline")
    expect(timeline).to_contain_text("The hearing has moved")
    expect(timeline).to_contain_text(f"Snaresbrook Crown Court on {new_day.day} {new_day:%B} {new_day.year} at 2:00pm")
    expect(page.get_by_text("Can you attend this hearing?")).to_have_count(1)
    assert_accessible(page)

    # The witness writes to witness care; witness care see it unread, read it and reply; the witness reads the reply.
    page.get_by_role("link", name="Send a message to witness care, and read their replies").click()
    expect(heading(page)).to_have_text("Messages with witness care")
    assert_accessible(page)
    page.get_by_label("Your message").fill("Is there somewhere quiet to wait?")
    page.get_by_role("button", name="Send message").click()
    expect(page.get_by_role("alert")).to_contain_text("Your message has been sent to witness care.")
    staff.get_by_role("link", name="Back to witness care tasks").click()
    expect(staff.locator("#witness-messages-waiting")).to_contain_text("1 unread")
    staff.get_by_role("link", name="Messages from witnesses").click()
    expect(heading(staff)).to_have_text("Messages from witnesses")
    assert_accessible(staff)
    staff.get_by_role("link", name=witness.email).click()
    expect(staff.locator("#message-thread")).to_contain_text("Is there somewhere quiet to wait?")
    assert_accessible(staff)
    staff.get_by_label("Your reply").fill("Yes: ask for the witness room at the front desk.")
    staff.get_by_role("button", name="Send reply").click()
    expect(staff.get_by_role("alert")).to_contain_text("Your reply has been sent.")
    page.get_by_role("link", name="Back to the case").click()
    expect(page.locator("#witness-care-messages")).to_contain_text("1 new message")
    page.get_by_role("link", name="Send a message to witness care, and read their replies").click()
    expect(page.locator("#message-thread")).to_contain_text("Yes: ask for the witness room at the front desk.")
    assert_accessible(page)


def test_case_list_tags_stay_on_one_line_on_a_phone(app, new_context, make_account):
    """At 375 px wide, every status tag on the case list is one line tall (as tall as the shortest), in each colour."""
    from portal.cases.enums import CaseStatus  # noqa: PLC0415 - this test alone sets statuses directly
    from portal.cases.models import Report  # noqa: PLC0415

    victim = make_account(Role.VICTIM)
    numbers = [victims_case(app, victim) for _status in CaseStatus]
    with app.app_context():  # one case in each status: the list's presentation is what is tested here
        for number, status in zip(numbers, CaseStatus, strict=True):
            db.session.query(Report).filter_by(crime_number=number).update({"status": status})
        db.session.commit()
    page = new_context(viewport={"width": 375, "height": 667}).new_page()
    sign_in(page, victim.email, victim.password)
    page.goto("/cases/")
    expect(heading(page)).to_have_text("Your cases")
    boxes = [tag.bounding_box() for tag in page.locator("#cases .govuk-tag").all()]
    heights = [box["height"] for box in boxes]
    assert len(heights) == len(CaseStatus)
    assert all(box["x"] + box["width"] <= 375 for box in boxes), "a tag runs off the screen"
    assert max(heights) - min(heights) < 1, f"a tag wraps onto more lines: {heights}"
    assert_accessible(page)
