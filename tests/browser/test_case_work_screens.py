"""The officer, supervisor and witness-care screens as MoJ case-work tools (issue 22), in a real browser at a
computer's width (1280 px) and a phone's (375 px).

Every screen is checked by tests/browser/screens.py (axe WCAG 2.2 A/AA, the page checks on the HTML sent, nothing
wider than the screen, a full-page screenshot under test-artifacts/case-work-screens/), and carries the MoJ primary
navigation with the sections the person's role may open. The queues are MoJ filter layouts whose tables sort in the
browser and, on a phone, scroll sideways inside their own box (a named region the keyboard can reach); the case
page has an identity bar, the case's pages as a sub navigation and its history as a timeline."""

from datetime import timedelta

import pyotp
import pytest
from flask import Flask
from playwright.sync_api import BrowserContext, Page, expect
from sqlalchemy import select

from portal.auth.models import User
from portal.auth.roles import Role
from portal.cases.enums import CaseStatus
from portal.cases.models import Report, TimelineEvent
from portal.clock import utcnow
from portal.extensions import db
from portal.messages.services import send_victim_message
from portal.messages.witness_services import send_witness_message
from portal.support import referrals
from portal.tasks.enums import TaskType
from portal.tasks.models import Task
from portal.tracking.services import ask_for_call
from portal.tracking.witnesses import confirm_availability, invite_witness, join_case
from portal.triage.services import allocate_for_investigation, post_update
from tests.browser.conftest import heading, sign_in
from tests.browser.screens import SCREENS, Screen
from tests.paths import ARTIFACTS
from tests.support_helpers import make_organisation, make_service
from tests.triage_helpers import make_report

FOLDER = ARTIFACTS / "case-work-screens"
COURT = "Wood Green Crown Court"
# The primary navigation's sections for each role (portal/navigation.py: the sections whose page the role opens).
SECTIONS = {Role.OFFICER: ["Triage", "Tasks"],
            Role.SUPERVISOR: ["Triage", "Tasks", "Performance", "Insight"],
            Role.WITNESS_CARE: ["Tasks", "Witness messages"]}


def staff_sign_in(page: Page, account) -> None:
    """Password, then the code from the authenticator app."""
    sign_in(page, account.email, account.password)
    expect(heading(page)).to_have_text("Enter your security code")
    page.get_by_label("Security code").fill(pyotp.TOTP(account.totp_secret).now())
    page.get_by_role("button", name="Continue").click()
    expect(heading(page)).to_have_text("Your account")


def the_world(app: Flask, make_account) -> dict:
    """A case at court with its officer, victim and a witness who joined, and everything the staff screens show:
    a message from the victim and one from the witness nobody has read, a call the victim asked for, the witness's
    'cannot attend' (a witness-care task), a referral waiting for consent; and a report waiting for triage, overdue
    and flagged for safeguarding."""
    people = {"officer": make_account(Role.OFFICER, display_name="PC 1234 Alex Morgan"),
              "supervisor": make_account(Role.SUPERVISOR, display_name="Sgt 42 Jo Patel"),
              "care": make_account(Role.WITNESS_CARE, display_name="Witness care"),
              "victim": make_account(Role.VICTIM), "witness": make_account(Role.WITNESS)}
    with app.app_context():
        victim, officer, witness = (db.session.get(User, people[k].id) for k in ("victim", "officer", "witness"))
        number = make_report(app, user=victim, safe_channels=["email", "letter"])
        waiting = make_report(app)
        report = db.session.scalar(select(Report).where(Report.crime_number == number))
        allocate_for_investigation(officer, report, report.version, officer)
        post_update(officer, report, report.version, CaseStatus.CHARGED, "He was charged this morning.",
                    utcnow() - timedelta(hours=2), True, False)
        post_update(officer, report, report.version, CaseStatus.COURT_HEARING_SCHEDULED, None,
                    utcnow() - timedelta(hours=1), True, True, COURT, utcnow() + timedelta(days=20))
        code = invite_witness(officer, report, people["witness"].email)
        join_case(witness, code, number)
        hearing = db.session.scalar(select(TimelineEvent.id).where(
            TimelineEvent.report_id == report.id, TimelineEvent.reason_code == "court_hearing_scheduled"))
        confirm_availability(witness, report, hearing, False, "I am abroad that week.")
        send_witness_message(witness, report, "Is there somewhere quiet to wait?")
        send_victim_message(victim, report, "Is there any news?", False)
        ask_for_call(victim, report, "After 6pm, please.")
        service = make_service(make_organisation())
        referral = referrals.propose_referral(officer, report, service, "contact")
        tasks = {kind: db.session.scalar(select(Task.id).where(Task.report_id == report.id, Task.type == kind))
                 for kind in (TaskType.CALL_BACK, TaskType.WITNESS_CANNOT_ATTEND)}
        flagged = db.session.scalar(select(Report).where(Report.crime_number == waiting))
        flagged.safeguarding = True
        flagged.triage_due_at = utcnow() - timedelta(minutes=5)
        db.session.commit()
        world = {"number": number, "waiting": waiting, "hearing": hearing, "referral": referral.id, "tasks": tasks,
                 "people": people}
        db.session.remove()
    return world


