"""The partner, admin and insight screens as case-work tools (issue 22), at a phone's and a computer's width.

A partner, an administrator and a commissioner each sign in and visit every one of their screens: the primary
navigation offers only their sections and marks the current one; the partner's inbox is MoJ's filter layout with
its lists' sizes as badges, a referral opens with MoJ's identity bar and its history as MoJ's timeline; admin and
insight pages carry MoJ sub navigation between their sections. Every page passes axe (WCAG 2.2 A and AA) and the
page checks, is no wider than the screen (a wide table scrolls in its own box) and is kept as a screenshot under
test-artifacts/partner-admin-insight-screens/."""

import re
from datetime import timedelta

import pyotp
from playwright.sync_api import BrowserContext, Page, expect
from sqlalchemy import select

from portal.auth.models import User
from portal.auth.roles import Role
from portal.cases.models import Report
from portal.clock import utcnow
from portal.extensions import db
from portal.insight.refresh import refresh
from portal.support import referrals
from portal.support.models import Referral, SupportService
from tests.browser.conftest import heading, sign_in
from tests.browser.screens import SCREENS, Screen
from tests.integration.test_insight import add_referrals, add_reports, add_surveys, organisation_and_service
from tests.paths import ARTIFACTS
from tests.support_helpers import make_organisation, make_peer_group, make_service
from tests.triage_helpers import make_report

FOLDER = ARTIFACTS / "partner-admin-insight-screens"
CHARITY = "Camden Victim Support"
ALL_SCOPES = ["category_and_dates", "contact_details", "description"]


# --- Helpers -------------------------------------------------------------------------------------------------


def signed_in_everywhere(new_context, account) -> dict[str, BrowserContext]:
    """A browser context for each screen size, all signed in as the account. The code is entered once: a sign-in
    code cannot be used twice, so the phone's context starts from the computer's cookies."""
    desktop = new_context(**SCREENS["desktop"])
    page = desktop.new_page()
    sign_in(page, account.email, account.password)
    expect(heading(page)).to_have_text("Enter your security code")
    page.get_by_label("Security code").fill(pyotp.TOTP(account.totp_secret).now())
    page.get_by_role("button", name="Continue").click()
    expect(heading(page)).to_have_text("Your account")
    page.close()
    return {"desktop": desktop, "phone": new_context(storage_state=desktop.storage_state(), **SCREENS["phone"])}


def screens(contexts: dict[str, BrowserContext], role: str):
    """(screen, width name) for each size, each screen's pages checked and kept as screenshots."""
    for name, context in contexts.items():
        yield Screen(context, FOLDER, f"{role}-{name}", SCREENS[name]["viewport"]["width"]), name


def visit(screen: Screen, path: str, title: str, name: str) -> Page:
    """Open a page, check its heading, then check it at this width and keep its screenshot."""
    page = screen.page
    response = page.goto(path)
    assert response is not None and response.status == 200, f"{path}: {response and response.status}"
    expect(heading(page)).to_have_text(title)
    screen.check(name)
    return page


def primary_navigation(page: Page) -> tuple[list[str], list[str]]:
    """The primary navigation's sections, and the one (or ones) marked as the current page."""
    nav = page.get_by_role("navigation", name="Case work")
    sections = [text.strip() for text in nav.get_by_role("link").all_inner_texts()]
    current = [text.strip() for text in nav.locator('a[aria-current="page"]').all_inner_texts()]
    return sections, current


def assert_section(page: Page, sections: list[str], current: str) -> None:
    assert primary_navigation(page) == (sections, [current]), page.url


def assert_sub_navigation(page: Page, label: str, current: str) -> None:
    """MoJ sub navigation named `label`, with `current` (only) marked as the page."""
    nav = page.get_by_role("navigation", name=label, exact=True)
    expect(nav).to_have_class(re.compile(r"(^|\s)moj-sub-navigation(\s|$)"))
    marked = [text.strip() for text in nav.locator('a[aria-current="page"]').all_inner_texts()]
    assert marked == [current], f"{page.url}: {marked}"


