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
from playwright.sync_api import BrowserContext, Page, Response, expect

from tests import wizard
from tests.browser.conftest import SentPage, assert_accessible
from tests.browser.test_languages_browser import answer_by_name
from tests.pagecheck import page_problems
from tests.paths import ARTIFACTS

ARTEFACTS = ARTIFACTS / "report-widths"

SCREENS = {
    "phone": {"viewport": {"width": 375, "height": 667}, "is_mobile": True, "has_touch": True},
    "desktop": {"viewport": {"width": 1280, "height": 800}},
}

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


class Screen:
    """One tab on one screen size whose every page is checked and kept as a screenshot."""

    def __init__(self, context: BrowserContext, screen: str, journey: str, width: int):
        self.page = context.new_page()
        self.prefix = f"{screen}-{journey}"
        self.width = width
        self.count = 0
        self._sent: Response | None = None
        ARTEFACTS.mkdir(parents=True, exist_ok=True)
        for old in ARTEFACTS.glob(f"{self.prefix}-*.png"):  # an earlier run's pages, perhaps no longer in the wizard
            old.unlink()

        def keep(response: Response) -> None:
            if response.request.is_navigation_request() and response.frame == self.page.main_frame \
                    and response.status == 200:
                self._sent = response

        self.page.on("response", keep)

    def check(self, name: str) -> None:
        """axe, the page checks and the width, then a screenshot named `nn-name`."""
        page = self.page
        assert_accessible(page)
        assert self._sent is not None and self._sent.url == page.url, \
            f"the last page sent was {self._sent and self._sent.url}, the tab shows {page.url}"
        problems = page_problems(SentPage(self._sent))
        assert not problems, f"{page.url}:\n" + "\n".join(problems)
        scroll_width = page.evaluate("document.documentElement.scrollWidth")
        page.screenshot(path=str(ARTEFACTS / f"{self.prefix}-{self.count:02d}-{name}.png"), full_page=True)
        assert scroll_width <= self.width, \
            f"{page.url} is {scroll_width} px wide on a {self.width} px screen: {wider_than(page, self.width)}"
        self.count += 1


def wider_than(page: Page, width: int) -> list[str]:
    """The innermost elements that reach past the right-hand edge of the screen, for the failure message."""
    return page.evaluate("""width => {
        const wide = [...document.querySelectorAll('body *')]
            .filter(e => e.getBoundingClientRect().right > width + 0.5);
        return wide.filter(e => !wide.some(o => o !== e && e.contains(o))).slice(0, 5)
            .map(e => e.tagName.toLowerCase() + (e.id ? '#' + e.id : '')
                      + (typeof e.className === 'string' && e.className.trim()
                         ? '.' + e.className.trim().split(/\\s+/).join('.') : '')
                      + ` (right edge ${Math.round(e.getBoundingClientRect().right)} px)`);
    }""", width)


@pytest.mark.parametrize("journey", JOURNEYS, ids=list(JOURNEYS))
@pytest.mark.parametrize("screen", SCREENS, ids=list(SCREENS))
def test_the_report_fits_and_passes_axe_on_every_page(new_context, screen: str, journey: str):
    options = SCREENS[screen]
    steps_of, panel_words, number_shape, words = JOURNEYS[journey]
    steps = steps_of()
    tab = Screen(new_context(**options), screen, journey, options["viewport"]["width"])
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