def check_navigation(page: Page, role: Role, current: str | None) -> None:
    """The MoJ primary navigation offers the role's sections, and marks the one the page belongs to (if any)."""
    nav = page.get_by_role("navigation", name="Case work")
    expect(nav.get_by_role("link")).to_have_text(SECTIONS[role])
    marked = nav.locator('[aria-current="page"]')
    if current is None:
        expect(marked).to_have_count(0)
    else:
        expect(marked).to_have_count(1)
        expect(marked).to_have_text(current)


def check_scrolling_box(page: Page, table: str, too_wide: bool) -> None:
    """The table sits in a named region the keyboard reaches; one too wide for the screen scrolls there, not the
    page (Screen.check fails a page wider than the screen)."""
    box = page.locator(f".app-table-container:has({table})")
    expect(box).to_have_attribute("tabindex", "0")
    expect(box).to_have_attribute("role", "region")
    assert box.get_attribute("aria-label"), f"the box around {table} has no name"
    if too_wide:
        assert box.evaluate("e => e.scrollWidth > e.clientWidth"), f"{table} fits a phone: nothing to scroll"


def open_screen(context: BrowserContext, screen: str, prefix: str, account) -> Screen:
    """A signed-in tab whose pages are checked and kept as screenshots named after the screen and the role."""
    tab = Screen(context, FOLDER, f"{screen}-{prefix}", SCREENS[screen]["viewport"]["width"])
    staff_sign_in(tab.page, account)
    return tab