def assert_table_scrolls_in_its_box(page: Page, table_id: str, width: int) -> None:
    """The table sits in a keyboard-reachable box no wider than the screen; on a phone the box, not the page,
    scrolls when the table is wider."""
    box = page.locator(f".app-table-container:has(> #{table_id})")
    expect(box).to_have_attribute("tabindex", "0")
    sizes = box.evaluate("b => ({right: b.getBoundingClientRect().right, client: b.clientWidth,"
                         " scroll: b.scrollWidth, overflow: getComputedStyle(b).overflowX})")
    assert sizes["right"] <= width + 0.5 and sizes["overflow"] == "auto", sizes


# --- The partner -----------------------------------------------------------------------------------------------


def _partner_world(app, victim, partner) -> dict:
    """A charity with a service and a group; a new referral whose first contact is overdue, and one accepted with
    a contact attempt in its history."""
    with app.app_context():
        charity = make_organisation(CHARITY)
        service = make_service(charity, "Support after theft")
        group = make_peer_group(charity, "Tuesday evening peer group", schedule_freq="WEEKLY", schedule_byday="TU")
        db.session.get(User, partner.id).organisation_id = charity.id
        db.session.commit()
        ids = {"service": service.id, "group": group.id}
        owner = db.session.get(User, victim.id)
        db.session.expunge(owner)
    numbers = [make_report(app, user=owner, contact_phone="07700 900123",
                           description="Someone cut the lock and took my blue bike.") for _ in range(2)]
    with app.app_context():
        owner = db.session.get(User, victim.id)
        staff = db.session.get(User, partner.id)
        made = []
        for number in numbers:
            report = db.session.scalar(select(Report).where(Report.crime_number == number))
            made.append(referrals.refer_with_consent(owner, report, db.session.get(SupportService, ids["service"]),
                                                     "contact", ALL_SCOPES))
        late, working = made
        late.first_contact_due_at = utcnow() - timedelta(hours=2)
        db.session.commit()
        referrals.accept(staff, working, working.version)
        referrals.record_contact(staff, working, working.version, "no_answer",
                                 "Rang at 6pm as they asked.\nNo answer; will try again tomorrow morning.")
        ids.update(late=late.reference, working=working.reference)
        assert db.session.scalar(select(Referral.status).where(Referral.reference == working.reference)).value \
            == "accepted"
        db.session.remove()
    return ids


