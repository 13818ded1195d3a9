"""The insight dashboard in a real browser: a supervisor filters it and downloads a CSV, every page passes axe,
the published summary renders, and a screenshot of the charts is kept under test-artifacts/."""

import re
from datetime import timedelta
from pathlib import Path

from playwright.sync_api import Page, expect

from portal.auth.roles import Role
from portal.clock import utcnow
from portal.extensions import db
from portal.insight.refresh import refresh
from tests.browser.conftest import assert_accessible, heading
from tests.browser.test_following_a_case import staff_sign_in
from tests.integration.test_insight import (
    add_check_ins,
    add_equality,
    add_referrals,
    add_reports,
    add_surveys,
    organisation_and_service,
)
from tests.paths import ARTIFACTS

ARTIFACTS = ARTIFACTS


def _data(app) -> None:
    """Enough people in three boroughs for real charts, with one small borough that must stay hidden. Made last
    month, so the published summary (the 12 whole months before this one) has them too."""
    last_month = utcnow().replace(day=1, hour=12) - timedelta(days=10)
    with app.app_context():
        organisation = organisation_and_service()
        for borough, count, late in (("Camden", 30, 6), ("Hackney", 24, 2), ("Lambeth", 18, 9), ("Sutton", 4, 0)):
            on_time = add_reports(count - late, borough=borough, triage_minutes=20, response_hours=10,
                                  submitted=last_month)
            add_reports(late, borough=borough, category="theft", triage_minutes=70, response_hours=60,
                        would_have_reported="no", submitted=last_month)
            add_surveys(on_time[: count // 2], overall=5, kept_informed=4, treated_fairly=5, ease_of_reporting=4)
            add_surveys(on_time[count // 2:], overall=2, kept_informed=3, treated_fairly=4, ease_of_reporting=5)
            add_equality(report_ids=on_time[:6], disability="yes")
            add_equality(report_ids=on_time[6:], disability="no")
            referrals = add_referrals(on_time[:12], organisation, level="peer" if borough == "Camden" else "contact",
                                      accept_hours=5, contact_hours=20)
            add_check_ins(referrals, start=(2, 2, 3, 2, 2), end=(4, 3, 3, 3, 4) if borough == "Camden"
                          else (2, 3, 3, 2, 2))
        add_reports(12, borough="Camden", submitted=utcnow() - timedelta(days=60), triage_minutes=10)
        refresh(everything=True)  # the scheduled job that works out the figures the pages read
        db.session.remove()


def test_a_supervisor_filters_the_dashboard_and_downloads_a_csv(app, page: Page, make_account):
    _data(app)
    supervisor = make_account(Role.SUPERVISOR)
    staff_sign_in(page, supervisor)

    page.goto("/insight/")
    expect(heading(page)).to_have_text("Service levels")
    expect(page.locator("#table-triage-by-borough")).to_contain_text("Sutton")
    expect(page.locator("#table-triage-by-borough")).to_contain_text("fewer than 10")
    assert_accessible(page)
    ARTIFACTS.mkdir(exist_ok=True)
    page.locator("#figure-triage-by-borough").screenshot(path=str(ARTIFACTS / "insight-triage-by-borough.png"))

    page.get_by_label("Borough", exact=True).select_option("Hackney")
    page.get_by_role("button", name="Apply filters").click()
    expect(page).to_have_url(re.compile(r"/insight/\?.*borough=Hackney"))
    rows = page.locator("#table-triage-by-borough tbody tr")
    expect(rows).to_have_count(2)  # All, and Hackney
    expect(page.locator("#table-triage-by-borough")).to_contain_text("24")
    expect(page.locator("#table-triage-by-borough")).not_to_contain_text("Camden")
    assert_accessible(page)

    with page.expect_download() as download_info:
        page.locator("#csv-triage-by-borough").click()
    download = download_info.value
    assert download.failure() is None
    assert download.suggested_filename == "triage-by-borough.csv"
    text = Path(download.path()).read_text(encoding="utf-8")
    assert text.splitlines() == ["Borough,Reports,Triaged within 45 minutes (%)", "All,24,91.7", "Hackney,24,91.7"]

    # A month that does not exist is explained, not a crash.
    page.locator("#date_from-month").fill("13")
    page.locator("#date_from-year").fill("2026")
    page.get_by_role("button", name="Apply filters").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("The start date must be a real date")
    assert_accessible(page)

    page.goto("/insight/demand")
    expect(heading(page)).to_have_text("Demand")
    assert_accessible(page)
    page.goto("/insight/witnesses")
    expect(heading(page)).to_have_text("Witnesses")
    assert_accessible(page)
    page.goto("/insight/experience")
    expect(heading(page)).to_have_text("Experience and outcomes")
    assert_accessible(page)
    page.get_by_role("link", name="Disability").click()
    expect(page.locator("#table-satisfaction-by-disability")).to_contain_text("percentage points")
    assert_accessible(page)
    page.locator("#figure-satisfaction-by-disability").screenshot(
        path=str(ARTIFACTS / "insight-satisfaction-by-disability.png"))
    page.locator("#figure-coping-change-peer-vs-other").screenshot(
        path=str(ARTIFACTS / "insight-coping-peer-vs-other.png"))


def test_the_published_summary_renders_for_anyone(app, page: Page):
    _data(app)
    page.goto("/insight/public")
    expect(heading(page)).to_have_text("How the online reporting service is performing")
    expect(page.locator("#table-satisfaction-by-borough")).to_contain_text("Camden")
    expect(page.locator("#table-satisfaction-by-borough")).to_contain_text("fewer than 10")
    assert_accessible(page)
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "insight-public.png"), full_page=True)
