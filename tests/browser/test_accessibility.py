"""axe (WCAG 2.2 A and AA) on every page, and the service without JavaScript."""

import re

import pytest
from flask import Flask
from playwright.sync_api import Page, expect

from portal.auth.access import PUBLIC, access_rule_for
from tests.browser.conftest import assert_accessible, heading, serve_fake_exit_site, sign_in

# Public pages that render without parameters or sign-in, and their main heading.
PUBLIC_PAGES = {
    "/": "Report a crime and get support",
    "/login": "Sign in",
    "/register": "Create an account",
    "/register/check-email": "Check your email",
    "/reset-password": "Reset your password",
    "/cookies": "Cookies",
    "/accessibility": "Accessibility statement",
    "/privacy": "Privacy notice",
    "/support/directory": "Find support services and groups",
    "/support/guides": "Guides: what to do after a crime",
    "/insight/public": "How the online reporting service is performing",
    "/track": "Follow your case",
    "/equality/report": "This link has expired",  # without a report just made in this browser
    "/feedback": "Give feedback on this service",
    "/feedback/thank-you": "Thank you for your feedback",
}
SIGNED_IN_PAGES = {
    "/account": "Your account",
    "/equality/": "Equality questions",
}


@pytest.mark.parametrize(("path", "title"), PUBLIC_PAGES.items(), ids=list(PUBLIC_PAGES))
def test_public_page_passes_axe(page: Page, path: str, title: str):
    """Each public page shows its heading and has no WCAG 2.2 A/AA violations."""
    response = page.goto(path)

    assert response is not None and response.status == 200
    expect(heading(page)).to_have_text(title)
    # The start page's title is the service's name alone; every other page's is "page – service".
    expect(page).to_have_title(title if path == "/" else re.compile(rf"^{re.escape(title)} – "))
    assert_accessible(page)


def test_not_found_page_passes_axe(page: Page):
    """An unknown address shows the GOV.UK 'Page not found' page, which passes axe."""
    response = page.goto("/no-such-page")

    assert response is not None and response.status == 404
    expect(heading(page)).to_have_text("Page not found")
    assert_accessible(page)


@pytest.mark.parametrize(("path", "title"), SIGNED_IN_PAGES.items(), ids=list(SIGNED_IN_PAGES))
def test_signed_in_page_passes_axe(page: Page, make_account, path: str, title: str):
    """Each signed-in victim page shows its heading and has no WCAG 2.2 A/AA violations."""
    victim = make_account()
    sign_in(page, victim.email, victim.password)
    expect(heading(page)).to_have_text("Your account")

    page.goto(path)

    expect(heading(page)).to_have_text(title)
    assert_accessible(page)


def test_every_public_page_is_checked(app: Flask):
    """Every public GET page without URL parameters is in PUBLIC_PAGES, so axe sees new pages too."""
    client = app.test_client()
    unchecked = []
    for rule in app.url_map.iter_rules():
        if rule.arguments or "GET" not in rule.methods or rule.rule in PUBLIC_PAGES:
            continue
        if access_rule_for(rule.endpoint, app.view_functions) != PUBLIC:
            continue
        response = client.get(rule.rule)
        if response.status_code == 200 and response.mimetype == "text/html":
            unchecked.append(rule.rule)
    assert not unchecked, f"add these pages to PUBLIC_PAGES in {__file__}: {unchecked}"


def test_start_page_and_exit_work_without_javascript(new_context, exit_url: str, live_server: str):
    """With JavaScript off, the start page shows 'Exit this page' as a link that still leaves the site."""
    context = new_context(java_script_enabled=False)
    serve_fake_exit_site(context, exit_url)
    page = context.new_page()

    page.goto("/")

    expect(heading(page)).to_have_text("Report a crime and get support")
    exit_button = page.get_by_role("button", name="Exit this page")
    expect(exit_button).to_be_visible()
    expect(exit_button).to_have_attribute("href", "/exit")
    exit_button.click()

    expect(page).to_have_url(exit_url)
    expect(heading(page)).to_have_text("Weather")


def test_victim_signs_in_without_javascript(new_context, make_account, live_server: str):
    """With JavaScript off, a victim sees form errors, then signs in and reaches their account."""
    victim = make_account()
    page = new_context(java_script_enabled=False).new_page()

    page.goto("/login")
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_title(re.compile(r"^Error: Sign in"))
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter your email address")

    page.get_by_label("Email address").fill(victim.email)
    page.get_by_label("Password", exact=True).fill(victim.password)
    page.get_by_role("button", name="Sign in").click()

    expect(page).to_have_url(f"{live_server}/account")
    expect(heading(page)).to_have_text("Your account")
    expect(page.get_by_text(f"You are signed in as {victim.email}.")).to_be_visible()

    page.get_by_role("main").get_by_role("button", name="Sign out", exact=True).click()
    expect(page.get_by_role("alert")).to_contain_text("You have signed out.")


def test_feedback_from_the_banner_with_an_error_then_sent(page: Page):
    """The banner's feedback link opens the form; leaving out the rating shows GOV.UK's error, which passes axe;
    choosing one (and typing a comment, counted as it is typed) sends it and thanks the person."""
    page.goto("/track")
    page.locator(".govuk-phase-banner").get_by_role("link", name="feedback").click()
    expect(heading(page)).to_have_text("Give feedback on this service")
    assert page.url.endswith("/feedback?from=/track")

    page.get_by_role("button", name="Send feedback").click()
    expect(page).to_have_title(re.compile(r"^Error: Give feedback on this service"))
    expect(page.locator(".govuk-error-summary")).to_contain_text("Select how you felt about the service")
    assert_accessible(page)

    page.get_by_label("Satisfied", exact=True).check()
    page.get_by_label("How could we improve this service? (optional)").fill("Quicker replies, please.")
    expect(page.locator(".govuk-character-count__status")).to_contain_text("characters remaining")
    page.get_by_role("button", name="Send feedback").click()
    expect(heading(page)).to_have_text("Thank you for your feedback")
    assert_accessible(page)