def test_a_partner_works_referrals_and_services_at_both_widths(app, new_context, make_account):
    victim, partner = make_account(Role.VICTIM), make_account(Role.PARTNER)
    ids = _partner_world(app, victim, partner)
    sections = ["Referrals", "Services", "Peer support", "Peer concerns"]

    for screen, size in screens(signed_in_everywhere(new_context, partner), "partner"):
        width = screen.width
        page = visit(screen, "/partner/referrals", "Referrals", "inbox-new")
        assert_section(page, sections, "Referrals")
        lists = page.get_by_role("navigation", name="Referral lists")
        expect(lists.locator('a[aria-current="page"]')).to_have_text("New 1 referral")
        expect(page.locator("#count-overdue")).to_have_class("moj-badge moj-badge--red")
        expect(page.locator("#count-closed")).to_have_class("moj-badge moj-badge--grey")
        expect(page.locator("#referrals tbody tr")).to_have_count(1)
        expect(page.locator("#referrals").get_by_text("Overdue", exact=True)).to_have_class(
            "moj-badge moj-badge--red")
        # MoJ's sortable table: the headings become buttons that sort the rows.
        expect(page.locator("#referrals thead button")).to_have_count(5)
        assert_table_scrolls_in_its_box(page, "referrals", width)
        if size == "phone":  # the filter pane sits above the results, not over them
            pane = page.locator(".moj-filter-layout__filter").bounding_box()
            results = page.locator(".moj-filter-layout__content").bounding_box()
            assert pane["y"] + pane["height"] <= results["y"] + 1 and pane["x"] + pane["width"] <= width + 0.5

        page = visit(screen, "/partner/referrals?view=overdue", "Referrals", "inbox-overdue")
        expect(page.locator("#referrals tbody tr")).to_have_count(1)
        page = visit(screen, "/partner/referrals?view=open", "Referrals", "inbox-open")
        expect(page.locator("#referrals tbody tr")).to_have_count(1)
        visit(screen, "/partner/referrals?view=closed", "Referrals", "inbox-closed-empty")
        expect(page.locator("#no-referrals")).to_be_visible()

        page = visit(screen, f"/partner/referrals/{ids['late']}", f"Referral {ids['late']}", "referral-new")
        assert_section(page, sections, "Referrals")
        bar = page.locator("#referral-bar")
        expect(bar).to_have_class("moj-identity-bar app-referral-bar")
        for words in (ids["late"], "Support after theft", "New", "First contact overdue"):
            expect(bar).to_contain_text(words)
        expect(bar.get_by_role("button", name="Accept referral")).to_be_visible()
        expect(bar.get_by_role("button", name="Decline")).to_be_visible()

        page = visit(screen, f"/partner/referrals/{ids['late']}/decline", "Decline this referral", "decline")
        expect(page.locator("#referral-bar")).to_contain_text(ids["late"])
        page.get_by_role("button", name="Decline referral").click()
        expect(page.locator(".govuk-error-summary")).to_be_visible()
        screen.check("decline-errors")

        page = visit(screen, f"/partner/referrals/{ids['working']}", f"Referral {ids['working']}",
                     "referral-accepted")
        expect(page.locator("#referral-status")).to_have_text("Accepted")
        timeline = page.locator("#history .moj-timeline__item")
        expect(timeline).to_have_count(3)  # newest first: the attempt, accepted, sent to you
        expect(timeline.first).to_contain_text("Contact attempt: No answer")
        expect(timeline.first).to_contain_text("will try again tomorrow morning")
        expect(timeline.last).to_contain_text("Sent to you")
        expect(page.locator("#referral-bar").get_by_role("button", name="Close referral")).to_be_visible()

        visit(screen, f"/partner/referrals/{ids['working']}/close", "Close this referral", "close")
        visit(screen, f"/partner/referrals/{ids['working']}/concern", "Raise a safeguarding concern", "concern")

        page = visit(screen, "/partner/services", "Services and groups", "services")
        assert_section(page, sections, "Services")
        expect(page.locator("#services tbody tr")).to_have_count(2)
        assert_table_scrolls_in_its_box(page, "services", width)
        page = visit(screen, "/partner/services/new", "Add a service or group", "service-new")
        assert_section(page, sections, "Services")
        visit(screen, f"/partner/services/{ids['group']}/edit", "Change Tuesday evening peer group", "service-edit")


# --- The administrator -------------------------------------------------------------------------------------------


