"""Account journeys in a real browser: register, verify by email, sign in and out, staff codes, errors."""

import re

import pyotp
from playwright.sync_api import Page, expect

from portal.auth.roles import Role
from tests.browser.conftest import assert_accessible, first_link, heading, sign_in

NEW_PASSWORD = "correct horse battery staple"


def test_register_confirm_email_sign_in_and_sign_out(page: Page, live_server: str, read_email):
    """A victim registers, confirms through the emailed link, signs in, and signs out from the header."""
    address = "new.victim@example.org"
    page.goto("/")
    expect(heading(page)).to_have_text("Report a crime and get support")
    page.get_by_role("link", name="create an account").click()

    expect(heading(page)).to_have_text("Create an account")
    assert_accessible(page)
    page.get_by_label("Email address").fill(address)
    page.get_by_label("Create a password").fill(NEW_PASSWORD)
    page.get_by_label("Confirm your password").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Create account").click()

    expect(heading(page)).to_have_text("Check your email")
    expect(page.get_by_text(address)).to_be_visible()
    assert_accessible(page)

    message = read_email(address)
    assert message["Subject"] == "Confirm your email address"
    link = first_link(message)
    assert link.startswith(f"{live_server}/verify-email/")

    page.goto(link)
    expect(page).to_have_url(f"{live_server}/login")
    expect(heading(page)).to_have_text("Sign in")
    expect(page.get_by_role("alert")).to_contain_text("Your email address is confirmed. You can now sign in.")
    assert_accessible(page)

    page.get_by_label("Email address").fill(address)
    page.get_by_label("Password", exact=True).fill(NEW_PASSWORD)
    page.get_by_role("button", name="Sign in").click()

    expect(page).to_have_url(f"{live_server}/account")
    expect(heading(page)).to_have_text("Your account")
    expect(page.get_by_text(f"You are signed in as {address}.")).to_be_visible()
    assert_accessible(page)

    page.get_by_label("Service information").get_by_role("button", name="Sign out").click()

    expect(page).to_have_url(f"{live_server}/login")
    expect(heading(page)).to_have_text("Sign in")
    expect(page.get_by_role("alert")).to_contain_text("You have signed out.")
    expect(page.get_by_label("Service information").get_by_role("link", name="Sign in")).to_be_visible()
    assert_accessible(page)

    page.goto("/account")
    expect(page).to_have_url(re.compile(r"/login\?next=(/|%2F)account$"))
    expect(heading(page)).to_have_text("Sign in")


def test_confirmation_link_works_only_once(page: Page, read_email):
    """Opening a used confirmation link again shows a calm 'link expired' page, which passes axe."""
    address = "twice@example.org"
    page.goto("/register")
    page.get_by_label("Email address").fill(address)
    page.get_by_label("Create a password").fill(NEW_PASSWORD)
    page.get_by_label("Confirm your password").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Create account").click()
    expect(heading(page)).to_have_text("Check your email")
    link = first_link(read_email(address))

    page.goto(link)
    expect(page.get_by_role("alert")).to_contain_text("Your email address is confirmed")
    response = page.goto(link)

    assert response is not None and response.status == 400
    expect(page.get_by_text("This link has expired or has already been used")).to_be_visible()
    assert_accessible(page)


def test_officer_signs_in_with_an_authenticator_code(page: Page, live_server: str, make_account):
    """An officer gives email and password, then a TOTP code, and reaches their account."""
    officer = make_account(Role.OFFICER)
    sign_in(page, officer.email, officer.password)

    expect(page).to_have_url(f"{live_server}/login/code")
    expect(heading(page)).to_have_text("Enter your security code")
    expect(page.locator(".app-qr-code")).to_have_count(0)
    assert_accessible(page)

    page.get_by_label("Security code").fill(pyotp.TOTP(officer.totp_secret).now())
    page.get_by_role("button", name="Continue").click()

    expect(page).to_have_url(f"{live_server}/account")
    expect(heading(page)).to_have_text("Your account")
    expect(page.get_by_text(f"You are signed in as {officer.email}.")).to_be_visible()
    # Staff pages do not offer "Exit this page".
    expect(page.get_by_role("button", name="Exit this page")).to_have_count(0)
    assert_accessible(page)


def test_officer_with_a_wrong_code_stays_on_the_code_page(page: Page, live_server: str, make_account):
    """A wrong security code shows an error on the code page, which passes axe."""
    officer = make_account(Role.OFFICER)
    sign_in(page, officer.email, officer.password)
    expect(heading(page)).to_have_text("Enter your security code")

    page.get_by_label("Security code").fill("000000" if pyotp.TOTP(officer.totp_secret).now() != "000000"
                                            else "111111")
    page.get_by_role("button", name="Continue").click()

    expect(page).to_have_title(re.compile(r"^Error: Enter your security code"))
    expect(page.locator(".govuk-error-summary")).to_contain_text(
        "The security code is not correct. Enter the 6-digit code from your authenticator app")
    expect(page.locator("#code-error")).to_contain_text("The security code is not correct")
    assert_accessible(page)


def test_officer_without_a_confirmed_app_sees_the_set_up_page(page: Page, live_server: str, make_account):
    """An officer who has not set up TOTP sees the QR code and key, can finish set-up, and axe passes."""
    officer = make_account(Role.OFFICER, totp_confirmed_at=None)
    sign_in(page, officer.email, officer.password)

    expect(page).to_have_url(f"{live_server}/login/code")
    expect(heading(page)).to_have_text("Set up your authenticator app")
    qr_code = page.locator(".app-qr-code svg")
    expect(qr_code).to_be_visible()
    expect(qr_code.locator("title")).to_have_text("QR code for your authenticator app")
    expect(page.get_by_text(officer.totp_secret)).to_be_visible()
    assert_accessible(page)

    page.get_by_label("Security code").fill(pyotp.TOTP(officer.totp_secret).now())
    page.get_by_role("button", name="Continue").click()

    expect(heading(page)).to_have_text("Your account")


def test_empty_sign_in_form_shows_the_error_summary(page: Page, live_server: str):
    """Sending the sign-in form empty shows a GOV.UK error summary that links to each field."""
    page.goto("/login")
    page.get_by_role("button", name="Sign in").click()

    expect(page).to_have_title(re.compile(r"^Error: Sign in"))
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_be_focused()
    expect(summary.get_by_role("heading")).to_have_text("There is a problem")
    email_link = summary.get_by_role("link", name="Enter your email address")
    password_link = summary.get_by_role("link", name="Enter your password")
    expect(email_link).to_have_attribute("href", "#email")
    expect(password_link).to_have_attribute("href", "#password")
    expect(page.locator("#email-error")).to_contain_text("Enter your email address")
    expect(page.locator("#password-error")).to_contain_text("Enter your password")
    assert_accessible(page)

    password_link.click()
    expect(page.get_by_label("Password", exact=True)).to_be_focused()
    email_link.click()
    expect(page.get_by_label("Email address")).to_be_focused()


def test_wrong_password_gives_one_generic_error(page: Page, live_server: str, make_account):
    """A wrong password gets the same message as an unknown email, and the page passes axe."""
    victim = make_account()
    sign_in(page, victim.email, "not-the-right-password")

    expect(page).to_have_title(re.compile(r"^Error: "))
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter a correct email address and password")
    expect(page.get_by_label("Email address")).to_have_value(victim.email)
    assert_accessible(page)
