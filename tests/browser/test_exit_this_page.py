"""GOV.UK 'Exit this page': the button, three Shift presses, the skip link, and the session it ends."""

import re

from playwright.sync_api import Page, expect

from tests.browser.conftest import heading, sign_in


def _record_requests(page: Page) -> list[str]:
    """Collect the URL of every request the page makes, in order."""
    urls: list[str] = []
    page.on("request", lambda request: urls.append(request.url))
    return urls


def test_exit_button_leaves_through_the_exit_route(page: Page, live_server: str, fake_exit_site: str):
    """Clicking 'Exit this page' goes through /exit to the neutral site."""
    requests = _record_requests(page)
    page.goto("/")
    expect(heading(page)).to_have_text("Report a crime and get support")

    page.get_by_role("button", name="Exit this page").click()

    expect(page).to_have_url(fake_exit_site)
    expect(heading(page)).to_have_text("Weather")
    assert f"{live_server}/exit" in requests


def test_three_shift_presses_exit(page: Page, live_server: str, fake_exit_site: str):
    """Pressing Shift three times counts down out loud and then leaves through /exit."""
    requests = _record_requests(page)
    page.goto("/")
    expect(heading(page)).to_have_text("Report a crime and get support")
    status = page.locator(".govuk-exit-this-page").get_by_role("status")

    page.keyboard.press("Shift")
    expect(status).to_have_text("Shift, press 2 more times to exit.")
    page.keyboard.press("Shift")
    expect(status).to_have_text("Shift, press 1 more time to exit.")
    page.keyboard.press("Shift")

    expect(page).to_have_url(fake_exit_site)
    expect(heading(page)).to_have_text("Weather")
    assert f"{live_server}/exit" in requests


def test_exit_ends_a_signed_in_session(page: Page, live_server: str, fake_exit_site: str, make_account):
    """After a signed-in victim exits, going back to /account asks them to sign in again."""
    victim = make_account()
    sign_in(page, victim.email, victim.password)
    expect(heading(page)).to_have_text("Your account")

    page.get_by_role("button", name="Exit this page").click()
    expect(page).to_have_url(fake_exit_site)

    page.goto(f"{live_server}/account")
    expect(page).to_have_url(re.compile(rf"^{re.escape(live_server)}/login\?next=(/|%2F)account$"))
    expect(heading(page)).to_have_text("Sign in")
    expect(page.get_by_role("link", name="Sign in")).to_be_visible()


def test_exit_skip_link_is_the_second_tab_stop(page: Page, fake_exit_site: str):
    """From the top of the page, the second Tab reaches the 'Exit this page' skip link, and Enter exits."""
    page.goto("/")
    expect(heading(page)).to_have_text("Report a crime and get support")

    page.keyboard.press("Tab")
    expect(page.get_by_role("link", name="Skip to main content")).to_be_focused()
    page.keyboard.press("Tab")
    skip_link = page.get_by_role("link", name="Exit this page")
    expect(skip_link).to_be_focused()
    expect(skip_link).to_be_visible()  # GOV.UK skip links appear when focused

    page.keyboard.press("Enter")
    expect(page).to_have_url(fake_exit_site)
    expect(heading(page)).to_have_text("Weather")
