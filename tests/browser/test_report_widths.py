"""The report, from the service's start page to its confirmation, on a phone (375 x 667) and a computer (1280 x 800).

Two journeys on each screen: a crime (the bicycle theft) and an information report (lost property, which skips the
suspect and witnesses questions). Answers are given by field name from tests/wizard.py's step data, and each
question's address comes from its slug, so the test follows the wizard when its pages change.

On every page: axe finds no WCAG 2.2 A/AA violation, the page checks every test client page passes
(tests/pagecheck.py) pass on the HTML the server sent, nothing is wider than the screen, and a full-page screenshot
is saved under test-artifacts/report-widths/ for people to look at.
"""

import re

import pytest
from playwright.sync_api import expect

from tests import wizard
from tests.browser.screens import SCREENS, Screen
from tests.browser.test_languages_browser import answer_by_name
from tests.paths import ARTIFACTS

ARTEFACTS = ARTIFACTS / "report-widths"

CRIME_NUMBER = re.compile(r"^CR-\d{2}-\d{7}-[A-Z]$")
REFERENCE_NUMBER = re.compile(r"^IR-\d{2}-\d{7}-[A-Z]$")


def bike_theft() -> list:
    """The crime's steps, read when the test runs (through steps_with, which shares answers out among the pages
    they are asked on)."""
    return wizard.steps_with({})


def lost_property() -> list:
    """The information report's steps: lost property has no suspect or witnesses questions."""
    return wizard.steps_with({"what-happened": {"category": "lost_property"}, "suspect": None, "witnesses": None})


JOURNEYS = {
    # name: (steps, what the confirmation's panel says, the number's shape, words the confirmation must have)
    "bike-theft": (bike_theft, "Your crime number is", CRIME_NUMBER, "Your rights as a victim"),
    "lost-property": (lost_property, "Your reference number is", REFERENCE_NUMBER,
                      "information report, not a crime"),
}


@pytest.mark.parametrize("journey", JOURNEYS, ids=list(JOURNEYS))
@pytest.mark.parametrize("screen", SCREENS, ids=list(SCREENS))
def test_the_report_fits_and_passes_axe_on_every_page(new_context, screen: str, journey: str):
    options = SCREENS[screen]
    steps_of, panel_words, number_shape, words = JOURNEYS[journey]
    steps = steps_of()
    tab = Screen(new_context(**options), ARTEFACTS, f"{screen}-{journey}", options["viewport"]["width"])
    page = tab.page

    page.goto("/")
    tab.check("start")
    page.get_by_role("button", name="Report a crime").click()  # straight to the first question

    for slug, data in steps:
        page.wait_for_url(re.compile(rf"/report/{re.escape(slug)}$"))
        tab.check(slug)
        answer_by_name(page, data)

    page.wait_for_url(re.compile(r"/report/check-answers$"))
    tab.check("check-answers")
    page.locator('main input[name="declaration"]').check()
    page.locator("main form button[type=submit]").last.click()

    page.wait_for_url(re.compile(r"/report/confirmation$"))
    tab.check("confirmation")
    main = page.get_by_role("main")
    expect(main).to_contain_text(panel_words)
    expect(main).to_contain_text(words)
    expect(page.locator("#crime-number")).to_have_text(number_shape)
    if journey == "lost-property":
        expect(main).not_to_contain_text("crime number")