@pytest.mark.parametrize("screen", ["desktop", "phone"])
def test_an_officers_screens(app, new_context, make_account, screen):
    """The triage queue (filtered, sorted), the case, its decision, update, correction and enhanced-rights pages, its
    messages, witnesses, hearing and support pages, the task queue and a task."""
    world = the_world(app, make_account)
    number, phone = world["number"], screen == "phone"
    tab = open_screen(new_context(**SCREENS[screen]), screen, "officer", world["people"]["officer"])
    page = tab.page

    page.goto("/staff/triage")
    expect(heading(page)).to_have_text("Triage queue")
    check_navigation(page, Role.OFFICER, "Triage")
    rows = page.locator("#triage-queue tbody tr")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text(world["waiting"])
    expect(rows.first).to_contain_text("Overdue")
    expect(rows.first.locator(".moj-badge--red")).to_have_text("Safeguarding")
    tab.check("triage-queue")
    # The filters sit beside the results (above them on a phone); the server's order is the one marked.
    page.get_by_label("Status").select_option(label="All statuses")
    page.get_by_role("button", name="Apply filters").click()
    expect(rows).to_have_count(2)
    expect(page.locator("#triage-queue th[aria-sort='ascending']")).to_have_text("Triage")
    check_scrolling_box(page, "#triage-queue", phone)
    tab.check("triage-queue-all")
    page.locator("#triage-queue thead").get_by_role("button", name="Crime number").click()
    expect(page.locator("#triage-queue th[aria-sort='ascending']")).to_have_text("Crime number")
    shown = [rows.nth(i).locator("td").first.inner_text() for i in range(2)]
    assert shown == sorted(shown)

    page.goto(f"/staff/cases/{world['waiting']}")
    expect(heading(page)).to_have_text(f"Case {world['waiting']}")
    bar = page.locator("#case-identity")
    expect(bar).to_contain_text(world["waiting"])
    expect(bar).to_contain_text("Triage due")
    expect(bar.get_by_role("button", name="Claim this report")).to_be_visible()
    expect(bar.get_by_role("button", name="Record a triage decision")).to_be_visible()
    expect(page.locator("#case-flags")).to_contain_text("Safeguarding: do not contact without checking")
    check_navigation(page, Role.OFFICER, "Triage")
    tab.check("case-waiting")
    bar.get_by_role("button", name="Record a triage decision").click()
    expect(heading(page)).to_have_text("What is your decision?")
    tab.check("choose-decision")

    page.goto(f"/staff/cases/{number}")
    expect(heading(page)).to_have_text(f"Case {number}")
    bar = page.locator("#case-identity")
    expect(page.locator("#case-status")).to_have_text("Court hearing scheduled")
    expect(bar).to_contain_text("Named officer: PC 1234 Alex Morgan")
    expect(bar).to_contain_text("Response due")
    pages = page.get_by_role("navigation", name="Pages about this case")
    expect(pages.get_by_role("link")).to_have_text(["Case", "Messages 1 unread message", "Witnesses"])
    expect(pages.locator('[aria-current="page"]')).to_have_text("Case")
    history = page.locator("#case-history .moj-timeline")
    titles = history.locator(".moj-timeline__title")
    expect(titles.filter(has_text="A court hearing has been arranged")).to_have_count(1)
    expect(history).to_contain_text("He was charged this morning.")
    times = history.locator(".moj-timeline__date time").evaluate_all("ts => ts.map(t => t.dateTime)")
    assert len(times) > 3 and times == sorted(times, reverse=True), "the history is not newest first"
    check_navigation(page, Role.OFFICER, "Triage")
    tab.check("case")

    for link, title, name in (("Record a correction", "Record a correction", "correction"),
                              ("Enhanced rights", "Enhanced rights", "enhanced-rights"),
                              ("Post an update", "Post an update", "update"),
                              ("Suggest a referral", "Suggest a referral", "new-referral")):
        page.goto(f"/staff/cases/{number}")
        page.get_by_role("button", name=link).click()
        expect(heading(page)).to_have_text(title)
        check_navigation(page, Role.OFFICER, "Triage")
        tab.check(name)
    page.goto(f"/staff/cases/{number}/referrals/{world['referral']}/consent")
    expect(heading(page)).to_have_text("Record the victim’s consent")
    tab.check("record-consent")

    page.goto(f"/staff/cases/{number}")
    pages.get_by_role("link", name="Messages").click()
    expect(heading(page)).to_have_text(f"Messages on case {number}")
    expect(page.locator("#message-thread")).to_contain_text("Is there any news?")
    expect(pages.locator('[aria-current="page"]')).to_have_text("Messages")
    check_navigation(page, Role.OFFICER, "Triage")
    tab.check("messages")
    pages.get_by_role("link", name="Witnesses").click()
    expect(heading(page)).to_have_text("Witnesses")
    expect(pages.locator('[aria-current="page"]')).to_have_text("Witnesses")
    expect(page.locator("#witness-list")).to_contain_text("Court: cannot attend (I am abroad that week.)")
    check_navigation(page, Role.OFFICER, "Triage")
    tab.check("witnesses")
    page.get_by_role("link", name=f"Change the hearing at {COURT}").click()
    expect(heading(page)).to_have_text("Change the hearing")
    tab.check("change-hearing")

    page.goto("/staff/tasks/")
    expect(heading(page)).to_have_text("Tasks")
    check_navigation(page, Role.OFFICER, "Tasks")
    task_rows = page.locator("#task-queue tbody tr")
    expect(task_rows.filter(has_text=number)).to_have_count(2)  # the call back, and witness care's task
    expect(page.locator("#task-queue th[aria-sort='ascending']")).to_have_text("Due")
    check_scrolling_box(page, "#task-queue", phone)
    tab.check("task-queue")
    page.get_by_label("Type").select_option(label="Call back requested")
    page.get_by_role("button", name="Apply filters").click()
    expect(task_rows).to_have_count(1)
    task_rows.first.get_by_role("link", name="Call back requested").click()
    expect(heading(page)).to_have_text("Call back requested")
    expect(page.locator("main")).to_contain_text("After 6pm, please.")
    check_navigation(page, Role.OFFICER, "Tasks")
    tab.check("task")


