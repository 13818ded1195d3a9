"""The whole bicycle-theft journey and the case pages in Polish and in Arabic, in Chromium.

On every page: the language and direction are right, axe finds no WCAG 2.2 A/AA violation, and a full-page
screenshot is saved under test-artifacts/languages/ (for people to check the right-to-left layout by eye).
Answers are given by field name, so the journey does not depend on the words on the page.
"""

import re

import pytest
from playwright.sync_api import Page

from portal.auth.roles import Role
from tests.browser.conftest import assert_accessible, sign_in
from tests.paths import ARTIFACTS
from tests.wizard import BIKE_THEFT

ARTEFACTS = ARTIFACTS / "languages"
CRIME_NUMBER = re.compile(r"^CR-\d{2}-\d{7}-[A-Z]$")


def check_and_keep(page: Page, language: str, direction: str, name: str) -> None:
    """The page is in the language, runs the right way, passes axe, and is kept as a screenshot."""
    assert page.evaluate("document.documentElement.lang") == language, page.url
    assert page.evaluate("getComputedStyle(document.body).direction") == direction, page.url
    assert page.evaluate("document.documentElement.getAttribute('dir')") == direction
    assert_accessible(page)
    ARTEFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTEFACTS / f"{language}-{name}.png"), full_page=True)


def answer_by_name(page: Page, data: dict) -> None:
    """Give the answers on the current question page, then send it."""
    for name, value in data.items():
        if name == "action":
            continue
        values = value if isinstance(value, list) else [value]
        field = page.locator(f'main [name="{name}"]').first
        kind = field.evaluate("element => element.type || element.tagName.toLowerCase()")
        if kind in ("radio", "checkbox"):
            for each in values:
                page.locator(f'main input[name="{name}"][value="{each}"]').check()
        elif kind.startswith("select"):
            field.select_option(value)
        else:
            field.fill(value)
    if "action" in data:  # a form whose hidden "action" says what its button does
        form = page.locator(f'main form:has(input[name="action"][value="{data["action"]}"])')
        form.locator("button[type=submit]").click()
    else:
        page.locator("main form button[type=submit]").last.click()


@pytest.mark.parametrize(("language", "direction", "interpreter"),
                         [("pl", "ltr", "Polish"), ("ar", "rtl", "Arabic")])
def test_a_victim_reports_a_bicycle_theft_and_follows_it_in_their_language(
        page: Page, make_account, language, direction, interpreter):
    account = make_account(Role.VICTIM)
    sign_in(page, account.email)
    page.goto("/")
    page.locator(f'header button[name="language"][value="{language}"]').click()
    page.wait_for_url(re.compile(r"/$"))
    check_and_keep(page, language, direction, "00-start")
    page.locator('main form[action="/report/start"] button').click()  # the one start page starts the report
    for number, (slug, data) in enumerate(BIKE_THEFT, start=1):
        page.wait_for_url(re.compile(rf"/report/{slug}$"))
        check_and_keep(page, language, direction, f"{number:02d}-{slug}")
        if slug == "contact-needs":
            data = {**data, "contact_needs": ["interpreter"], "interpreter_language": interpreter}
        answer_by_name(page, data)

    page.wait_for_url(re.compile(r"/report/check-answers$"))
    check_and_keep(page, language, direction, "30-check-answers")
    page.locator('main input[name="declaration"]').check()
    page.locator("main form button[type=submit]").last.click()
    page.wait_for_url(re.compile(r"/report/confirmation$"))
    check_and_keep(page, language, direction, "31-confirmation")
    crime_number = page.locator("#crime-number").inner_text().strip()
    assert CRIME_NUMBER.match(crime_number)

    for name, path in (("40-case", f"/cases/{crime_number}"), ("41-preferences", f"/cases/{crime_number}/preferences"),
                       ("42-rights", f"/cases/{crime_number}/your-rights"),
                       ("43-restorative-justice", f"/cases/{crime_number}/restorative-justice"),
                       ("44-easy-read-rights", "/easy-read/rights"), ("45-my-cases", "/cases/"),
                       ("46-updates", f"/cases/{crime_number}/updates"),
                       ("47-support", f"/cases/{crime_number}/support"),
                       ("48-what-you-told-us", f"/cases/{crime_number}/what-you-told-us"),
                       ("49-messages", f"/cases/{crime_number}/messages"), ("50-call", f"/cases/{crime_number}/call")):
        page.goto(path)
        check_and_keep(page, language, direction, name)
    page.goto(f"/cases/{crime_number}/preferences")
    assert page.locator('select[name="interpreter_language"]').input_value() == interpreter
    assert page.locator('input[name="contact_needs"][value="interpreter"]').is_checked()


def test_an_error_summary_in_arabic_runs_right_to_left(page: Page):
    page.goto("/")
    page.locator('header button[name="language"][value="ar"]').click()
    page.goto("/")
    page.locator('main form[action="/report/start"] button').click()
    page.locator("main form button[type=submit]").last.click()  # no answer given
    summary = page.locator(".govuk-error-summary")
    summary.wait_for(state="visible")
    check_and_keep(page, "ar", "rtl", "50-error-summary")
    # The error's link (inline, so as wide as its words) starts at the right-hand edge, like the rest of the page.
    box = summary.bounding_box()
    link = page.locator(".govuk-error-summary__list a").first.bounding_box()
    assert (box["x"] + box["width"]) - (link["x"] + link["width"]) < link["x"] - box["x"]