def test_an_administrator_visits_every_admin_screen_at_both_widths(app, new_context, make_account):
    admin = make_account(Role.ADMIN, display_name="Ada Admin")
    make_account(Role.OFFICER, display_name="Sam Officer")
    partner = make_account(Role.PARTNER, display_name="Jo Partner")
    make_account(Role.PARTNER, email="not.linked.yet@charity.example.org")
    with app.app_context():
        charity = make_organisation("Islington Support Line with a long name for a narrow screen")
        make_organisation("Lapsed Trust", accredited=False)
        db.session.get(User, partner.id).organisation_id = charity.id
        db.session.commit()
        charity_id = charity.id
        db.session.remove()
    sections = ["Accounts"]

    for screen, _size in screens(signed_in_everywhere(new_context, admin), "admin"):
        width = screen.width
        page = visit(screen, "/admin/", "Administration", "index")
        assert_section(page, sections, "Accounts")
        expect(page.get_by_role("navigation", name="Administration", exact=True)
               .locator('a[aria-current="page"]')).to_have_count(0)

        for path, title, current, table in (
                ("/admin/staff", "Staff accounts", "Staff", "staff-accounts"),
                ("/admin/partners", "Partner accounts", "Partners", "partners"),
                ("/admin/organisations", "Support organisations", "Organisations", "organisations"),
                ("/admin/categories", "Crime categories and diversion rules", "Categories", "categories")):
            page = visit(screen, path, title, current.lower())
            assert_section(page, sections, "Accounts")
            assert_sub_navigation(page, "Administration", current)
            assert_table_scrolls_in_its_box(page, table, width)

        page = visit(screen, "/admin/staff", "Staff accounts", "staff-again")
        row = page.locator("#staff-accounts tbody tr", has_text="Sam Officer")
        expect(row.get_by_role("button", name="Deactivate")).to_be_visible()
        expect(row.get_by_role("button", name="Sign out everywhere")).to_be_visible()
        page = visit(screen, "/admin/partners", "Partner accounts", "partners-again")
        expect(page.locator("#partners tbody tr", has_text="not.linked.yet")).to_contain_text("Not linked")

        visit(screen, "/admin/staff/new", "Create a staff account", "staff-new")
        visit(screen, "/admin/partners/new", "Create a partner account", "partner-new")
        visit(screen, "/admin/organisations/new", "Add an organisation", "organisation-new")
        visit(screen, f"/admin/organisations/{charity_id}/edit",
              "Change Islington Support Line with a long name for a narrow screen", "organisation-edit")
        page = visit(screen, "/admin/categories", "Crime categories and diversion rules", "categories-again")
        page.locator("#categories tbody tr").first.get_by_role("link", name="Change").click()
        expect(heading(page)).to_have_text("Change a category")
        screen.check("category-edit")
        assert_section(page, sections, "Accounts")


# --- The commissioner ---------------------------------------------------------------------------------------------


def _insight_data(app) -> None:
    """Last month's reports in two boroughs large enough to show and one too small, with surveys and referrals."""
    last_month = utcnow().replace(day=1, hour=12) - timedelta(days=10)
    with app.app_context():
        organisation = organisation_and_service()
        for borough, count in (("Camden", 16), ("Hackney", 12), ("Sutton", 3)):
            reports = add_reports(count, borough=borough, triage_minutes=30, response_hours=20, submitted=last_month)
            add_surveys(reports, overall=4, kept_informed=4, treated_fairly=5, ease_of_reporting=4)
            add_referrals(reports[:10], organisation, accept_hours=5, contact_hours=20)
        refresh(everything=True)
        db.session.remove()


INSIGHT_PAGES = [("/insight/", "Service levels", "service"), ("/insight/demand", "Demand", "demand"),
                 ("/insight/experience", "Experience and outcomes", "experience"),
                 ("/insight/requests", "Requests", "requests"), ("/insight/witnesses", "Witnesses", "witnesses")]


def test_a_commissioner_reads_every_insight_page_at_both_widths(app, new_context, make_account):
    _insight_data(app)
    commissioner = make_account(Role.COMMISSIONER)

    for screen, _size in screens(signed_in_everywhere(new_context, commissioner), "commissioner"):
        width = screen.width
        for path, title, name in INSIGHT_PAGES:
            page = visit(screen, path, title, name)
            assert_section(page, ["Insight"], "Insight")
            assert_sub_navigation(page, "Insight pages", title)
            expect(page.locator("#published-summary a")).to_have_attribute("href", "/insight/public")
        page = visit(screen, "/insight/", "Service levels", "service-again")
        expect(page.locator("#table-triage-by-borough")).to_contain_text("fewer than 10")
        assert_table_scrolls_in_its_box(page, "table-triage-by-borough", width)
        page = visit(screen, "/insight/experience?by=disability", "Experience and outcomes", "experience-disability")
        assert_sub_navigation(page, "Break down by", "Disability")

    for name, options in SCREENS.items():  # the published summary, for anyone
        screen = Screen(new_context(**options), FOLDER, f"public-{name}", options["viewport"]["width"])
        page = visit(screen, "/insight/public", "How the online reporting service is performing", "published")
        expect(page.get_by_role("navigation", name="Case work")).to_have_count(0)
        expect(page.locator("#table-satisfaction-by-borough")).to_contain_text("Camden")
        assert_table_scrolls_in_its_box(page, "table-satisfaction-by-borough", screen.width)