@pytest.mark.parametrize("screen", ["desktop", "phone"])
def test_a_supervisors_screens(app, new_context, make_account, screen):
    """The queue and a case with the supervisor's navigation, assigning on the case, and performance."""
    world = the_world(app, make_account)
    tab = open_screen(new_context(**SCREENS[screen]), screen, "supervisor", world["people"]["supervisor"])
    page = tab.page

    page.goto("/staff/triage")
    check_navigation(page, Role.SUPERVISOR, "Triage")
    tab.check("triage-queue")
    page.goto(f"/staff/cases/{world['waiting']}")
    expect(page.get_by_label("Assign to an officer")).to_be_visible()
    check_navigation(page, Role.SUPERVISOR, "Triage")
    tab.check("case-waiting")
    page.get_by_role("navigation", name="Case work").get_by_role("link", name="Performance").click()
    expect(heading(page)).to_have_text("Victims’ Code compliance")
    check_navigation(page, Role.SUPERVISOR, "Performance")
    check_scrolling_box(page, "#compliance", False)
    tab.check("performance")
    page.get_by_role("navigation", name="Case work").get_by_role("link", name="Tasks").click()
    expect(heading(page)).to_have_text("Tasks")
    check_navigation(page, Role.SUPERVISOR, "Tasks")
    tab.check("task-queue")


@pytest.mark.parametrize("screen", ["desktop", "phone"])
def test_a_witness_care_officers_screens(app, new_context, make_account, screen):
    """Witness care's task queue and a task, the witnesses waiting for a reply, a witness's thread, the case's
    witnesses and changing a hearing."""
    world = the_world(app, make_account)
    number = world["number"]
    tab = open_screen(new_context(**SCREENS[screen]), screen, "witness-care", world["people"]["care"])
    page = tab.page

    page.goto("/staff/tasks/")
    expect(heading(page)).to_have_text("Tasks")
    check_navigation(page, Role.WITNESS_CARE, "Tasks")
    expect(page.locator("#witness-messages-waiting .moj-badge")).to_have_text("1 unread")
    rows = page.locator("#task-queue tbody tr")
    expect(rows).to_have_count(1)
    tab.check("task-queue")
    rows.first.get_by_role("link", name="A witness cannot attend a hearing").click()
    expect(page.locator("main")).to_contain_text("I am abroad that week.")
    check_navigation(page, Role.WITNESS_CARE, "Tasks")
    tab.check("task")
    page.get_by_role("link", name=number).click()
    expect(heading(page)).to_have_text("Witnesses")
    expect(page.get_by_role("navigation", name="Pages about this case")).to_have_count(0)
    expect(page.locator("#witness-list")).to_contain_text("1 unread")
    tab.check("witnesses")
    page.get_by_role("link", name=f"Change the hearing at {COURT}").click()
    expect(heading(page)).to_have_text("Change the hearing")
    tab.check("change-hearing")

    page.get_by_role("navigation", name="Case work").get_by_role("link", name="Witness messages").click()
    expect(heading(page)).to_have_text("Messages from witnesses")
    check_navigation(page, Role.WITNESS_CARE, "Witness messages")
    expect(page.locator("#waiting-threads tbody tr")).to_have_count(1)
    check_scrolling_box(page, "#waiting-threads", False)
    tab.check("witness-messages")
    page.get_by_role("link", name=world["people"]["witness"].email).click()
    expect(page.locator("#message-thread")).to_contain_text("Is there somewhere quiet to wait?")
    check_navigation(page, Role.WITNESS_CARE, "Witness messages")
    tab.check("witness-thread")
